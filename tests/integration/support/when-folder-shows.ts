import { watch } from 'node:fs';

/**
 * Resolves once `check` holds, checking at once and again on every change to a file in `dir`
 * (which must exist), so that a test waits for what it expects to happen, not for a while.
 * Rejects when `check` still fails after `timeoutMs`, or when `gaveUp` settles first (e.g.
 * the process that should make the change exited).
 */
export function whenFolderShows(
  dir: string,
  check: () => Promise<boolean>,
  options: { what: string; timeoutMs: number; gaveUp?: Promise<unknown> },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let checking = false;
    let again = false;
    const watcher = watch(dir);
    const timer = setTimeout(
      () =>
        finish(new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`)),
      options.timeoutMs,
    );
    function finish(error?: Error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve();
    }
    async function recheck() {
      // One check at a time; changes during a check cause one more.
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await check()) return finish();
        } while (again && !settled);
      } catch (error) {
        finish(error as Error);
      } finally {
        checking = false;
      }
    }
    watcher.on('change', () => void recheck());
    watcher.on('error', (error) => finish(error));
    // What the process did last may be what was awaited: one last look before giving up.
    const giveUp = () =>
      check().then(
        (holds) => finish(holds ? undefined : new Error(`gave up waiting for ${options.what}`)),
        (error: unknown) => finish(error as Error),
      );
    options.gaveUp?.then(giveUp, giveUp);
    void recheck();
  });
}
