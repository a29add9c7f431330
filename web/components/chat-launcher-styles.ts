import { css } from 'lit';

/** Look of `<chat-launcher>`: the floating button in a corner, its badge, and the panel above it. */
export const chatLauncherStyles = css`
  :host {
    --_inset: var(--chat-launcher-inset, 1.25rem);
    --_panel-width: var(--chat-launcher-panel-width, 24rem);
    --_panel-height: var(--chat-launcher-panel-height, min(38rem, calc(100vh - 7rem)));
    position: fixed;
    inset-block-end: var(--_inset);
    inset-inline-end: var(--_inset);
    z-index: var(--chat-launcher-z-index, 2147483000);
  }
  :host([position='bottom-left']) {
    inset-inline-end: auto;
    inset-inline-start: var(--_inset);
  }
  [part~='button'] {
    position: relative;
    display: grid;
    place-items: center;
    inline-size: 3.5rem;
    block-size: 3.5rem;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.22);
    cursor: pointer;
  }
  [part~='button']:focus-visible,
  [part~='close-button']:focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 3px;
  }
  [part~='badge'] {
    position: absolute;
    inset-block-start: -0.25rem;
    inset-inline-end: -0.25rem;
    min-inline-size: 1.4rem;
    block-size: 1.4rem;
    padding-inline: 0.35rem;
    box-sizing: border-box;
    border-radius: 0.7rem;
    border: 2px solid var(--_bg);
    background: var(--_danger);
    color: #fff;
    font-size: 0.75rem;
    font-weight: 700;
    line-height: 1.1rem;
    text-align: center;
  }
  [part~='panel'] {
    position: absolute;
    inset-block-end: calc(100% + 0.75rem);
    inset-inline-end: 0;
    inline-size: var(--_panel-width);
    block-size: var(--_panel-height);
    display: flex;
    flex-direction: column;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    overflow: hidden;
  }
  :host([position='bottom-left']) [part~='panel'] {
    inset-inline-end: auto;
    inset-inline-start: 0;
  }
  [part~='panel'][hidden] {
    display: none;
  }
  .bar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 0.35rem 0.5rem 0.35rem 0.9rem;
    background: var(--_accent);
    color: var(--_on-accent);
    font-weight: 600;
  }
  [part~='close-button'] {
    border: none;
    background: none;
    color: inherit;
    font-size: 1.5rem;
    line-height: 1;
    inline-size: 2.25rem;
    block-size: 2.25rem;
    border-radius: 50%;
    cursor: pointer;
  }
  chat-app {
    flex: 1;
    block-size: auto;
    min-block-size: 0;
    min-inline-size: 0;
  }
  /* A phone: the open chat takes the whole screen, and its bar's close button stands in for the launcher's. */
  @media (max-width: 480px) {
    [part~='panel'] {
      position: fixed;
      inset: 0;
      inline-size: auto;
      block-size: auto;
      border: none;
      border-radius: 0;
    }
    :host([open]) [part~='button'] {
      display: none;
    }
  }
`;
