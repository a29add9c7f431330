import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { resolveLang, stringsFor, type Strings } from '../i18n/strings.js';

type Host = ReactiveControllerHost & HTMLElement;

/**
 * One MutationObserver for every element on the page (shoelace's localize does the same): it watches `lang`
 * on `<html>` and everything below it in the document, and is created for the first connected host and
 * disconnected after the last one leaves.
 */
const connected = new Set<LocaleController>();
let observer: MutationObserver | undefined;

function observe(): void {
  observer = new MutationObserver(() => {
    for (const controller of connected) controller.update();
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/** The language of the host: its own `lang` or its nearest ancestor's, else `<html lang>`, else the browser's. */
export class LocaleController implements ReactiveController {
  lang = 'en';

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  get strings(): Strings {
    return stringsFor(this.lang);
  }

  hostConnected(): void {
    connected.add(this);
    if (!observer) observe();
    this.update();
  }

  hostDisconnected(): void {
    connected.delete(this);
    if (connected.size > 0) return;
    observer?.disconnect();
    observer = undefined;
  }

  /** Reads the language again; renders the host only when it changed. */
  update(): void {
    const lang = resolveLang(this.host);
    if (lang === this.lang) return;
    this.lang = lang;
    this.host.requestUpdate();
  }
}
