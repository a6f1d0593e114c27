/**
 * Why a test send was refused: `no-addresses`, `too-many-addresses` (more than
 * `MAX_TEST_ADDRESSES` distinct ones), `invalid-address` (not an address, or one that cannot
 * be written into a header), `suppressed-address` (it bounced for good or its owner
 * complained), `no-render` (the version has no stored render).
 */
export type TestSendProblem =
  | 'no-addresses'
  | 'too-many-addresses'
  | 'invalid-address'
  | 'suppressed-address'
  | 'no-render';

/**
 * A test send refused before anything was sent: nothing went out and nothing was recorded.
 * The message never holds an address (it names addresses by their place in the list given),
 * so that it can go to a log; the addresses at fault are in `addresses`, for the editor.
 */
export class TestSendError extends Error {
  override name = 'TestSendError';

  constructor(
    readonly problem: TestSendProblem,
    message: string,
    /** The addresses at fault, as given. */
    readonly addresses: readonly string[] = [],
  ) {
    super(`${message} Nothing was sent.`);
  }
}
