import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where `send` keeps each rendered issue locally: `<state>/issues/<issueId>.html` and `.txt`. */
export function localIssuePath(stateDir: string, issueId: string, extension: 'html' | 'txt') {
  return join(stateDir, 'issues', `${issueId}.${extension}`);
}

/** Writes an issue's HTML and text, without personal data, into the state folder. */
export async function writeLocalIssue(
  stateDir: string,
  issueId: string,
  content: { html: string; text: string },
): Promise<void> {
  await mkdir(join(stateDir, 'issues'), { recursive: true });
  await writeFile(localIssuePath(stateDir, issueId, 'html'), content.html);
  await writeFile(localIssuePath(stateDir, issueId, 'txt'), content.text);
}
