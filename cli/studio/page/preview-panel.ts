import type { PreviewAnswer } from './api-types.ts';
import {
  byId,
  type FrameWindow,
  type HTMLElement,
  type HTMLIFrameElement,
  h,
  parseHtml,
  window,
} from './dom.ts';
import { type FrameMode, frameHtml } from './frame-html.ts';
import { type PreviewView, previewViews, previewWidths } from './preview-views.ts';
import { markPreviewDrawn, markStep } from './studio-marks.ts';

/**
 * The preview of the issue: a switch of views (the email in the frame, two approximations of
 * dark mode, the plain text, the HTML source, the inbox row, the headers), a switch of
 * widths, and where the render failed, the error in place of the preview.
 *
 * The frame is two sandboxed iframes (`sandbox="allow-same-origin"`: no script runs in them,
 * links open nothing, and the page may read and set their scroll position). A new render is
 * written into the one behind and, once it is parsed and scrolled where the one in front
 * was, brought to the front: re-renders keep the reader's place and never flash an empty
 * frame.
 */
export class PreviewPanel {
  private view: PreviewView = previewViews[0] as PreviewView;
  private frameMode: FrameMode = 'light';
  private current: PreviewAnswer | undefined;
  private readonly frames: [HTMLIFrameElement, HTMLIFrameElement];
  private front = 0;
  private draws = 0;
  /** The frames whose `srcdoc` is loading: their document is about to be replaced. */
  private readonly navigating = new WeakSet<HTMLIFrameElement>();
  private readonly stage = h('div', { class: 'frame-stage width-600' });
  private readonly panel = h('div', { class: 'view-panel', hidden: true });
  private readonly note = h('p', { class: 'view-note', id: 'view-note', hidden: true });
  private readonly summary = h(
    'p',
    { class: 'preview-summary', id: 'preview-summary' },
    'Loading the preview…',
  );
  private readonly error = h('div', { class: 'render-error', role: 'alert', hidden: true });
  private readonly widthField: HTMLElement;

  /**
   * @param mediaBaseUrl where the configuration says stored photos are served from: the
   *   frame's copy takes them from the studio's own `/media/` (`frameHtml`)
   */
  constructor(private readonly mediaBaseUrl: string) {
    const frame = (front: boolean) =>
      h('iframe', {
        sandbox: 'allow-same-origin',
        title: 'The issue as the recipient sees it',
        class: front ? 'frame' : 'frame frame-back',
        'aria-hidden': front ? undefined : 'true',
        tabindex: front ? undefined : '-1',
      });
    this.frames = [frame(true), frame(false)];
    this.stage.append(...this.frames);
    this.widthField = this.radioGroup(
      'Width',
      'preview-width',
      previewWidths.map((width) => ({ value: String(width), label: `${width} px` })),
      '600',
      (value) => this.setWidth(Number(value)),
    );
    const viewField = this.radioGroup(
      'View',
      'preview-view',
      previewViews.map((view) => ({ value: view.id, label: view.label })),
      this.view.id,
      (value) => this.setView(value),
    );
    byId('preview').append(
      h('div', { class: 'view-switches' }, viewField, this.widthField),
      this.summary,
      this.note,
      this.error,
      this.stage,
      this.panel,
    );
  }

  /** Draws `preview` in every view, the frame included, and hides an earlier error. */
  show(preview: PreviewAnswer, summary: string): void {
    this.current = preview;
    this.summary.textContent = summary;
    this.error.hidden = true;
    this.error.replaceChildren();
    this.applyView();
    this.drawFrame();
  }

  /**
   * Shows what went wrong in place of the preview, naming the template file and line when the
   * render failed; the frame keeps the last render, hidden, for when the next one works.
   */
  showError(title: string, lines: readonly string[]): void {
    this.error.replaceChildren(h('h3', {}, title), ...lines.map((line) => h('p', {}, line)));
    this.error.hidden = false;
    this.stage.hidden = true;
    this.panel.hidden = true;
  }

  /** The answer drawn last. */
  get preview(): PreviewAnswer | undefined {
    return this.current;
  }

  private setWidth(width: number): void {
    for (const each of previewWidths) this.stage.classList.toggle(`width-${each}`, each === width);
  }

  private setView(id: string): void {
    const view = previewViews.find((each) => each.id === id);
    if (!view) return;
    this.view = view;
    const modeChanged = view.kind === 'frame' && view.mode !== this.frameMode;
    if (view.kind === 'frame') this.frameMode = view.mode;
    this.applyView();
    if (modeChanged) this.drawFrame();
  }

  /** Shows the frame or the view's panel, its note, and the width switch for the frame only. */
  private applyView(): void {
    const { view } = this;
    const failed = !this.error.hidden;
    this.note.textContent = view.note ?? '';
    this.note.hidden = view.note === undefined;
    this.widthField.hidden = view.kind !== 'frame';
    this.stage.hidden = failed || view.kind !== 'frame';
    this.panel.hidden = failed || view.kind !== 'panel';
    if (view.kind === 'panel') {
      this.panel.replaceChildren(this.current ? view.render(this.current) : 'No render yet.');
    } else {
      this.panel.replaceChildren();
    }
  }

  /**
   * Writes the render into the frame behind, scrolls it where the one in front is, and brings
   * it to the front. Usually the frame's document takes the new HTML in place: parsed apart
   * (`parseHtml`, inert) and its root imported into the sandboxed frame, without a navigation,
   * in a few milliseconds. The first render, and one whose doctype asks for another mode
   * (standards or quirks) than the frame's document has, go through `srcdoc`: the frame is
   * brought to the front once its new document is parsed (`readyState` past `loading`, looked
   * at each animation frame) or at its `load`. Either way the photos, which carry their sizes,
   * go on loading in front. A draw that a later one overtook is dropped.
   */
  private drawFrame(): void {
    const preview = this.current;
    if (!preview) return;
    const draw = ++this.draws;
    const front = this.frames[this.front] as HTMLIFrameElement;
    const back = this.frames[1 - this.front] as HTMLIFrameElement;
    const place = scrollOf(front.contentWindow);
    const html = frameHtml(preview.html, this.frameMode, this.mediaBaseUrl);
    let shown = false;
    const swap = () => {
      if (shown || draw !== this.draws) return;
      shown = true;
      back.contentWindow?.scrollTo(place.x, place.y);
      back.classList.remove('frame-back');
      back.removeAttribute('aria-hidden');
      back.removeAttribute('tabindex');
      front.classList.add('frame-back');
      front.setAttribute('aria-hidden', 'true');
      front.setAttribute('tabindex', '-1');
      this.front = 1 - this.front;
      markPreviewDrawn();
    };
    const current = back.contentDocument;
    if (current && back.srcdoc !== '' && !this.navigating.has(back)) {
      const parsed = parseHtml(html);
      if (parsed.compatMode === current.compatMode) {
        current.replaceChild(
          current.importNode(parsed.documentElement, true),
          current.documentElement,
        );
        markStep('writtenAt');
        swap();
        return;
      }
    }
    const watch = () => {
      if (shown || draw !== this.draws) return;
      const parsed = back.contentDocument;
      if (parsed && parsed !== current && parsed.readyState !== 'loading') swap();
      else window.requestAnimationFrame(watch);
    };
    this.navigating.add(back);
    back.addEventListener('load', () => this.navigating.delete(back), { once: true });
    back.addEventListener('load', swap, { once: true });
    back.srcdoc = html;
    markStep('writtenAt');
    window.requestAnimationFrame(watch);
  }

  private radioGroup(
    legend: string,
    name: string,
    options: readonly { value: string; label: string }[],
    checked: string,
    onChange: (value: string) => void,
  ): HTMLElement {
    const field = h('fieldset', { class: 'switch' }, h('legend', {}, legend));
    for (const option of options) {
      const id = `${name}-${option.value}`;
      const input = h('input', {
        type: 'radio',
        name,
        id,
        value: option.value,
        checked: option.value === checked,
      });
      input.addEventListener('change', () => {
        if (input.checked) onChange(option.value);
      });
      field.append(
        h('span', { class: 'switch-option' }, input, h('label', { for: id }, option.label)),
      );
    }
    return field;
  }
}

function scrollOf(frame: FrameWindow | null): { x: number; y: number } {
  return frame ? { x: frame.scrollX, y: frame.scrollY } : { x: 0, y: 0 };
}
