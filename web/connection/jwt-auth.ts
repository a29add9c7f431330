import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AuthErrorCode } from '../../server/protocol/events.js';
import { readJwtClaims, refreshDelayMs } from '../chat/jwt.js';

export interface JwtAuthOptions {
  /** The host page's token (`jwt` property or attribute); '' for a guest. */
  jwt: () => string;
  /** The host page's callback for a fresh token, if it gave one. */
  refresh: () => (() => Promise<string>) | undefined;
  /** Opens the handshake again (after a refused one, Socket.IO does not retry by itself). */
  reconnect: () => void;
  /** A fresh token arrived before `exp`: hand it to the live socket (`auth:refresh`), so its rights go on. */
  renewed: (token: string) => void;
}

/**
 * The host site's signed identity for one `<chat-app>`: which token the handshake carries, fetching a fresh
 * one shortly before `exp` and after an `AUTH_EXPIRED` refusal, and why the server refused it when nothing
 * more can be done (`problem`, shown by the element).
 */
export class JwtAuth implements ReactiveController {
  /** The last refusal that a fresh token could not fix. */
  problem: AuthErrorCode | undefined;
  /** A token from `refresh`, and the host token it replaces (a new host token wins over it). */
  private refreshed: { from: string; token: string } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | undefined;
  /** Set after a refusal was answered with a fresh token; a second refusal is then final. */
  private retried = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: JwtAuthOptions,
  ) {
    host.addController(this);
  }

  /** The token to send: the refreshed one while it replaces the host's current token. */
  get token(): string {
    const jwt = this.options.jwt();
    return this.refreshed?.from === jwt ? this.refreshed.token : jwt;
  }

  get signed(): boolean {
    return this.options.jwt() !== '';
  }

  /** The user the token names, to keep each user's stored session apart. */
  get subject(): string | undefined {
    return this.signed ? (readJwtClaims(this.token).sub ?? '') : undefined;
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** The server accepted the token: plan the next refresh. */
  accepted(): void {
    this.problem = undefined;
    this.retried = false;
    this.schedule();
  }

  /** The server refused the handshake: an expired token is replaced once, anything else is shown. */
  refused(code: AuthErrorCode): void {
    if (code === 'AUTH_EXPIRED' && !this.retried && this.options.refresh()) {
      this.retried = true;
      void this.refresh().then((ok) => (ok ? this.options.reconnect() : this.fail(code)));
      return;
    }
    this.fail(code);
  }

  private fail(code: AuthErrorCode): void {
    this.problem = code;
    this.host.requestUpdate();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const { exp } = readJwtClaims(this.token);
    if (exp === undefined || !this.options.refresh()) return;
    this.timer = setTimeout(
      () =>
        void this.refresh().then((ok) => {
          if (!ok) return;
          this.options.renewed(this.token);
          this.schedule();
        }),
      refreshDelayMs(exp),
    );
  }

  /** Asks the host page for a fresh token; one request at a time. False if it failed or gave nothing. */
  private refresh(): Promise<boolean> {
    const fetchToken = this.options.refresh();
    if (!fetchToken) return Promise.resolve(false);
    const from = this.options.jwt();
    this.refreshing ??= fetchToken()
      .then((token) => {
        if (typeof token !== 'string' || token === '') return false;
        this.refreshed = { from, token };
        return true;
      })
      .catch(() => false)
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}
