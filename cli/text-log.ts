import type { LogLine } from '#core/common/log-line.ts';

/**
 * A log for a person at the terminal: each line's values in order, joined by `: `
 * (`subscribe: sent`, `warn: SES GetSendQuota failed…: AccessDenied: …`).
 * @param stream where the lines go (stdout for `serve`, stderr beside a command's output)
 */
export function textLog(stream: NodeJS.WritableStream): LogLine {
  return (line) => {
    const values = Object.values(line).map((value) =>
      typeof value === 'string' ? value : JSON.stringify(value),
    );
    stream.write(`${values.join(': ')}\n`);
  };
}
