import type { Rgba } from './parse-color.ts';

/**
 * The contrast ratio of two opaque colours by WCAG 2's formula: (L1 + 0.05) / (L2 + 0.05)
 * of their relative luminances, lighter over darker; from 1 (the same) to 21 (black on white).
 */
export function contrastRatio(foreground: Rgba, background: Rgba): number {
  const [lighter, darker] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05);
}

/** `foreground` painted over the opaque `background` with its alpha. */
export function blend(foreground: Rgba, background: Rgba): Rgba {
  const a = foreground.a;
  return {
    r: foreground.r * a + background.r * (1 - a),
    g: foreground.g * a + background.g * (1 - a),
    b: foreground.b * a + background.b * (1 - a),
    a: 1,
  };
}

function luminance({ r, g, b }: Rgba): number {
  const [lr = 0, lg = 0, lb = 0] = [r, g, b].map((value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}
