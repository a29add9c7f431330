import { css } from 'lit';

/** What every console view shares: headings, forms, buttons, tables that scroll inside themselves when narrow. */
export const viewStyles = css`
  :host {
    display: block;
  }
  h2 {
    margin: 0 0 0.75rem;
    font-size: 1.2em;
  }
  form,
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
    font-size: 0.9em;
  }
  input,
  select {
    font: inherit;
    font-weight: normal;
    color: inherit;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    min-inline-size: 0;
    max-inline-size: 100%;
  }
  button {
    padding: 0.45rem 0.85rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  table {
    border-collapse: collapse;
    inline-size: 100%;
    font-size: 0.92em;
  }
  th,
  td {
    text-align: start;
    padding: 0.45rem 0.6rem;
    border-block-end: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    background: var(--_surface);
    white-space: nowrap;
  }
  tr:last-child td {
    border-block-end: 0;
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
    margin: 0 0 0.75rem;
  }
  .ok {
    color: var(--_ok);
  }
  .empty {
    color: var(--_muted);
    padding: 0.75rem;
    margin: 0;
  }
`;

/** A time in ms since the epoch, as the person's locale writes date and time. */
export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
