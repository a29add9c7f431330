import { html, nothing } from 'lit';
import type { Message } from '../../server/protocol/events.js';
import type { ReportOutcome } from '../chat/reports.js';
import { emit } from '../events.js';
import type { Strings } from '../i18n/strings.js';

/** What the report pieces of a message need from `<chat-message-list>`. */
export interface ReportView {
  strings: Strings;
  host: EventTarget;
  moderator: boolean;
  /** The message whose report form is open. */
  reporting: number | undefined;
  /** Opens the report form of message `id`; undefined closes it. */
  startReport(id: number | undefined): void;
  /** Closes the message's actions (and so the form), returning focus to its "⋯". */
  toggle(id: number): void;
  /** Your reports' outcomes, by message id. */
  reports: ReadonlyMap<number, ReportOutcome>;
  /** The message whose id was copied last. */
  copied: number | undefined;
  copyId(id: number): void;
}

/** Report, under someone else's message: opens the reason form. */
export function reportButton(view: ReportView, m: Message) {
  const s = view.strings.reports;
  return html`<button part="report-button" aria-label=${s.reportBy(m.nick)} @click=${() => view.startReport(m.id)}>
    ${s.report}
  </button>`;
}

/** The inline form Report opens: the reason (required), Send and Cancel. Escape closes it with the actions. */
export function reportForm(view: ReportView, m: Message) {
  const s = view.strings.reports;
  const { room, id } = m;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input');
    const reason = input?.value.trim() ?? '';
    if (!reason) return;
    view.toggle(id);
    emit(view.host, 'chat-message-report', { room, id, reason });
  };
  return html`<form part="report-form" class="report-form" @submit=${submit}>
    <label>${s.reason}<input part="report-reason" name="reason" required autocomplete="off" /></label>
    <button part="report-send-button">${s.send}</button>
    <button type="button" part="report-cancel-button" @click=${() => view.startReport(undefined)}>${s.cancel}</button>
  </form>`;
}

/** A moderator's view of the message's id, with Copy id (to paste into the admin console or a ban note). */
export function messageIdTools(view: ReportView, m: Message) {
  if (!view.moderator) return nothing;
  const s = view.strings.reports;
  return html`<span part="message-id" class="message-id">${s.messageId(m.id)}</span>
    <button part="copy-id-button" @click=${() => view.copyId(m.id)}>${s.copyId}</button>
    ${view.copied === m.id ? html`<span role="status">${s.copied}</span>` : nothing}`;
}

/** Under a message you reported: taken, or why not. */
export function reportOutcome(view: ReportView, m: Message) {
  const outcome = view.reports.get(m.id);
  if (!outcome) return nothing;
  const s = view.strings;
  if (outcome.sent) return html`<div part="report-sent" class="state" role="status">${s.reports.sent}</div>`;
  const reason = s.errors[outcome.error.code] ?? outcome.error.message;
  return html`<div part="report-failed" class="state failed" role="alert">${s.reports.failed(reason)}</div>`;
}
