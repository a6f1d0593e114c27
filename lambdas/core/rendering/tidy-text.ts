/**
 * Tidies a rendered plain-text part: no trailing spaces, at most one blank line in a row,
 * no blank lines at either end, one final newline.
 */
export function tidyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return `${lines
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
