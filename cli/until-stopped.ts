/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM, and leaves the next to whoever listens
 * then (by default, Node ends the process).
 */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
