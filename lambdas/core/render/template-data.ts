import { decodeTime } from 'ulid';
import type { Article, Image } from '../article.ts';
import type { IssueView } from './issue-view.ts';

/**
 * Width of the digest's content column in CSS pixels: the 600 px body less 24 px of padding
 * on each side (see `templates/digest.mjml.hbs`). Photos are never shown wider.
 */
export const contentWidth = 552;

/** A photo as the templates see it: every field present, `null` when absent. */
export interface PhotoData {
  /** The image address as stored; templates pass it through the `https` helper. */
  url: string | null;
  /** Alternative text: the caption, else the title of what the photo illustrates. */
  alt: string;
  caption: string | null;
  credit: string | null;
  /** Display width in CSS pixels, at most `contentWidth`. */
  width: number;
  /** Display height in CSS pixels, scaled with the width; `null` when unknown. */
  height: number | null;
}

export interface SlideData {
  title: string;
  photo: PhotoData | null;
  paragraphs: string[];
}

export interface ArticleData {
  id: string;
  headline: string;
  /** The full article on the website, or `null`; templates pass it through `https`. */
  url: string | null;
  lead: { photos: PhotoData[]; paragraphs: string[] };
  slides: SlideData[];
}

/** The data both digest templates render (strict mode: every field is present). */
export interface DigestData {
  issueId: string;
  subject: string;
  listName: string;
  language: string;
  postalAddress: string;
  publicBaseUrl: string;
  /** The issue's date, written out in the issue's language. */
  issueDate: string;
  /** The inbox preview line: the headlines of the issue. */
  preheader: string;
  articles: ArticleData[];
}

/** Shapes an issue for the templates: optional fields made explicit, photo sizes computed. */
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
    preheader: view.articles.map((article) => article.headline).join(' · '),
    articles: view.articles.map(toArticleData),
  };
}

function toArticleData(article: Article): ArticleData {
  return {
    id: article.id,
    headline: article.headline,
    url: article.url ?? null,
    lead: {
      photos: article.lead.images.map((image) => toPhotoData(image, article.headline)),
      paragraphs: article.lead.paragraphs,
    },
    slides: article.slides.map((slide) => ({
      title: slide.title,
      photo: slide.image ? toPhotoData(slide.image, slide.title) : null,
      paragraphs: slide.paragraphs,
    })),
  };
}

function toPhotoData(image: Image, title: string): PhotoData {
  const width = Math.min(image.width ?? contentWidth, contentWidth);
  const height =
    image.height !== undefined && image.width !== undefined
      ? Math.round((image.height * width) / image.width)
      : null;
  return {
    url: image.url ?? null,
    alt: image.caption ?? title,
    caption: image.caption ?? null,
    credit: image.credit ?? null,
    width,
    height,
  };
}
