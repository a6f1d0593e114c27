import { vi } from 'vitest';

/** What Powertools wrote while `act` ran: each JSON line of stdout and stderr, parsed. */
export interface PowertoolsOutput {
  stdout: Record<string, unknown>[];
  stderr: Record<string, unknown>[];
  /** Everything written, as written. */
  text: string;
}

/**
 * Runs `act` (synchronous) and gives what it wrote to the process's stdout and stderr, where
 * Powertools' Logger and Metrics write through their own `Console` (outside Lambda's patched
 * `console`, so that the JSON object is the log event itself). Nothing reaches the terminal.
 */
export function powertoolsOutput(act: () => void): PowertoolsOutput {
  const written = { stdout: [] as string[], stderr: [] as string[] };
  const capture = (into: string[]) => (chunk: unknown) => {
    into.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture(written.stdout));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture(written.stderr));
  try {
    act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const lines = (chunks: string[]) =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    stdout: lines(written.stdout),
    stderr: lines(written.stderr),
    text: [...written.stdout, ...written.stderr].join(''),
  };
}
