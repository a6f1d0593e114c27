/** One CSS declaration: `property: value !important`. */
export interface Declaration {
  /** Lowercase property name, e.g. `background-color`; custom properties keep their case. */
  property: string;
  /** The value without `!important`, trimmed. */
  value: string;
  important: boolean;
}

/**
 * The declarations of a `style` attribute, in order. Semicolons inside quotes or parentheses
 * (`url("a;b")`) do not end a declaration; a piece without a colon or a property is skipped,
 * as a browser skips it.
 */
export function parseDeclarations(style: string): Declaration[] {
  const declarations: Declaration[] = [];
  for (const piece of splitOutside(style, ';')) {
    const colon = piece.indexOf(':');
    if (colon < 0) continue;
    const name = piece.slice(0, colon).trim();
    if (!/^(--[\w-]+|-?[a-zA-Z][\w-]*)$/.test(name)) continue;
    let value = piece.slice(colon + 1).trim();
    const important = /!\s*important\s*$/i.test(value);
    if (important) value = value.replace(/!\s*important\s*$/i, '').trim();
    declarations.push({
      property: name.startsWith('--') ? name : name.toLowerCase(),
      value,
      important,
    });
  }
  return declarations;
}

/** The last value of `property` in `style`, as a browser applies it; undefined when absent. */
export function declaredValue(style: string | undefined, property: string): string | undefined {
  if (style === undefined) return undefined;
  return parseDeclarations(style).findLast((declaration) => declaration.property === property)
    ?.value;
}

function splitOutside(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (char === separator && depth === 0) {
      pieces.push(text.slice(start, index));
      start = index + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}
