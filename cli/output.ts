/**
 * Where a command writes: with `--json`, stdout carries the JSON alone and messages for
 * people go to stderr; otherwise messages go to stdout.
 */
export class Output {
  constructor(private readonly json: boolean) {}

  /** A message for the person at the terminal. */
  info(message: string): void {
    (this.json ? process.stderr : process.stdout).write(`${message}\n`);
  }

  /** The command's result for scripts, printed only with `--json`. */
  result(value: unknown): void {
    if (this.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}
