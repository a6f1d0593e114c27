import type { Config } from '../common/config.ts';
import { isHttpsUrl } from '../common/https-url.ts';
import type { Check } from './check.ts';
import { describeElement } from './describe-element.ts';
import { type HtmlDocument, type HtmlElement, textOf } from './parse-html.ts';

/** The message around the HTML that the content check reads. */
export interface MessageParts {
  /** The plain-text part. */
  text: string;
  subject: string;
  preheader: string;
}

/** What the content check needs from the configuration. */
export interface ContentOptions extends Pick<Config, 'postalAddress'> {
  /** The words that open a photo credit in the templates' caption; default `Photo:`. */
  creditLabel?: string;
}

/**
 * The unsubscribe marker that a render leaves in place of each recipient's link
 * (`make-markers.ts`): a check on an issue before `personalize` sees it instead of the link.
 */
const unsubscribeMarker = /^nlm_unsubscribeUrl_[A-Za-z0-9]{16,}$/;

/**
 * What a reader needs in every message, checked on the HTML and text that recipients get:
 * - each image (a 1×1 tracking pixel aside) has `alt` text and a numeric `width` attribute
 *   (Outlook ignores CSS widths), an `https:` source, and a credit: the first paragraph
 *   (`<p>` or `<figcaption>`) after it, before any other image, holds the credit label
 *   (`Photo:`), as `templates/partials/mjml-caption.hbs` writes it (`warning`s);
 * - each link is `https:`: `http:` and `mailto:` (which the templates never write) are
 *   `warning`s, any other address (relative, `javascript:`, empty) an `error`; the
 *   unsubscribe marker of a message not yet personalised counts as the unsubscribe link;
 * - both parts have the unsubscribe link (a marker, or an address whose path ends with
 *   `/unsubscribe`, as `unsubscribe-url.ts` makes it) and the postal address, whitespace
 *   aside (`error`s);
 * - the subject is not blank (`error`); the preheader is not blank (`info`).
 */
export function checkContent(
  document: HtmlDocument,
  message: MessageParts,
  options: ContentOptions,
): Check[] {
  const checks: Check[] = [];
  const label = options.creditLabel ?? 'Photo:';
  const { elements } = document;
  for (const [index, element] of elements.entries()) {
    if (element.tag === 'img' && !isPixel(element))
      checks.push(...imageChecks(element, index, elements, label));
    if ((element.tag === 'a' || element.tag === 'area') && element.attributes.href !== undefined) {
      const check = linkCheck(element, element.attributes.href.trim());
      if (check) checks.push(check);
    }
  }

  const hasUnsubscribeLink = elements.some(
    (element) => element.tag === 'a' && isUnsubscribeAddress(element.attributes.href?.trim() ?? ''),
  );
  if (!hasUnsubscribeLink) {
    checks.push({
      rule: 'unsubscribe-link',
      severity: 'error',
      message:
        "The HTML has no unsubscribe link: add {{recipient 'unsubscribeUrl'}} to the digest's footer.",
      where: 'HTML part',
    });
  }
  const textAddresses = message.text.match(/\S+/g) ?? [];
  if (!textAddresses.some(isUnsubscribeAddress)) {
    checks.push({
      rule: 'unsubscribe-link',
      severity: 'error',
      message:
        "The text part has no unsubscribe link: add {{recipient 'unsubscribeUrl'}} to its footer.",
      where: 'text part',
    });
  }

  const address = collapse(options.postalAddress);
  const body = elements.find((element) => element.tag === 'body') ?? document.root;
  for (const [part, text] of [
    ['HTML part', textOf(body)],
    ['text part', collapse(message.text)],
  ] as const) {
    if (!text.includes(address)) {
      checks.push({
        rule: 'postal-address',
        severity: 'error',
        message: `The ${part} lacks the postal address (postalAddress), which anti-spam laws such as CAN-SPAM require in every newsletter.`,
        where: part,
      });
    }
  }

  if (message.subject.trim() === '') {
    checks.push({
      rule: 'subject',
      severity: 'error',
      message: 'The subject is empty: give the issue one.',
    });
  }
  if (message.preheader.trim() === '') {
    checks.push({
      rule: 'preheader',
      severity: 'info',
      message: "The preheader is empty: inboxes will preview the message's first words instead.",
    });
  }
  return checks;
}

function imageChecks(
  image: HtmlElement,
  index: number,
  elements: HtmlElement[],
  label: string,
): Check[] {
  const checks: Check[] = [];
  const where = describeElement(image);
  if ((image.attributes.alt ?? '').trim() === '') {
    checks.push({
      rule: 'image-alt',
      severity: 'warning',
      message:
        'An image has no alt text: readers who block images, or use a screen reader, learn nothing from it.',
      where,
    });
  }
  if (!/^\d+$/.test(image.attributes.width?.trim() ?? '')) {
    checks.push({
      rule: 'image-width',
      severity: 'warning',
      message:
        'An image has no width attribute in pixels: Outlook for Windows ignores CSS widths and shows it at full size.',
      where,
    });
  }
  if (!isHttpsUrl(image.attributes.src?.trim() ?? '')) {
    checks.push({
      rule: 'image-https',
      severity: 'warning',
      message: 'An image is not served over https: many clients block it or warn the reader.',
      where,
    });
  }
  if (!isCredited(index, elements, label)) {
    checks.push({
      rule: 'image-credit',
      severity: 'warning',
      message: `An image has no credit: the caption after it should name its author ("${label} …"). Add the credit to the photo.`,
      where,
    });
  }
  return checks;
}

/** Whether the first paragraph after the image, before any other image, holds the credit label. */
function isCredited(index: number, elements: HtmlElement[], label: string): boolean {
  for (const element of elements.slice(index + 1)) {
    if (element.tag === 'img') return false;
    if (element.tag === 'p' || element.tag === 'figcaption') return textOf(element).includes(label);
  }
  return false;
}

function linkCheck(link: HtmlElement, href: string): Check | undefined {
  if (unsubscribeMarker.test(href) || isHttpsUrl(href)) return undefined;
  const where = describeElement(link);
  if (/^http:/i.test(href)) {
    return {
      rule: 'link-https',
      severity: 'warning',
      message:
        'A link is plain http: make it https (http: is only for a local preview on 127.0.0.1).',
      where,
    };
  }
  if (/^mailto:/i.test(href)) {
    return {
      rule: 'link-https',
      severity: 'warning',
      message:
        'A link is a mailto: address, which the templates never write: link to an https: page instead.',
      where,
    };
  }
  return {
    rule: 'link-https',
    severity: 'error',
    message:
      'A link is not an absolute https: address: in a mail it leads nowhere, or somewhere unsafe.',
    where,
  };
}

/** A marker, or an `http(s):` address whose path ends with `/unsubscribe`. */
function isUnsubscribeAddress(value: string): boolean {
  if (unsubscribeMarker.test(value)) return true;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && /\/unsubscribe\/?$/.test(url.pathname);
  } catch {
    return false;
  }
}

/** A 1×1 image such as a tracking pixel: no content to describe or credit. */
function isPixel(image: HtmlElement): boolean {
  return ['width', 'height'].every((name) => /^[01]$/.test(image.attributes[name]?.trim() ?? ''));
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
