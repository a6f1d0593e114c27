import { window } from './dom.ts';

/**
 * What the page tells tests and benchmarks on `window.studioPreview`: how many renders of the
 * preview it has drawn and when it drew the last (milliseconds since the epoch), with the
 * steps that led to it when known: when the `templates-changed` event came, when the preview
 * was asked for, when its answer came and when it was written into the frame. And a `studio:preview-drawn` performance mark for
 * each render drawn.
 */
export interface PreviewMarks {
  drawn: number;
  drawnAt: number;
  eventAt?: number;
  requestedAt?: number;
  answeredAt?: number;
  writtenAt?: number;
}

type Step = 'eventAt' | 'requestedAt' | 'answeredAt' | 'writtenAt';

let steps: Partial<Record<Step, number>> = {};

/** Notes a step towards the next render drawn. */
export function markStep(step: Step): void {
  steps[step] = Date.now();
}

/** Records one render drawn in the preview frame. */
export function markPreviewDrawn(): void {
  const marks = (window.studioPreview as PreviewMarks | undefined) ?? { drawn: 0, drawnAt: 0 };
  window.studioPreview = {
    drawn: marks.drawn + 1,
    drawnAt: Date.now(),
    ...steps,
  } satisfies PreviewMarks;
  steps = {};
  performance.mark('studio:preview-drawn');
}
