import { css } from 'lit';

/** Look of `<chat-namespace-demo>`: the counters, the switches and the delivery table. */
export const chatNamespaceDemoStyles = css`
  :host {
    display: block;
  }
  [part='base'] {
    display: grid;
    gap: 0.8rem;
    padding: 1rem 1.2rem;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    gap: 1rem 2rem;
    align-items: center;
    justify-content: space-between;
  }
  .conn {
    display: flex;
    gap: 0.6rem;
    align-items: baseline;
    flex-wrap: wrap;
  }
  .big {
    font-size: 1.6em;
    font-weight: 800;
    font-variant-numeric: tabular-nums;
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    min-inline-size: 18rem;
  }
  th,
  td {
    padding: 0.3rem 0.8rem;
    text-align: end;
    border-block-end: 1px solid var(--_border);
  }
  th:first-child,
  td:first-child {
    text-align: start;
  }
  code {
    font-size: 0.95em;
  }
  label {
    display: flex;
    align-items: center;
    gap: 0.6rem;
    font-weight: 600;
    cursor: pointer;
  }
  /* the two switches: a track with a sliding knob */
  [part='slow-toggle'],
  [part='delivery-toggle'] {
    inline-size: 2.8rem;
    block-size: 1.5rem;
    border-radius: 999px;
    border: 0;
    background: var(--_border);
    position: relative;
  }
  [part='slow-toggle']::after,
  [part='delivery-toggle']::after {
    content: '';
    position: absolute;
    inset-block-start: 0.2rem;
    inset-inline-start: 0.2rem;
    inline-size: 1.1rem;
    block-size: 1.1rem;
    border-radius: 50%;
    background: #fff;
    transition: inset-inline-start 0.15s;
  }
  [part='slow-toggle'][aria-checked='true']::after,
  [part='delivery-toggle'][aria-checked='true']::after {
    inset-inline-start: 1.5rem;
  }
  [part='slow-toggle'][aria-checked='true'] {
    background: var(--_danger);
  }
  [part='delivery-toggle'][aria-checked='true'] {
    background: var(--_accent);
  }
  .reading {
    min-inline-size: 7em;
    color: var(--_muted);
    font-weight: 600;
  }
  .controls {
    align-items: start;
  }
  .group {
    display: grid;
    gap: 0.5rem;
    justify-items: start;
  }
  tr.current th {
    color: var(--_accent);
  }
  [part='sent'] ul {
    list-style: none;
    margin: 0.3rem 0 0;
    padding: 0;
    display: grid;
    gap: 0.2rem;
  }
  [part='sent'] li {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
  }
  [part='sent'] .text {
    overflow-wrap: anywhere;
  }
  [data-state='stored'] .tick {
    color: var(--_ok);
    font-weight: 800;
  }
  [data-state='refused'] .tick {
    color: var(--_danger);
  }
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .note {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
    max-inline-size: 60rem;
  }
`;
