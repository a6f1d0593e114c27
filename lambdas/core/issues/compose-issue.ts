import type { Article } from '../articles/article.ts';
import type { Config } from '../common/config.ts';
import type { IssueView, ShownArticle } from '../rendering/issue-view.ts';
import { renderHash } from '../rendering/render-hash.ts';
import type { RenderedIssue } from '../rendering/render-issue.ts';
import { utf8Length } from '../rendering/utf8-length.ts';
import { issueSubject } from './issue-subject.ts';
import {
  type ArticleChoice,
  applyPlan,
  choosePlan,
  compactArticle,
  estimateLayout,
  packCosts,
  showSlides,
} from './pack-issue.ts';
import { planIssue } from './plan-issue.ts';
import type { Issue } from './ports.ts';

/** The configuration that shapes an issue's content; the limits default as documented. */
export type IssueSettings = Pick<
  Config,
  | 'listName'
  | 'language'
  | 'postalAddress'
  | 'publicBaseUrl'
  | 'mediaBaseUrl'
  | 'subjectTemplate'
  | 'scheduleTimeZone'
> &
  Partial<
    Pick<
      Config,
      'maxArticlesPerIssue' | 'maxSlidesPerArticle' | 'maxArticleWaitDays' | 'htmlBudgetBytes'
    >
  >;

/** Limits used when `IssueSettings` leaves them out. */
export const defaultIssueLimits = {
  maxArticlesPerIssue: 10,
  maxSlidesPerArticle: 8,
  /** No limit: every article no issue carried stays a candidate. */
  maxArticleWaitDays: undefined as number | undefined,
  htmlBudgetBytes: 92_160,
};

/**
 * Bytes kept free in the budget for each per-recipient marker in the HTML: a recipient's
 * unsubscribe link (escaped) is longer than the marker that stands for it.
 */
export const RECIPIENT_VALUE_RESERVE = 256;

/** How many renders packing may take before it falls back to the top article alone. */
const MAX_PACKING_RENDERS = 6;

export interface ComposeIssueInput {
  /** Opaque ULID for the new issue, or the draft's being rendered again. */
  issueId: string;
  now: Date;
  /** Every stored article. */
  articles: readonly Article[];
  /** Every earlier issue: what they carry is not offered again. */
  issues: readonly Issue[];
  settings: IssueSettings;
  /** The renderer (Handlebars → MJML → HTML and text); the same for preview and sending. */
  render(view: IssueView): Promise<RenderedIssue>;
  /** What an editor chose; each left out is as the planner and the configuration make it. */
  choice?: DraftChoice;
  /** The draft being rendered again: its creation time and next version. Default: a new one. */
  draft?: { createdAt: string; version: number };
}

/** What an editor may choose for a draft (`issues draft`, `issues render`). */
export interface DraftChoice {
  /** These stored articles, in this order, instead of the planner's. */
  articleIds?: readonly string[];
  /** Instead of `subjectTemplate`'s. */
  subject?: string;
  /** Instead of the one made from the headlines. */
  preheader?: string;
  /** A note above the first story: plain text, blank lines between paragraphs. */
  intro?: string;
}

/** An editor named articles that are not stored. */
export class UnknownArticlesError extends Error {
  override name = 'UnknownArticlesError';

  constructor(readonly articleIds: readonly string[]) {
    super(
      `No stored article has the id ${articleIds.join(', ')}: \`newsletter articles\` lists them.`,
    );
  }
}

/** A planned and rendered issue, not yet stored or sent. */
export interface ComposedIssue {
  issue: Issue;
  /** The articles as shown in the issue, in order (trimmed ones carry `cut`). */
  articles: ShownArticle[];
  rendered: RenderedIssue;
}

/** Even the top article alone, compact, does not fit the HTML budget. */
export class IssueTooLargeError extends Error {
  override name = 'IssueTooLargeError';
}

/**
 * Plans the next issue, or the articles an editor chose, and renders it as a draft with the
 * hash of its render: the one path for preview, drafts, the schedule and `newsletter send`.
 * Undefined when no stored article is new (and none was chosen).
 *
 * By default the issue carries the articles that no issue carries yet, newest first, at most
 * `maxArticlesPerIssue`, each showing at most `maxSlidesPerArticle` slides, packed so that
 * its minified HTML stays within `htmlBudgetBytes`: slides are dropped from the end of the
 * articles, then whole articles (which wait for a later issue); an article too large even
 * alone is shown as its headline, lead photo and link. A shortened article links to all its
 * slides. Usually one render, two when the issue must be packed.
 * @throws IssueTooLargeError when the templates and configuration alone exceed the budget
 */
export async function composeIssue(input: ComposeIssueInput): Promise<ComposedIssue | undefined> {
  const limits = { ...defaultIssueLimits, ...definedOnly(input.settings) };
  const { choice = {} } = input;
  const candidates = choice.articleIds
    ? chosenArticles(input.articles, choice.articleIds)
    : planIssue(input.articles, input.issues, {
        now: input.now,
        maxArticleWaitDays: limits.maxArticleWaitDays,
        maxArticles: limits.maxArticlesPerIssue,
      });
  const top = candidates[0];
  if (!top) return undefined;
  const at = input.now.toISOString();
  const issue: Issue = {
    issueId: input.issueId,
    createdAt: input.draft?.createdAt ?? at,
    subject:
      choice.subject ??
      issueSubject(input.settings.subjectTemplate, {
        listName: input.settings.listName,
        headline: top.headline,
      }),
    ...(choice.preheader === undefined ? {} : { preheader: choice.preheader }),
    ...(choice.intro === undefined ? {} : { intro: choice.intro }),
    articleIds: [],
    state: 'draft',
    version: input.draft?.version ?? 1,
    sha256: '',
    renderedAt: at,
    timeline: [],
  };
  const budget = limits.htmlBudgetBytes;
  const render = async (shown: ShownArticle[]) => {
    const rendered = await input.render({
      ...issueView(input.settings, issue, shown),
      measure: true,
    });
    return { shown, rendered, bytes: htmlBytes(rendered) };
  };
  const done = ({ shown, rendered }: { shown: ShownArticle[]; rendered: RenderedIssue }) => {
    issue.articleIds = shown.map((article) => article.id);
    issue.sha256 = renderHash(rendered);
    return { issue, articles: shown, rendered };
  };

  const first = await render(
    candidates.map((article) => showSlides(article, limits.maxSlidesPerArticle)),
  );
  if (first.bytes <= budget) return done(first);

  const costs = packCosts(
    first.shown,
    first.rendered.layout ?? estimateLayout(first.shown, first.bytes),
  );
  const measuredSlides = first.shown.map((article) => article.slides.length);
  let target = budget;
  let previous: ArticleChoice[] | undefined;
  for (let attempt = 1; attempt < MAX_PACKING_RENDERS; attempt++) {
    let choices = choosePlan(costs, measuredSlides, target);
    if (previous && !smaller(choices, previous)) choices = shrink(previous);
    previous = choices;
    const attemptResult = await render(applyPlan(candidates, choices));
    if (attemptResult.bytes <= budget) return done(attemptResult);
    // The cost model erred by this much: ask the next plan for that much less.
    target -= attemptResult.bytes - budget + 256;
  }
  const alone = await render([compactArticle(top, top.slides.length)]);
  if (alone.bytes <= budget) return done(alone);
  throw new IssueTooLargeError(
    `even the top article alone, as its headline and lead photo, takes ${alone.bytes} bytes of HTML, more than htmlBudgetBytes (${budget}): shorten the templates' fixed parts, the listName or the postalAddress`,
  );
}

/** What the templates see of an issue. */
export function issueView(
  settings: IssueSettings,
  issue: Issue,
  articles: ShownArticle[],
): IssueView {
  return {
    issueId: issue.issueId,
    subject: issue.subject,
    listName: settings.listName,
    language: settings.language,
    postalAddress: settings.postalAddress,
    publicBaseUrl: settings.publicBaseUrl,
    ...(settings.mediaBaseUrl === undefined ? {} : { mediaBaseUrl: settings.mediaBaseUrl }),
    issuedAt: issue.createdAt,
    timeZone: settings.scheduleTimeZone,
    ...(issue.preheader === undefined ? {} : { preheader: issue.preheader }),
    ...(issue.intro === undefined ? {} : { intro: issue.intro }),
    articles,
  };
}

/** The stored articles an editor named, in their order. */
function chosenArticles(articles: readonly Article[], ids: readonly string[]): Article[] {
  const byId = new Map(articles.map((article) => [article.id, article]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new UnknownArticlesError(missing);
  return [...new Set(ids)].map((id) => byId.get(id) as Article);
}

/** Bytes the HTML will take once each recipient's values replace the markers. */
function htmlBytes(rendered: RenderedIssue): number {
  const bytes = rendered.layout?.bytes ?? utf8Length(rendered.html);
  let markers = 0;
  for (const marker of Object.values(rendered.markers)) {
    markers += rendered.html.split(marker).length - 1;
  }
  return bytes + markers * RECIPIENT_VALUE_RESERVE;
}

function definedOnly(settings: IssueSettings) {
  const limits: Partial<typeof defaultIssueLimits> = {};
  for (const key of Object.keys(defaultIssueLimits) as (keyof typeof defaultIssueLimits)[]) {
    const value = settings[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** True when `next` shows less than `previous` somewhere and more nowhere. */
function smaller(next: ArticleChoice[], previous: ArticleChoice[]): boolean {
  if (next.length < previous.length) return true;
  if (next.length > previous.length) return false;
  let less = false;
  for (const [index, choice] of next.entries()) {
    const before = previous[index] as ArticleChoice;
    const weight = (c: ArticleChoice) => (c.compact ? -1 : c.slides);
    if (weight(choice) > weight(before)) return false;
    if (weight(choice) < weight(before)) less = true;
  }
  return less;
}

/** One step smaller than `choices`: a slide off the longest article, else its last article. */
function shrink(choices: ArticleChoice[]): ArticleChoice[] {
  const longest = choices.reduce<ArticleChoice | undefined>(
    (best, choice) =>
      !choice.compact && choice.slides > 1 && (!best || choice.slides >= best.slides)
        ? choice
        : best,
    undefined,
  );
  if (longest) {
    return choices.map((c) => (c === longest ? { ...c, slides: c.slides - 1 } : c));
  }
  return choices.length > 1 ? choices.slice(0, -1) : choices;
}
