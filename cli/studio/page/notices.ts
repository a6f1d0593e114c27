import { byId, h } from './dom.ts';

/** A notice's button: what it says, and what it does. */
export interface NoticeAction {
  label: string;
  run(): void | Promise<void>;
}

/**
 * The page's notices, at the top of the main area in a polite live region: what changed
 * (templates saved while a draft is shown, an article file refused, the connection lost) and
 * what went wrong, each with a button to dismiss it and, when there is one, a button to act.
 * A notice with a key replaces the earlier one with that key.
 */
export class Notices {
  private readonly root = byId('notices');

  show(
    key: string,
    message: string,
    options: { tone?: 'info' | 'error'; action?: NoticeAction } = {},
  ): void {
    this.dismiss(key);
    const notice = h('div', { class: `notice notice-${options.tone ?? 'info'}`, 'data-key': key });
    notice.append(h('p', {}, message));
    const buttons = h('div', { class: 'notice-buttons' });
    const { action } = options;
    if (action) {
      const button = h('button', { type: 'button' }, action.label);
      button.addEventListener('click', () => {
        button.disabled = true;
        Promise.resolve(action.run()).finally(() => {
          button.disabled = false;
        });
      });
      buttons.append(button);
    }
    const dismiss = h(
      'button',
      { type: 'button', class: 'quiet', 'aria-label': `Dismiss: ${message}` },
      'Dismiss',
    );
    dismiss.addEventListener('click', () => notice.remove());
    buttons.append(dismiss);
    notice.append(buttons);
    this.root.append(notice);
  }

  dismiss(key: string): void {
    for (const notice of Array.from(this.root.querySelectorAll(`[data-key="${key}"]`))) {
      notice.remove();
    }
  }
}
