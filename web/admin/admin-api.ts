/**
 * The console's calls to `/api/admin/…`: the token goes in `Authorization: Bearer`, never in a URL. A refused
 * call throws AdminApiError with the status and the server's message (`{ error }`, docs/protocol.md).
 */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where the token is kept: sessionStorage, so it dies with the tab and is never sent anywhere else. */
const TOKEN_KEY = 'parley-admin-token';

export const savedToken = (): string => sessionStorage.getItem(TOKEN_KEY) ?? '';
export const saveToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** `encodeURIComponent` for each path segment (room names and nicks may hold any letter). */
export const segment = (raw: string | number): string => encodeURIComponent(String(raw));

export class AdminApi {
  /** `onUnauthorized`: the server stopped accepting the token (it expired, or ADMIN_TOKEN changed). */
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    return (await res.json()) as T;
  }

  /** The body as text (the NDJSON export). */
  async text(path: string): Promise<string> {
    return (await this.send('GET', path)).text();
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, cache: 'no-store' };
    if (body !== undefined) init.body = JSON.stringify(body);
    let res: Response;
    try {
      res = await fetch(`/api/admin${path}`, init);
    } catch {
      throw new AdminApiError(0, 'The server could not be reached.');
    }
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw new AdminApiError(res.status, await errorText(res));
    return res;
  }
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${res.status}`;
}

/** What a person should read for a refused call. */
export function describeError(err: unknown): string {
  if (!(err instanceof AdminApiError)) return 'Something went wrong.';
  if (err.status === 401) return 'Wrong or expired token.';
  if (err.status === 403) return 'This token may not do that.';
  if (err.status === 404 && err.message.startsWith('the admin API is disabled'))
    return 'The admin API is off: set ADMIN_TOKEN on the server.';
  if (err.status === 429) return 'Too many failed sign-ins from here: wait a minute.';
  return err.message;
}
