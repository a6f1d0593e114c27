import type { PhotoData } from './photo-data.ts';
import type { ArticleData, DigestData } from './template-data.ts';
import { utf8Length } from './utf8-length.ts';

/**
 * Where each article and slide of an issue lies in its HTML, as UTF-8 byte offsets. The
 * planner reads from it what leaving out a slide or an article would save. An offset is
 * `undefined` where the templates did not print that text.
 */
export interface IssueLayout {
  /** UTF-8 bytes of the whole HTML. */
  bytes: number;
  /** One per article of the issue, in order. */
  articles: ArticleLayout[];
}

export interface ArticleLayout {
  /** Where the headline's text starts. */
  start: number | undefined;
  /** Where the lead's last text (the headline's, for an article without lead) ends. */
  leadEnd: number | undefined;
  /** Where each shown slide's title starts and its last text ends. */
  slides: { start: number | undefined; end: number | undefined }[];
  /** Where the label of the article's closing link starts, when it has one. */
  link: number | undefined;
}

type Kind = 'h' | 'e' | 's' | 'l';

/**
 * The template data with a marker before each headline, slide title and link label, and
 * after the last text of each lead and slide: `<token><kind><article>z<slide>z`, letters and
 * digits only, so escaping and minifying leave it whole. Alt texts are left unmarked.
 * @param token a fresh random token of letters and digits, unknown to article authors
 */
export function markLayout(data: DigestData, token: string): DigestData {
  const mark = (kind: Kind, article: number, slide: number) =>
    `${token}${kind}${article}z${slide}z`;
  return {
    ...data,
    articles: data.articles.map((article, a): ArticleData => {
      const leadEnd = mark('e', a, 0);
      const lead = appendToLast(article.lead.paragraphs, article.lead.photos, leadEnd);
      return {
        ...article,
        headline: mark('h', a, 0) + article.headline + (lead ? '' : leadEnd),
        lead: lead ?? article.lead,
        slides: article.slides.map((slide, s) => {
          const end = mark('e', a, s + 1);
          const photos = slide.photo ? [slide.photo] : [];
          const marked = appendToLast(slide.paragraphs, photos, end);
          return {
            ...slide,
            title: mark('s', a, s + 1) + slide.title + (marked ? '' : end),
            paragraphs: marked?.paragraphs ?? slide.paragraphs,
            photo: marked?.photos[0] ?? slide.photo,
          };
        }),
        link: article.link && { ...article.link, label: mark('l', a, 0) + article.link.label },
      };
    }),
  };
}

/** Appends `marker` to the last text of a block: its last paragraph, else its last photo's credit or caption. */
function appendToLast(paragraphs: string[], photos: PhotoData[], marker: string) {
  const last = paragraphs.length - 1;
  if (last >= 0) {
    return { paragraphs: paragraphs.map((p, i) => (i === last ? p + marker : p)), photos };
  }
  const photo = photos.at(-1);
  if (!photo || (photo.credit === null && photo.caption === null)) return undefined;
  const marked: PhotoData =
    photo.credit !== null
      ? { ...photo, credit: photo.credit + marker }
      : { ...photo, caption: `${photo.caption}${marker}` };
  return { paragraphs, photos: [...photos.slice(0, -1), marked] };
}

/**
 * Removes the markers of `markLayout` from rendered HTML and reports where each stood.
 * @param articleCount how many articles the issue has
 * @returns the HTML exactly as an unmarked render would be, and its layout
 */
export function readLayout(
  markedHtml: string,
  token: string,
  articleCount: number,
): { html: string; layout: IssueLayout } {
  const articles: ArticleLayout[] = Array.from({ length: articleCount }, () => ({
    start: undefined,
    leadEnd: undefined,
    slides: [],
    link: undefined,
  }));
  const parts: string[] = [];
  let from = 0;
  let bytes = 0;
  for (const match of markedHtml.matchAll(new RegExp(`${token}([hesl])(\\d+)z(\\d+)z`, 'g'))) {
    const piece = markedHtml.slice(from, match.index);
    parts.push(piece);
    bytes += utf8Length(piece);
    from = match.index + match[0].length;
    const article = articles[Number(match[2])];
    if (!article) continue;
    record(article, match[1] as Kind, Number(match[3]), bytes);
  }
  const rest = markedHtml.slice(from);
  parts.push(rest);
  bytes += utf8Length(rest);
  return { html: parts.join(''), layout: { bytes, articles } };
}

/** Keeps the first position of each marker: a template may print a text twice. */
function record(article: ArticleLayout, kind: Kind, slide: number, at: number): void {
  if (kind === 'h') article.start ??= at;
  else if (kind === 'l') article.link ??= at;
  else if (slide === 0) article.leadEnd ??= at;
  else {
    while (article.slides.length < slide) {
      article.slides.push({ start: undefined, end: undefined });
    }
    const entry = article.slides[slide - 1] as { start?: number; end?: number };
    if (kind === 's') entry.start ??= at;
    else entry.end ??= at;
  }
}
