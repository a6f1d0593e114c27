import { escapeHtml } from './escape-html.ts';
import { isRecipientField, type RecipientField } from './recipient-fields.ts';
import type { RenderedIssue } from './render-issue.ts';

/** A rendered part cut at its markers: `statics[i]`, value of `fields[i]`, `statics[i+1]`… */
export interface SplitPart {
  statics: string[];
  fields: RecipientField[];
}

const splits = new WeakMap<RenderedIssue, { html: SplitPart; text: SplitPart }>();

/**
 * One recipient's HTML and text: the rendered issue's static parts joined with this
 * recipient's values, HTML-escaped in the HTML and as given in the text. The issue is cut at
 * its markers once (cached per `RenderedIssue` object); no template engine runs here.
 */
export function personalize(
  rendered: RenderedIssue,
  values: Record<RecipientField, string>,
): { html: string; text: string } {
  let split = splits.get(rendered);
  if (!split) {
    split = {
      html: splitAtMarkers(rendered.html, rendered.markers),
      text: splitAtMarkers(rendered.text, rendered.markers),
    };
    splits.set(rendered, split);
  }
  return {
    html: join(split.html, (field) => escapeHtml(values[field])),
    text: join(split.text, (field) => values[field]),
  };
}

/**
 * Cuts a rendered part (HTML or text) at its per-recipient markers.
 * @throws RangeError when a marker is not one that `makeMarkers` writes (a damaged stored issue)
 */
export function splitAtMarkers(
  content: string,
  markers: Record<RecipientField, string>,
): SplitPart {
  const fieldOf = new Map<string, RecipientField>();
  for (const [field, marker] of Object.entries(markers)) {
    // A stored issue is read back from storage: refuse markers that make-markers.ts never
    // writes, which could also be unsafe inside the pattern below.
    if (!isRecipientField(field) || !/^[A-Za-z0-9_]{16,}$/.test(marker)) {
      throw new RangeError(`rendered issue has an invalid marker for "${field}"`);
    }
    fieldOf.set(marker, field);
  }
  const statics: string[] = [];
  const fields: RecipientField[] = [];
  if (fieldOf.size === 0) return { statics: [content], fields };
  const pattern = new RegExp([...fieldOf.keys()].join('|'), 'g');
  let start = 0;
  for (const match of content.matchAll(pattern)) {
    statics.push(content.slice(start, match.index));
    fields.push(fieldOf.get(match[0]) as RecipientField);
    start = match.index + match[0].length;
  }
  statics.push(content.slice(start));
  return { statics, fields };
}

function join(part: SplitPart, fill: (field: RecipientField) => string): string {
  let result = part.statics[0] ?? '';
  for (const [index, field] of part.fields.entries()) {
    result += fill(field) + (part.statics[index + 1] ?? '');
  }
  return result;
}
