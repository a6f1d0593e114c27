import { describe, expect, it } from 'vitest';
import { checkContent } from '#core/checks/check-content.ts';
import { parseHtml } from '#core/checks/parse-html.ts';

const postalAddress = 'Example Media Ltd, 1 Example Street, London EC1A 1AA';
const unsubscribe = 'https://news.example.com/unsubscribe?token=v1.AbCdEf0123456789';
const footer = `<p><a href="${unsubscribe}">Unsubscribe</a></p><p>${postalAddress}</p>`;
const text = `Hello\n\nUnsubscribe: ${unsubscribe}\n\nExample Media Ltd, 1 Example Street,\nLondon EC1A 1AA\n`;
const credited = (image: string) =>
  `${image}<p style="font-size:14px">Sunflowers<br>Photo: Tobias Fenn/Coastline Agency</p>`;
const photo = '<img src="https://img.example.com/lead.jpg" alt="Sunflowers" width="552">';

/** The content findings of a message whose body is `body` (then the footer, unless replaced). */
function check(body: string, parts: { text?: string; subject?: string; preheader?: string } = {}) {
  return checkContent(
    parseHtml(`<html><body>${body}</body></html>`),
    { text, subject: 'The garden wins', preheader: 'Also: the ferry', ...parts },
    { postalAddress },
  );
}

describe('checkContent', () => {
  it('finds nothing wrong in a credited photo with alt text and width, and a full footer', () => {
    expect(check(credited(photo) + footer)).toEqual([]);
  });

  it('warns about an image without alt text', () => {
    const image = '<img src="https://img.example.com/lead.jpg" width="552">';

    expect(check(credited(image) + footer)).toEqual([
      expect.objectContaining({
        rule: 'image-alt',
        severity: 'warning',
        where: '<img src="https://img.example.com/lead.jpg">',
      }),
    ]);
  });

  it('warns about an image without a width attribute in pixels', () => {
    const image =
      '<img src="https://img.example.com/lead.jpg" alt="Sunflowers" style="width:552px">';

    expect(check(credited(image) + footer).map((finding) => finding.rule)).toEqual(['image-width']);
  });

  it('warns about a photo whose caption has no credit, and one with no caption at all', () => {
    const body = `${photo}<p>Sunflowers taller than the keeper</p>${photo}<p>Next paragraph</p>`;

    const findings = check(body + footer);

    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['image-credit', 'warning'],
      ['image-credit', 'warning'],
    ]);
  });

  it('does not take the credit of a later photo for an earlier one', () => {
    const findings = check(`${photo}${credited(photo)}${footer}`);

    expect(findings.map((finding) => finding.rule)).toEqual(['image-credit']);
  });

  it('leaves a 1×1 tracking pixel alone', () => {
    const pixel = '<img src="https://t.example.com/o.gif" width="1" height="1">';

    expect(check(pixel + footer)).toEqual([]);
  });

  it('warns about an http: link and an image served over http:', () => {
    const body = `<a href="http://news.example.com/story">Story</a>${credited(photo.replace('https:', 'http:'))}`;

    const findings = check(body + footer);

    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'link-https',
        severity: 'warning',
        where: '<a href="http://news.example.com/story">',
      }),
      expect.objectContaining({ rule: 'image-https', severity: 'warning' }),
    ]);
  });

  it('warns about a mailto: link, which the templates never write', () => {
    const findings = check(`<a href="mailto:editor@example.com">Write to us</a>${footer}`);

    expect(findings).toEqual([
      expect.objectContaining({ rule: 'link-https', severity: 'warning' }),
    ]);
    expect(findings[0]?.message).toContain('mailto:');
  });

  it('counts a javascript: or relative link as an error', () => {
    const findings = check(`<a href="javascript:alert(1)">A</a><a href="/story">B</a>${footer}`);

    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['link-https', 'error'],
      ['link-https', 'error'],
    ]);
  });

  it('is an error when the HTML lacks the unsubscribe link', () => {
    const findings = check(
      `<p><a href="https://news.example.com/issues/1">View</a></p><p>${postalAddress}</p>`,
    );

    expect(findings).toEqual([
      expect.objectContaining({ rule: 'unsubscribe-link', severity: 'error', where: 'HTML part' }),
    ]);
  });

  it('is an error when the text part lacks the unsubscribe link', () => {
    const findings = check(footer, { text: `Hello\n\n${postalAddress}\n` });

    expect(findings).toEqual([
      expect.objectContaining({ rule: 'unsubscribe-link', severity: 'error', where: 'text part' }),
    ]);
  });

  it('takes the unsubscribe marker of a message not yet personalised as the link', () => {
    const marker = 'nlm_unsubscribeUrl_3f9c0a1b2c3d4e5f60718293a4b5c6d7';
    const body = `<p><a href="${marker}">Unsubscribe</a></p><p>${postalAddress}</p>`;

    expect(check(body, { text: `Unsubscribe: ${marker}\n${postalAddress}` })).toEqual([]);
  });

  it('is an error when a part lacks the postal address', () => {
    const findings = check(`<p><a href="${unsubscribe}">Unsubscribe</a></p>`, {
      text: `Unsubscribe: ${unsubscribe}`,
    });

    expect(findings.map((finding) => [finding.rule, finding.severity, finding.where])).toEqual([
      ['postal-address', 'error', 'HTML part'],
      ['postal-address', 'error', 'text part'],
    ]);
  });

  it('is an error when the subject is blank, and notes a blank preheader', () => {
    const findings = check(footer, { subject: ' ', preheader: '' });

    expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['subject', 'error'],
      ['preheader', 'info'],
    ]);
  });
});
