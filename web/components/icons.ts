import { html } from 'lit';

/** A padlock: marks what only its members can read (private rooms, the note above a conversation). */
export const lockIcon = html`<svg
  viewBox="0 0 24 24"
  width="14"
  height="14"
  aria-hidden="true"
  fill="none"
  stroke="currentColor"
  stroke-width="2.2"
>
  <rect x="5" y="11" width="14" height="10" rx="2"></rect>
  <path d="M8 11V7a4 4 0 0 1 8 0v4"></path>
</svg>`;
