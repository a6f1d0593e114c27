/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal so that logs
 * and pipes stay clean.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  return {
    update(done: number, total: number): void {
      if (!stream.isTTY || total === 0) return;
      const filled = Math.round((done / total) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(`\r${label} ${bar} ${done}/${total}`);
      if (done === total) stream.write('\n');
    },
  };
}
