import { messageOf, type StudioApi } from './api.ts';
import type { OutboxEntry, OutboxMessage, TestSendAnswer } from './api-types.ts';
import { byId, type HTMLElement, h } from './dom.ts';
import { NO_NAVIGATION } from './frame-html.ts';
import { injectIntoHead } from './head-inject.ts';

/** Most addresses a test send takes (`issues test`). */
const MAX_TEST_ADDRESSES = 10;

/**
 * The test send of the draft shown (`POST /api/issues/:id/test`), and locally the outbox
 * (`GET /outbox`): each message there opens inside the studio (`GET /outbox/:id`) as a mail
 * client shows it, its headers, its HTML in a sandboxed frame and its text.
 */
export class TestSendPanel {
  private draft: { issueId: string; version: number; subject: string } | undefined;
  private readonly about = h('p', { class: 'help' });
  private readonly addresses = h('input', {
    id: 'test-to',
    type: 'text',
    autocomplete: 'email',
    'aria-describedby': 'test-to-help',
  });
  private readonly sendButton = h('button', { type: 'submit', class: 'primary' }, 'Send test');
  private readonly result = h('div', { class: 'test-result', role: 'status' });
  private readonly outbox = h('ul', { class: 'outbox-list' });
  private readonly viewer = h('dialog', {
    class: 'message-dialog',
    'aria-labelledby': 'message-subject',
  });

  constructor(
    private readonly api: StudioApi,
    private readonly local: boolean,
  ) {
    const form = h(
      'form',
      { class: 'test-form' },
      h('label', { for: 'test-to' }, 'Send to'),
      h('div', { class: 'inline' }, this.addresses, this.sendButton),
      h(
        'p',
        { class: 'help', id: 'test-to-help' },
        `Up to ${MAX_TEST_ADDRESSES} addresses, separated by commas or spaces; subscribers or not.`,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    const root = byId('test-send');
    root.append(this.about, form, this.result);
    if (local) {
      const refresh = h('button', { type: 'button', class: 'quiet' }, 'Refresh the outbox');
      refresh.addEventListener('click', () => void this.refreshOutbox());
      root.append(
        h('h3', { id: 'outbox-heading' }, 'Outbox'),
        h('p', { class: 'help' }, 'What the local services sent, newest first.'),
        refresh,
        this.outbox,
      );
    }
    byId('main').append(this.viewer);
    this.setDraft(undefined);
  }

  /** The draft a test send mails, or none: then the form says how to get one. */
  setDraft(draft: { issueId: string; version: number; subject: string } | undefined): void {
    this.draft = draft;
    this.about.textContent = draft
      ? `Mails version ${draft.version} of the draft “${draft.subject}”, its subject beginning [TEST].`
      : 'A test send mails a draft: choose one under “Issue”, or save the articles as a draft.';
    this.addresses.disabled = !draft;
    this.sendButton.disabled = !draft;
  }

  private async send(): Promise<void> {
    const { draft } = this;
    if (!draft) return;
    const to = this.addresses.value.split(/[\s,;]+/).filter((address) => address !== '');
    if (to.length === 0) {
      this.result.replaceChildren(h('p', { class: 'error' }, 'Give at least one address.'));
      this.addresses.focus();
      return;
    }
    this.sendButton.disabled = true;
    this.result.replaceChildren(h('p', {}, 'Sending…'));
    try {
      const answer = await this.api.post<TestSendAnswer>(`/api/issues/${draft.issueId}/test`, {
        to,
      });
      this.result.replaceChildren(
        h(
          'p',
          {},
          `Sent version ${answer.version} to ${answer.sent} of ${answer.recipients.length}.`,
        ),
        h(
          'ul',
          {},
          ...answer.recipients.map((recipient) =>
            h(
              'li',
              {},
              `${recipient.address}: ${recipient.status}${recipient.error ? ` (${recipient.error})` : ''}`,
            ),
          ),
        ),
      );
      if (this.local) await this.refreshOutbox();
    } catch (error) {
      this.result.replaceChildren(
        h('p', { class: 'error' }, `The test was not sent: ${messageOf(error)}`),
      );
    } finally {
      this.sendButton.disabled = !this.draft;
    }
  }

  /** Lists the outbox again. */
  async refreshOutbox(): Promise<void> {
    if (!this.local) return;
    try {
      const entries = await this.api.get<OutboxEntry[]>('/outbox');
      const newest = [...entries].sort((a, b) => b.at.localeCompare(a.at));
      this.outbox.replaceChildren(...newest.map((entry) => this.outboxItem(entry)));
      if (newest.length === 0) this.outbox.append(h('li', { class: 'help' }, 'Empty.'));
    } catch (error) {
      this.outbox.replaceChildren(
        h('li', { class: 'error' }, `The outbox cannot be read: ${messageOf(error)}`),
      );
    }
  }

  private outboxItem(entry: OutboxEntry): HTMLElement {
    const to = Array.isArray(entry.to) ? entry.to.join(', ') : entry.to;
    const open = h('button', { type: 'button', class: 'outbox-open' }, entry.subject);
    open.addEventListener('click', () => void this.open(entry.id));
    return h(
      'li',
      {},
      open,
      h('span', { class: 'outbox-meta' }, ` to ${to}, ${formatTime(entry.at)}`),
    );
  }

  private async open(id: string): Promise<void> {
    let message: OutboxMessage;
    try {
      message = await this.api.get<OutboxMessage>(`/outbox/${encodeURIComponent(id)}`);
    } catch (error) {
      this.result.replaceChildren(
        h('p', { class: 'error' }, `The message cannot be opened: ${messageOf(error)}`),
      );
      return;
    }
    const close = h('button', { type: 'button' }, 'Close');
    close.addEventListener('click', () => this.viewer.close());
    const to = Array.isArray(message.to) ? message.to.join(', ') : message.to;
    this.viewer.replaceChildren(
      h(
        'div',
        { class: 'message' },
        h(
          'div',
          { class: 'message-top' },
          h('h2', { id: 'message-subject' }, message.subject),
          close,
        ),
        h(
          'dl',
          { class: 'message-envelope' },
          h('dt', {}, 'From'),
          h('dd', {}, message.from),
          h('dt', {}, 'To'),
          h('dd', {}, to),
        ),
        h(
          'details',
          { class: 'message-headers' },
          h('summary', {}, `All headers (${message.headers.length})`),
          h(
            'table',
            {},
            h(
              'tbody',
              {},
              ...message.headers.map(([name, value]) =>
                h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)),
              ),
            ),
          ),
        ),
        h('iframe', {
          class: 'message-html',
          sandbox: 'allow-same-origin',
          title: `The HTML part of “${message.subject}”`,
          srcdoc: injectIntoHead(message.html, NO_NAVIGATION),
        }),
        h(
          'details',
          { class: 'message-text' },
          h('summary', {}, 'The plain-text part'),
          h('pre', { class: 'plain-text', tabindex: 0 }, message.text),
        ),
      ),
    );
    this.viewer.showModal();
  }
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
