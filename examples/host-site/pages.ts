/** The host site's two pages. Values are escaped: a user's name ends up in HTML. */
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #faf7f2; color: #2b2118; }
      header { display: flex; justify-content: space-between; align-items: center; padding: 0.75rem 1.5rem; background: #7c4a2d; color: #fff; }
      main { max-width: 56rem; margin: 1.5rem auto; padding: 0 1rem; }
      form.login { display: grid; gap: 0.75rem; max-width: 22rem; }
      input[type='text'] { padding: 0.5rem; font: inherit; }
      button { font: inherit; padding: 0.45rem 1rem; }
      .note { color: #6b5a4c; font-size: 0.9em; }
    </style>
  </head>
  <body>
    ${body}
  </body>
</html>`;

export function loginPage(): string {
  return layout(
    'The Bakery · sign in',
    `<header><strong>The Bakery</strong></header>
    <main>
      <h1>Sign in</h1>
      <p class="note">A demo: there is no password. Anyone can sign in as anyone, and tick "moderator".</p>
      <form class="login" method="post" action="/login">
        <label>Your name <input type="text" name="name" required maxlength="32" autocomplete="nickname" /></label>
        <label><input type="checkbox" name="moderator" /> Sign in as a moderator</label>
        <button type="submit">Sign in</button>
      </form>
    </main>`,
  );
}

export interface ChatPageOptions {
  chatUrl: string;
  jwt: string;
  name: string;
  moderator: boolean;
}

/** The ~10 lines a site owner copies are the script tag, the element and the refreshJwt callback below. */
export function chatPage({ chatUrl, jwt, name, moderator }: ChatPageOptions): string {
  return layout(
    'The Bakery · support',
    `<header>
      <strong>The Bakery</strong>
      <form method="post" action="/logout">${escape(name)}${moderator ? ' (moderator)' : ''} <button>Sign out</button></form>
    </header>
    <main>
      <h1>Ask us anything</h1>
      <script type="module" src="${escape(chatUrl)}/chat.js"></script>
      <chat-app lock-room room="support" jwt="${escape(jwt)}"></chat-app>
      <script type="module">
        document.querySelector('chat-app').refreshJwt = async () => {
          const res = await fetch('/api/chat-token', { method: 'POST' });
          if (!res.ok) throw new Error('signed out');
          return (await res.json()).jwt;
        };
      </script>
      <style>
        chat-app { height: 32rem; --chat-accent: #7c4a2d; --chat-own-bubble: #f3e7da; --chat-radius: 6px; }
        chat-app::part(header) { background: #f3e7da; }
      </style>
    </main>`,
  );
}
