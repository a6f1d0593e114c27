import { assertSafeLinks } from './assert-safe-links.ts';
import type { IssueView } from './issue-view.ts';
import { makeMarkers, randomToken } from './make-markers.ts';
import { type IssueLayout, markLayout, readLayout } from './measure-layout.ts';
import { mjmlToHtml } from './mjml-to-html.ts';
import type { RecipientField } from './recipient-fields.ts';
import { type NamedTemplate, renderHandlebars } from './render-handlebars.ts';
import { toTemplateData } from './template-data.ts';
import { TemplateError } from './template-error.ts';
import { type TemplateSet, templateFileNames } from './templates.ts';
import { tidyText } from './tidy-text.ts';
import { trustedBaseUrls as trustedBasesOf } from './trusted-base-urls.ts';

export type { IssueLayout } from './measure-layout.ts';
export type { RecipientField } from './recipient-fields.ts';

/** An issue rendered once for all recipients; `personalize` fills in each recipient. */
export interface RenderedIssue {
  issueId: string;
  subject: string;
  /**
   * The inbox preview line this render carries: `IssueView.preheader`, else the one made from
   * the headlines. Here so that callers can show it and hash it (`renderHash`) without
   * reading it back out of the HTML.
   */
  preheader: string;
  /** Minified HTML with a marker where each per-recipient value goes. */
  html: string;
  /** Plain text with the same markers. */
  text: string;
  /** The random marker that stands for each field in this render. */
  markers: Record<RecipientField, string>;
  /** Where each article and slide lies in `html`; only when the view asked to `measure`. */
  layout?: IssueLayout;
}

/**
 * Renders an issue once: Handlebars over the MJML template (article text and the editor's
 * note escaped for HTML) then MJML to minified HTML, and the text template (the same text as
 * written). Per-recipient values are left as markers that are new for every render. With
 * `view.measure`, it also reports the issue's layout, at no cost to the HTML (see
 * `measure-layout.ts`).
 * @param random a source of unguessable tokens for the markers; default: `crypto.randomUUID`
 * @throws IntroError when `view.intro` is empty, too long or holds a control character
 * @throws TemplateError when a template cannot be rendered, produces invalid MJML, writes a
 *   link that is not `https:`, or lacks the unsubscribe link
 */
export async function renderIssue(
  view: IssueView,
  templates: TemplateSet,
  random: () => string = randomToken,
): Promise<RenderedIssue> {
  const markers = makeMarkers(random);
  const data = toTemplateData(view);
  const digest: NamedTemplate = { name: templateFileNames.digest, source: templates.digest };
  const textTemplate: NamedTemplate = { name: templateFileNames.text, source: templates.text };
  const partials = templates.partials;
  const trustedBaseUrls = trustedBasesOf(view);
  // Article text and the editor's note are never templates, so a marker made of a fresh random
  // token cannot occur in them: the layout markers are found again, and removed, unambiguously.
  const layoutToken = view.measure ? `mq${random()}` : undefined;
  const htmlData = layoutToken ? markLayout(data, layoutToken) : data;

  const mjml = renderHandlebars(digest, htmlData, {
    escape: true,
    partials,
    markers,
    trustedBaseUrls,
  });
  const partialSources = Object.entries(partials).map(([name, source]) => ({
    name: templateFileNames.partial(name),
    source,
  }));
  let html = await mjmlToHtml(mjml, [digest, ...partialSources]);
  let layout: IssueLayout | undefined;
  if (layoutToken) ({ html, layout } = readLayout(html, layoutToken, data.articles.length));
  assertSafeLinks(html, Object.values(markers), digest.name, trustedBaseUrls);
  assertMarkersKept(mjml, html, markers, digest.name);

  const text = tidyText(
    renderHandlebars(textTemplate, data, { escape: false, partials, markers, trustedBaseUrls }),
  );
  assertMarkersKept(text, text, markers, textTemplate.name);

  const rendered: RenderedIssue = {
    issueId: view.issueId,
    subject: view.subject,
    preheader: data.preheader,
    html,
    text,
    markers,
  };
  if (layout) rendered.layout = layout;
  return rendered;
}

/**
 * Every digest needs its unsubscribe link, and MJML silently drops text placed between its
 * sections: a marker lost on the way would leave recipients without their link.
 */
function assertMarkersKept(
  before: string,
  after: string,
  markers: Record<RecipientField, string>,
  templateName: string,
): void {
  if (!after.includes(markers.unsubscribeUrl)) {
    throw new TemplateError(
      templateName,
      undefined,
      "the digest has no unsubscribe link: add {{recipient 'unsubscribeUrl'}}",
    );
  }
  for (const [field, marker] of Object.entries(markers)) {
    if (count(after, marker) < count(before, marker)) {
      throw new TemplateError(
        templateName,
        undefined,
        `MJML dropped {{recipient '${field}'}}: place it inside mj-text or an attribute`,
      );
    }
  }
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
