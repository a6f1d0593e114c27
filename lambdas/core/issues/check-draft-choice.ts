import { hasControlCharacter } from '../common/control-characters.ts';
import { MAX_PREHEADER_LENGTH } from '../rendering/issue-preheader.ts';
import type { DraftChoice } from './compose-issue.ts';
import { MAX_SUBJECT_LENGTH } from './issue-subject.ts';

/** An editor's subject or preheader that cannot be used; names the option. */
export class DraftChoiceError extends Error {
  override name = 'DraftChoiceError';
}

/**
 * Refuses a subject or preheader an editor wrote that the issue could not carry: empty, a
 * control character (a subject is a header line), or longer than a subject line
 * (`MAX_SUBJECT_LENGTH`) or an inbox preview (`MAX_PREHEADER_LENGTH`) shows. The intro is
 * checked by the renderer (`introParagraphs`).
 * @throws DraftChoiceError
 */
export function checkDraftChoice(choice: DraftChoice): void {
  check('subject', choice.subject, MAX_SUBJECT_LENGTH);
  check('preheader', choice.preheader, MAX_PREHEADER_LENGTH);
}

function check(option: string, value: string | undefined, max: number): void {
  if (value === undefined) return;
  if (value.trim() === '') throw new DraftChoiceError(`--${option} is empty`);
  if (hasControlCharacter(value)) {
    throw new DraftChoiceError(`--${option} holds a control character`);
  }
  const length = [...value].length;
  if (length > max) {
    throw new DraftChoiceError(`--${option} has ${length} characters; at most ${max} fit`);
  }
}
