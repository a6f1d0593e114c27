import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, with the flags a headless run needs on a closed network. */
const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** The folder the browser tests write their pages and screenshots to, for people to look at. */
export const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

/**
 * Launches Debian's Chromium headless on a closed network.
 *
 * @param extraArgs - flags added after the usual ones, such as a feature to turn on
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ ...launchOptions, args: [...launchOptions.args, ...extraArgs] });
}
