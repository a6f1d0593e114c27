/**
 * An editor's note (`IssueView.intro`) that cannot go into an issue: empty, too long, or
 * holding a control character. Its own type so that the command line can report it as the
 * editor's mistake to fix, not as a broken template.
 */
export class IntroError extends Error {
  override readonly name = 'IntroError';
}
