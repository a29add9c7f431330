import { css } from 'lit';

/** Layout of `<chat-conversation-bar>`: one line that wraps, and the panels it opens below. */
export const chatConversationBarStyles = css`
  :host {
    display: block;
    border-block-end: 1px solid var(--_border);
    background: var(--_surface);
    font-size: 0.88em;
  }
  [part='base'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem 0.6rem;
    padding: 0.4rem 1rem;
  }
  [part='note'] {
    flex: 1 1 6rem;
    display: flex;
    align-items: center;
    gap: 0.4rem;
    margin: 0;
    min-inline-size: 0;
    color: var(--_muted);
  }
  .who {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  svg {
    flex: none;
  }
  .buttons {
    display: flex;
    gap: 0.4rem;
  }
  button {
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: inherit;
    padding: 0.2rem 0.7rem;
    white-space: nowrap;
  }
  [part='leave-button']:hover,
  [part='remove-button']:hover {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  [part='members-panel'],
  [part='leave-form'] {
    display: grid;
    gap: 0.5rem;
    padding: 0.5rem 1rem 0.75rem;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  li {
    display: flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.15rem 0.2rem 0.15rem 0.15rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    max-inline-size: 100%;
  }
  li bdi {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    padding-inline-end: 0.4rem;
  }
  li button {
    padding: 0 0.5rem;
    font-size: 0.9em;
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 1.5em;
    block-size: 1.5em;
    border-radius: 50%;
    color: #fff;
    font-size: 0.85em;
    font-weight: 700;
  }
  .you {
    color: var(--_muted);
  }
  form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
    margin: 0;
  }
  label {
    flex-basis: 100%;
    font-weight: 600;
  }
  input {
    flex: 1 1 9rem;
    min-inline-size: 0;
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  form button[type='submit'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  [part='leave-form'] p {
    margin: 0;
    font-weight: 600;
  }
  [part='leave-confirm-button'] {
    background: var(--_danger) !important;
    border-color: var(--_danger) !important;
    color: #fff !important;
  }
  [part='error'] {
    margin: 0;
    padding: 0 1rem 0.5rem;
    color: var(--_danger);
  }
`;
