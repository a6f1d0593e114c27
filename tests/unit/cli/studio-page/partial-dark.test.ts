import { describe, expect, it } from 'vitest';
import {
  darkenedBackground,
  formatColor,
  fromHsl,
  isLight,
  lightenedText,
  PARTIAL_DARK_BASE_CSS,
  partialDarkDeclarations,
  partialDarkHtml,
  partialDarkValue,
  toHsl,
} from '#cli/studio/page/partial-dark.ts';
import { parseColor } from '#core/checks/parse-color.ts';

function colour(text: string) {
  const parsed = parseColor(text);
  if (!parsed) throw new Error(`not a colour: ${text}`);
  return parsed;
}

function lightnessOf(text: string): number {
  return toHsl(colour(text))[2];
}

describe('the colours of a partial dark mode', () => {
  it('tells light colours from dark ones by which of black or white text reads better on them', () => {
    expect(['#ffffff', '#f2efe9', '#e3ded4', '#ffd54f'].map((c) => isLight(colour(c)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['#000000', '#1f1f1f', '#0b57a4', '#b3261e'].map((c) => isLight(colour(c)))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('darkens a light background, white to 10 % lightness, keeping its hue', () => {
    const white = darkenedBackground(colour('#ffffff'));
    const cream = darkenedBackground(colour('#f2efe9'));

    expect(formatColor(white)).toBe('#1a1a1a');
    expect(toHsl(cream)[2]).toBeLessThan(0.2);
    expect(toHsl(cream)[0]).toBeCloseTo(toHsl(colour('#f2efe9'))[0], 0);
  });

  it('leaves a dark background as it is', () => {
    const navy = colour('#102a43');

    expect(darkenedBackground(navy)).toBe(navy);
  });

  it('lightens dark text, black to 92 % lightness, keeping its hue; leaves light text', () => {
    const ink = lightenedText(colour('#1f1f1f'));
    const link = lightenedText(colour('#0b57a4'));
    const pale = colour('#eeeeee');

    expect(toHsl(lightenedText(colour('#000000')))[2]).toBeCloseTo(0.92, 2);
    expect(toHsl(ink)[2]).toBeGreaterThan(0.85);
    expect(toHsl(link)[2]).toBeGreaterThan(0.7);
    expect(toHsl(link)[0]).toBeCloseTo(toHsl(colour('#0b57a4'))[0], 0);
    expect(lightenedText(pale)).toBe(pale);
  });

  it('converts between sRGB and HSL both ways', () => {
    for (const text of ['#b3261e', '#0b57a4', '#f2efe9', '#1b6e3a', '#808080']) {
      const [h, s, l] = toHsl(colour(text));
      expect(formatColor(fromHsl(h, s, l))).toBe(text);
    }
  });

  it('keeps the alpha of a colour that is not opaque', () => {
    expect(partialDarkValue('rgba(255, 255, 255, 0.5)', 'background')).toBe('rgba(26,26,26,0.5)');
  });
});

describe('partialDarkValue and partialDarkDeclarations', () => {
  it('changes the colour of a background shorthand and leaves its image and other words', () => {
    expect(
      partialDarkValue('#ffffff url(https://img.example.com/a.png#fff) no-repeat', 'background'),
    ).toBe('#1a1a1a url(https://img.example.com/a.png#fff) no-repeat');
  });

  it('leaves transparent, unknown colours and keywords alone', () => {
    expect(partialDarkValue('transparent', 'background')).toBe('transparent');
    expect(partialDarkValue('inherit', 'text')).toBe('inherit');
    expect(partialDarkValue('hsl(0 0% 100%)', 'background')).toBe('hsl(0 0% 100%)');
  });

  it('changes color, background-color and background, and leaves border colours and other properties', () => {
    const css =
      'color:#1f1f1f;background-color:#ffffff;border:1px solid #e3ded4;border-color:#000;background:#f2efe9;font-size:17px';

    const changed = partialDarkDeclarations(css);

    expect(changed).toContain('border:1px solid #e3ded4');
    expect(changed).toContain('border-color:#000');
    expect(changed).toContain('font-size:17px');
    expect(changed).not.toContain('color:#1f1f1f');
    expect(changed).toContain('background-color:#1a1a1a');
    expect(lightnessOf(/;color:(#[0-9a-f]{6})/.exec(`;${changed}`)?.[1] ?? '')).toBeGreaterThan(
      0.85,
    );
  });

  it('keeps !important and the spacing of a declaration', () => {
    expect(partialDarkDeclarations('color : #000000 !important')).toBe(
      'color : #ebebeb !important',
    );
  });

  it('changes rules in a style sheet, not its selectors or a prefers-color-scheme query', () => {
    const sheet =
      '@media (prefers-color-scheme: dark){.x{color:#000000}} .color-box{background-color:#ffffff}';

    expect(partialDarkDeclarations(sheet)).toBe(
      '@media (prefers-color-scheme: dark){.x{color:#ebebeb}} .color-box{background-color:#1a1a1a}',
    );
  });
});

describe('partialDarkHtml', () => {
  const html = [
    '<!doctype html><html><head><style>p{color:#1f1f1f}</style></head>',
    '<body style="background-color:#f2efe9">',
    '<table bgcolor="#ffffff" role="presentation"><tr><td style="background:#102a43;color:#ffffff">Dark band</td></tr></table>',
    '<font color="#333333">Old text</font>',
    '<img src="https://img.example.com/p.jpg" alt="A photo" style="border:0">',
    '<!--[if mso]><table bgcolor="#ffffff"><tr><td><![endif]-->',
    '<p>Says style="color:#000000" in its text &amp; more</p>',
    '</body></html>',
  ].join('');

  it('darkens the light backgrounds of style attributes, bgcolor attributes and style sheets', () => {
    const changed = partialDarkHtml(html);

    expect(changed).toContain('<body style="background-color:#');
    expect(changed).not.toContain('background-color:#f2efe9');
    expect(changed).toContain('<table bgcolor="#1a1a1a" role="presentation">');
  });

  it('lightens dark text of style sheets and <font color>', () => {
    const changed = partialDarkHtml(html);

    expect(changed).not.toContain('p{color:#1f1f1f}');
    expect(changed).not.toContain('<font color="#333333">');
  });

  it('leaves dark backgrounds with their light text, images, comments and the text of the message', () => {
    const changed = partialDarkHtml(html);

    expect(changed).toContain('<td style="background:#102a43;color:#ffffff">Dark band</td>');
    expect(changed).toContain(
      '<img src="https://img.example.com/p.jpg" alt="A photo" style="border:0">',
    );
    expect(changed).toContain('<!--[if mso]><table bgcolor="#ffffff"><tr><td><![endif]-->');
    expect(changed).toContain('<p>Says style="color:#000000" in its text &amp; more</p>');
  });

  it("puts the client's dark canvas first in the head, under the message's own styles", () => {
    const changed = partialDarkHtml(html);

    expect(
      changed.startsWith(
        `<!doctype html><html><head><style>${PARTIAL_DARK_BASE_CSS}</style><style>`,
      ),
    ).toBe(true);
  });

  it('reads single-quoted and unquoted attributes too', () => {
    expect(
      partialDarkHtml("<head></head><div style='color:#000000' bgcolor=#ffffff>x</div>"),
    ).toContain("<div style='color:#ebebeb' bgcolor=#1a1a1a>x</div>");
  });
});
