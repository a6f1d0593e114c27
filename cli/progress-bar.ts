/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal so that logs
 * and pipes stay clean.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  let open = false;
  return {
    update(done: number, total: number): void {
      if (!stream.isTTY || total === 0) return;
      const filled = Math.round((done / total) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(`\r${label} ${bar} ${done}/${total}`);
      open = done !== total;
      if (!open) stream.write('\n');
    },
    /** Ends the line of a bar left short, so that what follows starts on its own line. */
    stop(): void {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
