/**
 * Folds text into lines of at most `width` characters (code points, so an emoji counts once), breaking at spaces. Existing line
 * breaks are kept; a word longer than the width (a URL) stays whole on its own line.
 * @param width columns; default 72
 */
export function wrapText(text: string, width = 72): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  const words = line.split(/ +/).filter((word) => word !== '');
  const lines: string[] = [];
  let current = '';
  let columns = 0;
  for (const word of words) {
    const length = columnsOf(word);
    if (current === '') {
      current = word;
      columns = length;
    } else if (columns + 1 + length <= width) {
      current += ` ${word}`;
      columns += 1 + length;
    } else {
      lines.push(current);
      current = word;
      columns = length;
    }
  }
  lines.push(current);
  return lines.join('\n');
}

function columnsOf(word: string): number {
  let count = 0;
  for (const _ of word) count++;
  return count;
}
