import { css } from 'lit';

/** Layout of `<chat-room-list>`: the sections of rooms and conversations, the forms to join and create. */
export const chatRoomListStyles = css`
  :host {
    display: block;
  }
  nav {
    display: flex;
    flex-direction: column;
    gap: 1rem;
    padding: 0.75rem;
  }
  .heading {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
  }
  [part='mark-all-read-button'] {
    font: inherit;
    font-size: 0.75em;
    padding: 0.1rem 0.4rem;
    border: none;
    background: none;
    color: var(--_accent, inherit);
    text-decoration: underline;
    cursor: pointer;
  }
  h2 {
    margin: 0 0 0.35rem;
    font-size: 0.75em;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--_muted);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: minmax(0, 1fr); /* long names and previews shrink (ellipsis), never widen the list */
    gap: 2px;
  }
  li {
    display: flex;
    align-items: center;
    border-radius: var(--_radius);
  }
  li:hover {
    background: color-mix(in srgb, var(--_text) 6%, transparent);
  }
  .room {
    flex: 1;
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-inline-size: 0;
    padding: 0.45rem 0.6rem;
    border: 0;
    background: none;
    color: inherit;
    text-align: start;
    border-radius: var(--_radius);
  }
  .room .name {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .room.unread .name {
    font-weight: 700;
  }
  [aria-current='page'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='badge'] {
    min-inline-size: 1.5em;
    padding: 0.05em 0.45em;
    border-radius: 999px;
    background: var(--_danger);
    color: #fff;
    font-size: 0.78em;
    font-weight: 700;
    text-align: center;
  }
  [part='mention-badge'] {
    padding: 0.05em 0.45em;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
    font-size: 0.78em;
    font-weight: 700;
  }
  [part='leave-button'] {
    border: 0;
    background: none;
    color: var(--_muted);
    padding: 0.3rem 0.5rem;
    border-radius: var(--_radius);
    opacity: 0;
  }
  li:hover [part='leave-button'],
  [part='leave-button']:focus-visible {
    opacity: 1;
  }
  @media (hover: none) {
    [part='leave-button'] {
      opacity: 1;
    }
  }
  [part='other-room'] {
    flex: 1;
    display: flex;
    justify-content: space-between;
    gap: 0.5rem;
    border: 0;
    background: none;
    color: inherit;
    padding: 0.4rem 0.6rem;
    border-radius: var(--_radius);
    text-align: start;
  }
  .count {
    color: var(--_muted);
    font-size: 0.85em;
    white-space: nowrap;
  }
  .empty {
    color: var(--_muted);
    font-size: 0.9em;
    padding-inline: 0.6rem;
  }
  form {
    display: flex;
    gap: 0.4rem;
  }
  input {
    flex: 1;
    min-inline-size: 0;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  form button {
    border: 0;
    border-radius: var(--_radius);
    padding: 0.45rem 0.8rem;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='error'] {
    color: var(--_danger);
    font-size: 0.85em;
    margin: 0.35rem 0 0;
  }

  .conversation .name {
    display: flex;
    flex-direction: column;
    min-inline-size: 0;
  }
  .conversation .name > * {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='preview'] {
    color: var(--_muted);
    font-size: 0.8em;
    font-weight: 400;
  }
  [aria-current='page'] [part='preview'] {
    color: inherit;
    opacity: 0.85;
  }
  .icon {
    flex: none;
    display: inline-grid;
    place-items: center;
    inline-size: 1.5em;
    block-size: 1.5em;
    border-radius: 50%;
    color: #fff;
    font-size: 0.8em;
    font-weight: 700;
  }
  .icon.lock {
    color: inherit;
    opacity: 0.75;
  }
  [part='new-private-button'] {
    display: block;
    inline-size: 100%;
    margin-block-start: 0.35rem;
    padding: 0.4rem 0.6rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: none;
    color: var(--_muted);
    text-align: start;
  }
  [part='new-private-button']:hover,
  [part='new-private-button'][aria-expanded='true'] {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  [part='create-form'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.4rem;
    margin-block-start: 0.5rem;
  }
  [part='create-form'] label {
    font-size: 0.85em;
    font-weight: 600;
  }
  [part='create-form'] .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 0.4rem;
  }
  [part='create-form'] button[type='button'] {
    background: none;
    color: inherit;
    border: 1px solid var(--_border);
  }
`;
