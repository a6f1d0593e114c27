import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { parseHeaderLines } from '#core/sending/message-header-lines.ts';
import {
  buildMimeTemplate,
  type MimeRecipient,
  type MimeSender,
} from '#core/sending/mime-template.ts';

/** The end of a message's header block (RFC 5322: an empty line). */
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * The headers the send will carry for `recipient`, `[name, value]` in order: the message built
 * by the code the sender uses (`buildMimeTemplate` over the render, then `fill` with the
 * recipient, as `Sender.message` does), its header block parsed with postal-mime, values
 * unfolded and decoded (`parseHeaderLines`).
 *
 * `To` is replaced by `shownTo`: a subscriber's address is personal data, and whoever
 * previews needs to know whom the copy is for, not where it goes.
 * @throws HeaderValueError when the message cannot be written for this recipient, as the
 *   sender would fail it
 */
export async function previewHeaders(
  rendered: RenderedIssue,
  sender: MimeSender,
  recipient: MimeRecipient,
  shownTo: string,
): Promise<[string, string][]> {
  const template = await buildMimeTemplate(rendered, sender);
  const raw = template.fill(recipient);
  const end = raw.indexOf(HEADER_END);
  const block = end < 0 ? raw : raw.subarray(0, end + HEADER_END.length);
  const lines = await parseHeaderLines(block);
  return lines.map(([name, value]) => [name, name.toLowerCase() === 'to' ? shownTo : value]);
}
