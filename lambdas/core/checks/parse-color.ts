/** A colour in sRGB: channels 0–255, alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** The named colours the contrast check knows: HTML's sixteen, and a few more. */
const named: Record<string, string> = {
  black: '#000000',
  silver: '#c0c0c0',
  gray: '#808080',
  grey: '#808080',
  white: '#ffffff',
  maroon: '#800000',
  red: '#ff0000',
  purple: '#800080',
  fuchsia: '#ff00ff',
  green: '#008000',
  lime: '#00ff00',
  olive: '#808000',
  yellow: '#ffff00',
  navy: '#000080',
  blue: '#0000ff',
  teal: '#008080',
  aqua: '#00ffff',
  orange: '#ffa500',
  lightgray: '#d3d3d3',
  lightgrey: '#d3d3d3',
  darkgray: '#a9a9a9',
  darkgrey: '#a9a9a9',
};

/**
 * Reads a CSS colour: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()` and `rgba()` (commas
 * or spaces, numbers or percentages), `transparent`, and the names in `named`. Anything else
 * (other names, `hsl()`, `currentColor`, `inherit`) is undefined: not known.
 */
export function parseColor(value: string): Rgba | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const hex = named[text] ?? text;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])?$/.exec(hex);
  if (short) {
    const [r = '', g = '', b = '', a = 'f'] = short.slice(1).map((digit) => digit ?? 'f');
    return {
      r: Number.parseInt(r + r, 16),
      g: Number.parseInt(g + g, 16),
      b: Number.parseInt(b + b, 16),
      a: Number.parseInt(a + a, 16) / 255,
    };
  }
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/.exec(hex);
  if (long) {
    const [r = '', g = '', b = '', a = 'ff'] = long.slice(1).map((pair) => pair ?? 'ff');
    return {
      r: Number.parseInt(r, 16),
      g: Number.parseInt(g, 16),
      b: Number.parseInt(b, 16),
      a: Number.parseInt(a, 16) / 255,
    };
  }
  const functional = /^rgba?\(\s*([^)]*)\)$/.exec(text);
  if (!functional) return undefined;
  const parts = (functional[1] ?? '').split(/\s*[,/]\s*|\s+/).filter((part) => part !== '');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const channels = parts.slice(0, 3).map((part) => channel(part, 255));
  const alpha = parts[3] === undefined ? 1 : channel(parts[3], 1);
  if (channels.some((c) => c === undefined) || alpha === undefined) return undefined;
  const [r = 0, g = 0, b = 0] = channels as number[];
  return { r, g, b, a: alpha };
}

/** The first colour in a `background` shorthand, e.g. `#ffffff url(a.png) no-repeat` → `#ffffff`. */
export function backgroundColorOf(background: string): Rgba | undefined {
  const withoutUrls = background.replace(/url\([^)]*\)/gi, ' ');
  for (const token of withoutUrls.match(/rgba?\([^)]*\)|#[0-9a-f]+|[a-z]+/gi) ?? []) {
    const color = parseColor(token);
    if (color) return color;
  }
  return undefined;
}

function channel(part: string, scale: number): number | undefined {
  const percent = part.endsWith('%');
  const number = Number(percent ? part.slice(0, -1) : part);
  if (!Number.isFinite(number)) return undefined;
  const value = percent ? (number / 100) * scale : number;
  return Math.min(scale, Math.max(0, value));
}
