import { describe, expect, it } from 'vitest';
import { checkContrast } from '#core/checks/check-contrast.ts';
import { contrastRatio } from '#core/checks/contrast-ratio.ts';
import { parseColor } from '#core/checks/parse-color.ts';
import { parseHtml } from '#core/checks/parse-html.ts';

const contrastOf = (body: string) =>
  checkContrast(parseHtml(`<html><body style="background-color:#ffffff">${body}</body></html>`));

describe('contrastRatio', () => {
  it('gives 21:1 for black on white and 1:1 for a colour on itself', () => {
    const black = parseColor('#000') as NonNullable<ReturnType<typeof parseColor>>;
    const white = parseColor('rgb(255, 255, 255)') as NonNullable<ReturnType<typeof parseColor>>;

    expect(contrastRatio(black, white)).toBeCloseTo(21, 5);
    expect(contrastRatio(white, white)).toBe(1);
  });
});

describe('checkContrast', () => {
  it('is an error for text below 3:1, naming the element and both colours', () => {
    expect(contrastOf('<p style="color:#aaaaaa">Faint footer text</p>')).toEqual([
      {
        rule: 'contrast',
        severity: 'error',
        message: 'Text contrast is 2.32:1, below 4.5:1: darken the text or lighten its background.',
        where: '<p> "Faint footer text": #aaaaaa on #ffffff',
      },
    ]);
  });

  it('warns about body text between 3:1 and 4.5:1', () => {
    const findings = contrastOf('<p style="color:#888888">Grey caption</p>');

    expect(findings).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(findings[0]?.message).toContain('3.54:1');
  });

  it('allows 3:1 for large text: 24px, or 18.66px bold', () => {
    const large = '<h1 style="font-size:24px;color:#888888">Headline</h1>';
    const boldish = '<p style="font-size:19px;font-weight:bold;color:#888888">Kicker</p>';
    const small = '<p style="font-size:19px;color:#888888">Not bold</p>';

    expect(contrastOf(large + boldish)).toEqual([]);
    expect(contrastOf(small)).toHaveLength(1);
  });

  it('reads the nearest background: bgcolor, the background shorthand, through a transparent one', () => {
    const body =
      '<table bgcolor="#1f1f1f"><tr><td style="background:transparent"><span style="color:#333333">Dark on dark</span></td></tr></table>' +
      '<div style="background:#0b57a4 none"><p style="color:#0a3d70">Blue on blue</p></div>';

    expect(contrastOf(body).map((finding) => finding.where)).toEqual([
      '<span> "Dark on dark": #333333 on #1f1f1f',
      '<p> "Blue on blue": #0a3d70 on #0b57a4 none',
    ]);
  });

  it('passes readable text, and reports each pair of colours once', () => {
    const body =
      '<p style="color:#1f1f1f">Readable</p><p style="color:#aaaaaa">One</p><p style="color:#aaaaaa">Two</p>';

    expect(contrastOf(body)).toEqual([
      expect.objectContaining({ where: '<p> "One": #aaaaaa on #ffffff (and 1 more)' }),
    ]);
  });

  it('ignores hidden text, such as the preheader MJML hides', () => {
    const body =
      '<div style="display:none;color:#ffffff">Preview text</div>' +
      '<div style="opacity:0;color:#ffffff">Also hidden</div>' +
      '<td style="font-size:0px;color:#ffffff">Gap</td>';

    expect(contrastOf(body)).toEqual([]);
  });

  it('leaves alone text whose colour or background inline styles do not say', () => {
    const body =
      '<p class="faint">Colour in a stylesheet</p>' +
      '<p style="color:hsl(0, 0%, 70%)">A colour it cannot read</p>' +
      '<div style="background-image:url(https://img.example.com/bg.jpg)"><p style="color:#eeeeee">Over a photo</p></div>';

    expect(contrastOf(body)).toEqual([]);
  });
});
