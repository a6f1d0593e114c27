import { h } from './dom.ts';

/**
 * Asks the editor to confirm a destructive action in a modal `<dialog>`: its question, and two
 * buttons, the one that keeps things as they are first and focused. Resolves with whether the
 * editor confirmed; Escape, like "Keep it", answers no. The dialog is made once and reused.
 */
export class ConfirmDialog {
  private readonly dialog = h('dialog', {
    class: 'confirm-dialog',
    'aria-labelledby': 'confirm-title',
  });
  private readonly question = h('p', { id: 'confirm-question' });
  private readonly confirmButton = h('button', {
    type: 'submit',
    value: 'confirm',
    class: 'danger',
  });

  constructor(parent: { append(node: unknown): void }) {
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { id: 'confirm-title' }, 'Are you sure?'),
      this.question,
      h(
        'div',
        { class: 'dialog-buttons' },
        h('button', { type: 'submit', value: 'keep', autofocus: true }, 'Keep it'),
        this.confirmButton,
      ),
    );
    this.dialog.setAttribute('aria-describedby', 'confirm-question');
    this.dialog.append(form);
    parent.append(this.dialog);
  }

  /** Shows `question`; the confirming button reads `confirmLabel`. */
  ask(question: string, confirmLabel: string): Promise<boolean> {
    this.question.textContent = question;
    this.confirmButton.textContent = confirmLabel;
    this.dialog.returnValue = '';
    return new Promise((resolve) => {
      this.dialog.addEventListener('close', () => resolve(this.dialog.returnValue === 'confirm'), {
        once: true,
      });
      this.dialog.showModal();
    });
  }
}
