import { css } from 'lit';

/** Look of `<chat-message-list>`: bubbles, pending and failed sends, markers, actions, the jump buttons. */
export const chatMessageListStyles = css`
  :host {
    display: block;
    position: relative;
    min-block-size: 0;
    --chat-message-max-width: 42rem;
  }
  [part='base'] {
    block-size: 100%;
    overflow-y: auto;
    overflow-anchor: none;
    padding: 0.75rem 1rem 0.25rem;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
  }
  li {
    display: flex;
    gap: 0.6rem;
    padding-block: 1px;
  }
  li.head {
    margin-block-start: 0.7rem;
  }
  .avatar {
    flex: none;
    inline-size: 2.1rem;
    block-size: 2.1rem;
    border-radius: 50%;
    display: grid;
    place-items: center;
    color: #fff;
    font-weight: 700;
    font-size: 0.9em;
  }
  .spacer {
    flex: none;
    inline-size: 2.1rem;
  }
  .body {
    min-inline-size: 0;
    max-inline-size: var(--chat-message-max-width);
    display: flex;
    flex-direction: column;
    align-items: flex-start;
  }
  .meta {
    display: flex;
    gap: 0.5rem;
    align-items: baseline;
    margin-block-end: 0.15rem;
  }
  [part~='author'] {
    font-weight: 700;
    overflow-wrap: anywhere;
  }
  [part~='verified'] {
    color: var(--_accent);
    font-weight: 700;
    font-size: 0.85em;
    cursor: help;
  }
  [part~='time'] {
    color: var(--_muted);
    font-size: 0.78em;
    white-space: nowrap;
  }
  [part~='text'] {
    margin: 0;
    padding: 0.45rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--_other);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    word-break: break-word;
    line-height: 1.4;
    max-inline-size: 100%;
  }
  [part~='text'] a {
    color: var(--_accent);
    text-decoration: underline;
  }
  [part~='link-userinfo'] {
    color: var(--_danger);
    font-size: 0.85em;
  }
  [part~='text'] code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    background: color-mix(in srgb, var(--_text) 8%, transparent);
    border-radius: 4px;
    padding: 0.05em 0.3em;
  }
  [part~='text'] pre {
    margin: 0.3rem 0;
    padding: 0.5rem 0.6rem;
    overflow-x: auto;
    white-space: pre;
    background: color-mix(in srgb, var(--_text) 8%, transparent);
    border-radius: calc(var(--_radius) / 2);
    text-align: start;
  }
  [part~='text'] pre code {
    background: none;
    padding: 0;
  }
  bdi[part~='mention'] {
    color: var(--_accent);
    font-weight: 600;
  }
  bdi[part~='mention'][part~='self'] {
    background: color-mix(in srgb, var(--_accent) 18%, transparent);
    border-radius: 4px;
    padding-inline: 0.15em;
  }
  li.mention [part~='text'] {
    border-inline-start: 3px solid var(--_accent);
  }
  li [part~='text'][part~='deleted'] {
    font-style: italic;
    color: var(--_muted);
    background: none;
    border: 1px dashed var(--_border);
  }
  [part='edited'] {
    color: var(--_muted);
    font-size: 0.8em;
  }
  /* The bubble and its "⋯" share a row: the bubble narrows for the button, which covers nothing. */
  .line {
    display: flex;
    align-items: flex-start;
    gap: 0.2rem;
    max-inline-size: 100%;
    min-inline-size: 0;
  }
  .line > [part~='text'] {
    min-inline-size: 0;
  }
  li.own .line {
    flex-direction: row-reverse;
  }
  .more {
    flex: none;
    inline-size: 1.8rem;
    block-size: 1.8rem;
    margin-block-start: 0.15rem;
    border: 0;
    border-radius: 50%;
    background: none;
    color: var(--_muted);
    font-size: 1.1em;
    line-height: 1;
    opacity: 0;
  }
  li:hover .more,
  li:focus-within .more,
  .more[aria-expanded='true'] {
    opacity: 1;
  }
  .more:hover,
  .more[aria-expanded='true'] {
    color: var(--_text);
    background: color-mix(in srgb, var(--_text) 10%, transparent);
  }
  /* No hover on a touch screen: "⋯" is always there to tap. */
  @media (hover: none) {
    .more {
      opacity: 1;
    }
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    align-items: center;
    margin-block-start: 0.25rem;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .actions button {
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_text);
    border-radius: 999px;
    padding: 0.15rem 0.75rem;
  }
  .actions button:hover {
    border-color: currentColor;
  }
  .actions.confirming [part='delete-confirm-button'] {
    background: var(--_danger);
    border-color: var(--_danger);
    color: #fff;
    font-weight: 600;
  }
  .report-form {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem;
    align-items: end;
    inline-size: 100%;
  }
  .report-form label {
    display: grid;
    gap: 0.15rem;
    flex: 1 1 14rem;
  }
  .report-form input {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.25rem 0.4rem;
  }
  .message-id {
    font-variant-numeric: tabular-nums;
  }
  @media (pointer: coarse) {
    .more {
      inline-size: 2.5rem;
      block-size: 2.5rem;
      margin-block-start: 0;
    }
    .actions button {
      min-block-size: 2.5rem;
      padding-inline: 1rem;
    }
  }
  li.own {
    flex-direction: row-reverse;
  }
  li.own .body {
    align-items: flex-end;
  }
  li.own .meta {
    flex-direction: row-reverse;
  }
  li.own [part~='text'] {
    background: var(--_own);
  }
  li.pending [part~='text'] {
    opacity: 0.75;
    border: 1px dashed var(--_border);
  }
  li.failed [part~='text'] {
    opacity: 1;
    border: 1px solid var(--_danger);
  }
  .state {
    font-size: 0.8em;
    color: var(--_muted);
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
    margin-top: 0.15rem;
  }
  li.failed .state,
  .state.failed {
    color: var(--_danger);
  }
  li.own .state {
    justify-content: flex-end;
    text-align: end;
  }
  .state button {
    border: 1px solid currentColor;
    background: none;
    color: inherit;
    border-radius: 999px;
    padding: 0.05rem 0.6rem;
  }
  [part~='notice'] {
    justify-content: center;
    color: var(--_muted);
    font-size: 0.82em;
    margin-block: 0.5rem;
    text-align: center;
  }
  [part~='notice'].caught-up {
    color: var(--_ok);
    font-weight: 600;
  }
  [part~='unread-marker'] {
    align-items: center;
    gap: 0.75rem;
    color: var(--_danger);
    font-size: 0.78em;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.05em;
    margin-block: 0.6rem 0.2rem;
  }
  [part~='unread-marker']::before,
  [part~='unread-marker']::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
  }
  .top {
    text-align: center;
    color: var(--_muted);
    font-size: 0.85em;
    padding: 0.5rem 0 1rem;
  }
  [part='retention'] {
    margin: 0.25rem 0 0;
  }
  [part='jump-button'] {
    position: absolute;
    inset-block-start: 0.5rem;
    inset-inline: 0;
    margin-inline: auto;
    inline-size: max-content;
    max-inline-size: calc(100% - 2rem);
    z-index: 1;
    border: 0;
    border-radius: 999px;
    padding: 0.35rem 1rem;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: 0 4px 14px #0003;
    font-size: 0.85em;
  }
  [part='below-button'] {
    position: absolute;
    inset-block-end: 0.6rem;
    inset-inline-end: 1.2rem;
    z-index: 1;
    border: 0;
    border-radius: 999px;
    padding: 0.35rem 0.9rem;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: 0 4px 14px #0003;
    font-size: 0.85em;
  }
  .empty {
    color: var(--_muted);
    text-align: center;
    margin-block: 2rem;
  }
`;
