import type { PreviewAnswer } from './api-types.ts';
import { type HTMLElement, h } from './dom.ts';
import type { FrameMode } from './frame-html.ts';
import { preheaderCuts } from './preheader-cut.ts';

/** A view drawn in the preview frame, in one of the frame's modes. */
export interface FrameView {
  id: string;
  label: string;
  kind: 'frame';
  mode: FrameMode;
  /** Said above the frame in this view: what it shows, and that it is an approximation. */
  note?: string;
}

/** A view drawn by the page itself from the preview answer. */
export interface PanelView {
  id: string;
  label: string;
  kind: 'panel';
  note?: string;
  render(preview: PreviewAnswer): HTMLElement;
}

export type PreviewView = FrameView | PanelView;

/**
 * The preview's views, in the order their switch lists them. To add one: write its `render`
 * (or give a frame mode, see `frame-html.ts`) and add it here; `docs/studio-page.md` says more.
 */
export const previewViews: readonly PreviewView[] = [
  { id: 'email', label: 'Email', kind: 'frame', mode: 'light' },
  {
    id: 'dark-full',
    label: 'Dark: full inversion',
    kind: 'frame',
    mode: 'dark-full',
    note: "An approximation of a full dark mode, as Gmail's apps apply it: the whole message inverted, pictures kept as they are.",
  },
  {
    id: 'dark-partial',
    label: 'Dark: partial',
    kind: 'frame',
    mode: 'dark-partial',
    note: 'An approximation of a partial dark mode, as Outlook applies it: light backgrounds darkened and dark text lightened; dark backgrounds and pictures kept.',
  },
  { id: 'text', label: 'Plain text', kind: 'panel', render: textView },
  { id: 'source', label: 'HTML source', kind: 'panel', render: sourceView },
  {
    id: 'inbox',
    label: 'Inbox row',
    kind: 'panel',
    note: 'How inbox lists show the message: where each client cuts the preheader is an approximation (see preheader-cut.ts).',
    render: inboxView,
  },
  { id: 'headers', label: 'Headers', kind: 'panel', render: headersView },
];

/** The widths the frame can take, in CSS pixels: the design's, and two phones'. */
export const previewWidths = [600, 375, 320] as const;

function textView(preview: PreviewAnswer): HTMLElement {
  return h(
    'pre',
    { class: 'plain-text', tabindex: 0, 'aria-label': 'The plain-text part' },
    preview.text,
  );
}

function sourceView(preview: PreviewAnswer): HTMLElement {
  return h(
    'pre',
    { class: 'html-source', tabindex: 0, 'aria-label': 'The HTML part, as sent' },
    h('code', {}, preview.html),
  );
}

function inboxView(preview: PreviewAnswer): HTMLElement {
  const rows = preheaderCuts(preview.preheader).map((cut) => {
    const phone = cut.client.includes('iPhone');
    return h(
      'li',
      { class: `inbox-row ${phone ? 'inbox-phone' : 'inbox-desktop'}` },
      h(
        'p',
        { class: 'inbox-client' },
        `${cut.client}: about ${cut.limit} characters${cut.cut ? ', cut' : ''}`,
      ),
      h(
        'div',
        { class: 'inbox-line' },
        h('span', { class: 'inbox-from' }, preview.from.name),
        h(
          'span',
          { class: 'inbox-text' },
          h('span', { class: 'inbox-subject' }, preview.subject),
          h('span', { class: 'inbox-preheader' }, cut.shown),
        ),
      ),
    );
  });
  return h(
    'div',
    { class: 'inbox' },
    h('ul', { class: 'inbox-rows' }, ...rows),
    h('p', { class: 'help' }, `Preheader: ${[...preview.preheader].length} characters.`),
  );
}

function headersView(preview: PreviewAnswer): HTMLElement {
  if (preview.headers.length === 0) {
    return h(
      'p',
      { class: 'help' },
      'The public copy is not mailed: it has no headers. Choose a persona or a subscriber to see them.',
    );
  }
  return h(
    'table',
    { class: 'headers' },
    h('caption', {}, 'The headers the send will carry'),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, 'Header'), h('th', { scope: 'col' }, 'Value')),
    ),
    h(
      'tbody',
      {},
      ...preview.headers.map(([name, value]) =>
        h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)),
      ),
    ),
  );
}
