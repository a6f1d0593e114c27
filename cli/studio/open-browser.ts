import { spawn } from 'node:child_process';

/**
 * Opens `url` in the default browser (`open` on macOS, `cmd /c start` on Windows, `xdg-open`
 * elsewhere), without waiting for it. A failure only calls `warn`: the address is printed
 * anyway, to open by hand.
 */
export function openBrowser(url: string, warn: (message: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const failed = (why: string) =>
    warn(`could not open a browser (${command}: ${why}); open ${url} yourself`);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) => failed(error.message));
    child.once('exit', (code) => {
      if (code !== null && code !== 0) failed(`exit code ${code}`);
    });
    child.unref();
  } catch (error) {
    failed((error as Error).message);
  }
}
