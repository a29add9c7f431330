/**
 * Tells a refused origin from a server that is down. The server refuses a foreign page at the handshake (403),
 * but without CORS headers the browser hides that status from the page: Socket.IO only reports a failed request.
 * A `no-cors` request to the same server still resolves (with an opaque response) when the server is reachable,
 * so "the handshake failed, yet the server answers" means this page's origin is not allowed.
 */
export async function serverAnswers(server: string): Promise<boolean> {
  try {
    await fetch(`${server}/healthz`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
    return true;
  } catch {
    return false;
  }
}

const warned = new Set<string>();

/** One hint per server and page, for the site owner (visitors see the element's own message). */
export function warnRefusedOrigin(server: string): void {
  if (warned.has(server)) return;
  warned.add(server);
  console.warn(
    `Parley: the chat server ${server} refused this page's origin (${location.origin}). ` +
      `Add ${location.origin} to the server's CORS_ORIGINS setting (comma-separated origins) and restart it.`,
  );
}
