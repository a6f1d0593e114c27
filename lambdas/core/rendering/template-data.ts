import { decodeTime } from 'ulid';
import { isHttpsUrl } from '../common/https-url.ts';
import { introParagraphs } from './issue-intro.ts';
import { issuePreheader } from './issue-preheader.ts';
import type { IssueView, ShownArticle } from './issue-view.ts';
import { type PhotoData, toPhotoData } from './photo-data.ts';

/** Longest article address the digest links to; a longer one is replaced by the archive page. */
export const MAX_LINK_LENGTH = 2048;

/**
 * Invisible characters written after the preheader, so that inbox previews stop there
 * instead of running on into the header text (combining grapheme joiner, zero-width
 * non-joiner, no-break space).
 */
const PREHEADER_PADDING = '\u034f\u200c\u00a0'.repeat(40);

export interface SlideData {
  /** 1-based position of the slide in its article. */
  number: number;
  title: string;
  photo: PhotoData | null;
  paragraphs: string[];
}

/** Where an article's link goes and what it says. */
export interface LinkData {
  /** The article's own `https:` address, else its page in the web archive. */
  href: string;
  /** `Read the full article`, or `See all N slides` when the issue shows only some. */
  label: string;
}

export interface ArticleData {
  id: string;
  headline: string;
  /** The full article on the website, or `null`; templates pass it through `https`. */
  url: string | null;
  /** 1-based position of the article in the issue. */
  position: number;
  /** Shown as headline, lead photo and link only (too large for the issue even alone). */
  compact: boolean;
  lead: { photos: PhotoData[]; paragraphs: string[] };
  slides: SlideData[];
  /** Slides of the full article; more than `slides.length` when the issue trimmed it. */
  totalSlides: number;
  /** The link at the end of the article; `null` when it has no address and is shown whole. */
  link: LinkData | null;
}

/**
 * The data both digest templates render (strict mode: every field is present). The fields
 * taken from the issue as they are keep the issue's types, so that the two cannot drift.
 */
export interface DigestData
  extends Pick<
    IssueView,
    'issueId' | 'subject' | 'listName' | 'language' | 'postalAddress' | 'publicBaseUrl'
  > {
  /** The issue's date, written out in the issue's language. */
  issueDate: string;
  /** The inbox preview line, at most 90 characters. */
  preheader: string;
  /** Invisible characters that end the inbox preview after the preheader. */
  preheaderPadding: string;
  /** The issue in the web archive ("view in browser"). */
  viewInBrowserUrl: string;
  /** The paragraphs of the editor's note above the first story; empty when there is none. */
  intro: string[];
  /** How many articles the issue carries. */
  articleCount: number;
  articles: ArticleData[];
}

/**
 * Shapes an issue for the templates: optional fields made explicit, photo sizes computed, the
 * editor's note split into paragraphs.
 * @throws IntroError when `view.intro` is empty, too long or holds a control character
 */
export function toTemplateData(view: IssueView): DigestData {
  const issuedAt = view.issuedAt ? new Date(view.issuedAt) : new Date(decodeTime(view.issueId));
  const issueDate = new Intl.DateTimeFormat(view.language, {
    dateStyle: 'long',
    timeZone: view.timeZone ?? 'UTC',
  }).format(issuedAt);
  return {
    issueId: view.issueId,
    subject: view.subject,
    listName: view.listName,
    language: view.language,
    postalAddress: view.postalAddress,
    publicBaseUrl: view.publicBaseUrl,
    issueDate,
    preheader: view.preheader ?? issuePreheader(view.articles),
    preheaderPadding: PREHEADER_PADDING,
    viewInBrowserUrl: `${view.publicBaseUrl}/issues/${encodeURIComponent(view.issueId)}`,
    intro: view.intro === undefined ? [] : introParagraphs(view.intro),
    articleCount: view.articles.length,
    articles: view.articles.map((article, index) =>
      toArticleData(article, index, view.publicBaseUrl),
    ),
  };
}

function toArticleData(article: ShownArticle, index: number, publicBaseUrl: string): ArticleData {
  const totalSlides = article.cut?.totalSlides ?? article.slides.length;
  return {
    id: article.id,
    headline: article.headline,
    url: article.url ?? null,
    position: index + 1,
    compact: article.cut?.compact ?? false,
    lead: {
      photos: article.lead.images.map((image) => toPhotoData(image, article.headline)),
      paragraphs: article.lead.paragraphs,
    },
    slides: article.slides.map((slide, slideIndex) => ({
      number: slideIndex + 1,
      title: slide.title,
      photo: slide.image ? toPhotoData(slide.image, slide.title) : null,
      paragraphs: slide.paragraphs,
    })),
    totalSlides,
    link: linkOf(article, totalSlides, publicBaseUrl),
  };
}

function linkOf(article: ShownArticle, totalSlides: number, publicBaseUrl: string) {
  const ownUrl =
    article.url && isHttpsUrl(article.url) && article.url.length <= MAX_LINK_LENGTH
      ? article.url
      : undefined;
  if (!article.cut) return ownUrl ? { href: ownUrl, label: 'Read the full article' } : null;
  return {
    href: ownUrl ?? `${publicBaseUrl}/articles/${encodeURIComponent(article.id)}`,
    label: totalSlides > 1 ? `See all ${totalSlides} slides` : 'Read the full article',
  };
}

/** What a page of the web archive knows about the list. */
export interface SiteSettings {
  listName: string;
  /** BCP 47 tag, for `lang` and dates. */
  language: string;
  /** The archive's own address, without a trailing slash. */
  publicBaseUrl: string;
  /** Where stored photos are served from (`mediaBaseUrl`). Default: `publicBaseUrl` + `/media`. */
  mediaBaseUrl?: string;
  /** IANA time zone of dates. Default: `UTC`. */
  timeZone?: string;
}

/** The data of the archive's page for one whole article. */
export interface ArticlePageData {
  listName: string;
  language: string;
  publicBaseUrl: string;
  /** The article's `publishedAt`, written out in the list's language. */
  publishedDate: string;
  /** The whole article: every slide, photo and credit; `link` goes to its own `url`. */
  article: ArticleData;
}

/** Shapes a whole article for the archive's article page. */
export function toArticlePageData(article: ShownArticle, site: SiteSettings): ArticlePageData {
  const whole: ShownArticle = { ...article };
  delete whole.cut;
  return {
    listName: site.listName,
    language: site.language,
    publicBaseUrl: site.publicBaseUrl,
    publishedDate: new Intl.DateTimeFormat(site.language, {
      dateStyle: 'long',
      timeZone: site.timeZone ?? 'UTC',
    }).format(new Date(article.publishedAt)),
    article: toArticleData(whole, 0, site.publicBaseUrl),
  };
}
