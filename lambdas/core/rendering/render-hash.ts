import { createHash } from 'node:crypto';
import type { RenderedIssue } from './render-issue.ts';

const SEPARATOR = new Uint8Array([0]);

/**
 * The fingerprint of a render as it stands before any recipient's values go in: lowercase
 * hex SHA-256 of its subject, preheader, HTML and text, in that order, each in UTF-8 and
 * followed by a zero byte (so that text moved from one part to the next changes the hash).
 * An editor can check that what is sent is the render they approved. The HTML and text carry
 * the render's random per-recipient markers, so rendering the same issue again gives another
 * hash: the hash names one render, not its content.
 */
export function renderHash(
  rendered: Pick<RenderedIssue, 'subject' | 'preheader' | 'html' | 'text'>,
): string {
  const hash = createHash('sha256');
  for (const part of [rendered.subject, rendered.preheader, rendered.html, rendered.text]) {
    hash.update(part, 'utf8');
    hash.update(SEPARATOR);
  }
  return hash.digest('hex');
}
