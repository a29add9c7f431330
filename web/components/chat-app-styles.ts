import { css } from 'lit';

/** Layout of `<chat-app>`: three columns, then drawers for the side columns as its own width shrinks. */
export const chatAppStyles = css`
  :host {
    display: block;
    block-size: 36rem;
    min-inline-size: 300px;
    container-type: inline-size;
  }
  [part='base'] {
    position: relative;
    block-size: 100%;
    display: grid;
    grid-template-columns: 15rem minmax(0, 1fr) 13rem;
    grid-template-rows: auto minmax(0, 1fr);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--chat-app-radius, var(--_radius));
    overflow: hidden;
  }
  header {
    grid-column: 1 / -1;
    display: flex;
    align-items: center;
    gap: 0.75rem;
    padding: 0.55rem 0.9rem;
    border-block-end: 1px solid var(--_border);
    background: var(--_surface);
    min-inline-size: 0;
  }
  [part='title'] {
    margin: 0;
    font-size: 1.05em;
    flex: 1;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='title'] small {
    color: var(--_muted);
    font-weight: 400;
    margin-inline-start: 0.5rem;
  }
  header button {
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: inherit;
    border-radius: 999px;
    padding: 0.3rem 0.75rem;
    max-inline-size: 12rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .bell {
    display: inline-grid;
    place-items: center;
    padding: 0.35rem 0.5rem;
  }
  .bell[aria-pressed='true'] {
    color: var(--_accent);
  }
  .toggle {
    display: none;
  }
  [part='sidebar'],
  [part='members'] {
    background: var(--_surface);
    overflow-y: auto;
    min-block-size: 0;
  }
  [part='sidebar'] {
    border-inline-end: 1px solid var(--_border);
  }
  [part='members'] {
    border-inline-start: 1px solid var(--_border);
  }
  [part='main'] {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    min-inline-size: 0;
  }
  chat-message-list {
    flex: 1;
  }
  /* Locked to one room: no room column. A support widget: no member column either. */
  [part='base'].locked {
    grid-template-columns: minmax(0, 1fr) 13rem;
  }
  [part='base'].support {
    grid-template-columns: minmax(0, 1fr);
  }
  /* Refused origin or sign-in, or one window too many: no rooms or members to show, only the explanation. */
  [part='base'].refused {
    grid-template-columns: minmax(0, 1fr);
  }
  [part='base'].refused aside,
  [part='base'].refused .toggle {
    display: none !important;
  }
  [part='base'].refused [part='main'] {
    grid-column: 1;
  }
  .nick {
    color: var(--_muted);
    font-size: 0.9em;
    max-inline-size: 12rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='refused'],
  [part='auth-error'],
  [part='session-full'] {
    margin: 2rem auto;
    max-inline-size: 32rem;
    padding: 1rem 1.25rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    background: var(--_surface);
    line-height: 1.45;
  }
  .bottom {
    padding: 0 1rem 0.75rem;
  }
  [part='removed'] {
    font-size: 0.92em;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    margin: 0.5rem 1rem 0;
    padding: 0.45rem 0.75rem;
    border: 1px solid var(--_border);
    border-inline-start: 4px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  [part='removed'] button {
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: inherit;
    padding: 0.1rem 0.7rem;
  }
  .opening,
  [part='support-error'] {
    margin: 2rem auto;
    padding: 0 1rem;
    max-inline-size: 32rem;
    color: var(--_muted);
    text-align: center;
  }
  [part='support-error'] {
    color: var(--_danger);
  }
  [part='banned'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    margin: 0 0 0.5rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--_danger);
    border-radius: var(--_radius);
    color: var(--_danger);
    font-weight: 600;
  }
  [part='banned'] button {
    border: 1px solid currentColor;
    border-radius: 999px;
    background: none;
    color: inherit;
    padding: 0.1rem 0.7rem;
  }
  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    padding: 1rem;
    /* No backdrop blur: without a GPU, Chromium redraws a blurred backdrop on each blink of the field's caret,
       14% of a core per page sitting on this form (measured headless with --disable-gpu). */
    background: color-mix(in srgb, var(--_bg) 85%, transparent);
    z-index: 2;
  }
  .overlay chat-nick-form {
    inline-size: 100%;
  }
  @container (max-width: 820px) {
    [part='base'] {
      grid-template-columns: 13rem minmax(0, 1fr);
    }
    [part='members'] {
      display: none;
    }
    [part='main'] {
      grid-row: 2;
      grid-column: -2 / -1;
    }
    [part='members'].open {
      display: block;
      grid-row: 2;
      grid-column: -2 / -1;
      justify-self: end;
      inline-size: min(16rem, 80%);
      z-index: 1;
      box-shadow: 0 0 24px #0004;
    }
    .toggle.members {
      display: inline-block;
    }
    [part='base'].locked {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  @container (max-width: 600px) {
    [part='base'] {
      grid-template-columns: minmax(0, 1fr);
    }
    [part='sidebar'] {
      display: none;
    }
    [part='main'] {
      grid-column: 1;
    }
    [part='sidebar'].open {
      display: block;
      grid-row: 2;
      grid-column: 1;
      justify-self: start;
      inline-size: min(17rem, 85%);
      z-index: 1;
      box-shadow: 0 0 24px #0004;
    }
    .toggle.rooms {
      display: inline-block;
    }
    header {
      flex-wrap: wrap;
      gap: 0.4rem 0.5rem;
      padding: 0.45rem 0.6rem;
    }
    [part='title'] {
      flex: 1 1 55%;
      order: 1;
    }
    /* A support widget's header holds little: its title need not push the rest onto a second line. */
    [part='base'].support [part='title'] {
      flex-basis: auto;
    }
    header chat-status {
      order: 2;
      flex: 1 1 auto;
    }
    [part='nick-button'] {
      order: 3;
      max-inline-size: 9rem;
    }
    .toggle.members {
      order: 4;
    }
    .bottom {
      padding-inline: 0.5rem;
    }
  }
`;
