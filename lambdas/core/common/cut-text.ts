/**
 * Shortens text to at most `max` characters (code points, so an emoji counts once), cutting on
 * a word boundary where there is one and marking the cut with an ellipsis, which counts
 * towards `max`. Whitespace runs become single spaces; text that fits is returned as it is.
 */
export function cutText(text: string, max: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  const characters = [...collapsed];
  if (characters.length <= max) return collapsed;
  const room = characters.slice(0, Math.max(0, max - 1)).join('');
  // When the cut falls just before a space, the last word in the room is whole.
  const wholeLastWord = characters[max - 1] === ' ';
  const lastSpace = room.lastIndexOf(' ');
  const kept = wholeLastWord || lastSpace <= 0 ? room : room.slice(0, lastSpace);
  return `${kept.replace(/[\s,;:.\-–—·]+$/u, '')}…`;
}
