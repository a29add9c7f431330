import { css } from 'lit';

/**
 * The shared `--chat-*` tokens with their light and dark defaults. A page overrides a token by setting it on
 * the element or any ancestor; the private `--_*` copies are what the components read.
 */
export const theme = css`
  :host {
    --_font: var(
      --chat-font-family,
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      'Noto Sans Arabic',
      sans-serif
    );
    --_size: var(--chat-font-size, 15px);
    --_radius: var(--chat-radius, 10px);
    --_bg: var(--chat-bg, #ffffff);
    --_surface: var(--chat-surface, #f5f6f8);
    --_text: var(--chat-text, #1d2330);
    --_muted: var(--chat-muted, #5d6678);
    --_border: var(--chat-border, #dfe3ea);
    --_accent: var(--chat-accent, #4f46e5);
    --_on-accent: var(--chat-on-accent, #ffffff);
    --_own: var(--chat-own-bubble, color-mix(in srgb, var(--_accent) 14%, var(--_bg)));
    --_other: var(--chat-other-bubble, #f1f3f6);
    --_danger: var(--chat-danger, #c0262d);
    --_ok: var(--chat-success, #178a4c);
    --_focus: var(--chat-focus-ring, var(--_accent));
    font-family: var(--_font);
    font-size: var(--_size);
    color: var(--_text);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--chat-bg, #14161c);
      --_surface: var(--chat-surface, #1c1f27);
      --_text: var(--chat-text, #e7e9ee);
      --_muted: var(--chat-muted, #9aa3b5);
      --_border: var(--chat-border, #2e3340);
      --_accent: var(--chat-accent, #8b85ff);
      --_on-accent: var(--chat-on-accent, #0e0f14);
      --_own: var(--chat-own-bubble, color-mix(in srgb, var(--_accent) 26%, var(--_bg)));
      --_other: var(--chat-other-bubble, #242833);
      --_danger: var(--chat-danger, #ff6b6b);
      --_ok: var(--chat-success, #4cd08a);
      --_focus: var(--chat-focus-ring, var(--_accent));
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
