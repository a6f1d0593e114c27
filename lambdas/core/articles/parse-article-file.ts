import type { z } from 'zod';
import { type Article, type ArticleInput, articleInputSchema, articleSchema } from './article.ts';
import { ArticleFileError } from './article-file-error.ts';
import { articleIdFromHeadline } from './article-id.ts';
import { type ImageReference, type ImageSlot, imageAt, slotPath } from './image-reference.ts';
import type { ParsedArticle } from './import-articles.ts';
import { parseSlideshow, SlideshowError, slideshowLines } from './parse-slideshow.ts';

export { ArticleFileError } from './article-file-error.ts';

/** An article file as read from disk or an upload. */
export interface ArticleFile {
  /** The file name; `.json` selects the JSON form, anything else the slideshow text. */
  name: string;
  bytes: Uint8Array;
}

export interface ParseArticleFileOptions {
  /** The import time: the `publishedAt` of an article that gives none. */
  now: Date;
  /** ISO 8601 date-time for the article, instead of its own or `now`. */
  publishedAt?: string;
  /** The article's id, instead of its own or the one derived from its headline. */
  id?: string;
}

/**
 * Reads one article file into validated articles (docs/article-format.md): slideshow text
 * gives one article, a `.json` file one article or an array of them. Fills in `id` (the
 * option, else the article's own, else derived from the headline) and `publishedAt` (the
 * option, else the article's own, else `now`), and says which of the two were given.
 * Nothing is returned unless every article of the file is valid.
 *
 * @throws {ArticleFileError} for the first problem, naming the file and its line (text)
 *   or JSON path: binary or non-UTF-8 bytes, unreadable text, invalid JSON, an article
 *   that breaks the model, a headline that gives no id, two articles with one id.
 */
export function parseArticleFile(
  file: ArticleFile,
  options: ParseArticleFileOptions,
): ParsedArticle[] {
  const text = decode(file);
  checkOptions(file.name, options);
  return file.name.toLowerCase().endsWith('.json')
    ? articlesFromJson(file.name, text, options)
    : [articleFromText(file.name, text, options)];
}

function decode({ name, bytes }: ArticleFile): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new ArticleFileError(name, `is a binary file (a NUL byte at offset ${nul}), not text`);
  }
  try {
    // The decoder drops a leading UTF-8 byte order mark by itself.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ArticleFileError(name, 'is not UTF-8 text: save it as UTF-8', {}, { cause: error });
  }
}

function checkOptions(name: string, { id, publishedAt }: ParseArticleFileOptions): void {
  if (id !== undefined && !articleSchema.shape.id.safeParse(id).success) {
    throw new ArticleFileError(
      name,
      `the id ${JSON.stringify(id)} must be a slug of a-z, 0-9 and single inner hyphens, at most 80 characters`,
    );
  }
  if (
    publishedAt !== undefined &&
    !articleSchema.shape.publishedAt.safeParse(publishedAt).success
  ) {
    throw new ArticleFileError(
      name,
      `the publication time ${JSON.stringify(publishedAt)} must be an ISO 8601 date-time with seconds and a zone, such as 2026-11-26T09:00:00Z`,
    );
  }
}

function articleFromText(
  name: string,
  text: string,
  options: ParseArticleFileOptions,
): ParsedArticle {
  let input: ArticleInput;
  let images: ImageReference[];
  try {
    ({ article: input, images } = parseSlideshow(text, name));
  } catch (error) {
    if (error instanceof SlideshowError) {
      throw new ArticleFileError(name, error.problem, { line: error.line }, { cause: error });
    }
    throw error;
  }
  const id = options.id ?? articleIdFromHeadline(input.headline);
  if (id === '') {
    const line = slideshowLines(text).findIndex((each) => each !== '') + 1;
    throw new ArticleFileError(name, noIdProblem, { line });
  }
  const publishedAt = options.publishedAt ?? options.now.toISOString();
  return {
    article: validArticle(name, '$', { ...input, id, publishedAt }),
    source: name,
    idDerived: options.id === undefined,
    publishedAtGiven: options.publishedAt !== undefined,
    images,
  };
}

const noIdProblem =
  'the headline has no letter or digit to derive an id from: give the article an id';

function articlesFromJson(
  name: string,
  text: string,
  options: ParseArticleFileOptions,
): ParsedArticle[] {
  const data = parseJson(name, text);
  if (!Array.isArray(data) && (typeof data !== 'object' || data === null)) {
    throw new ArticleFileError(name, 'must be an article (a JSON object) or an array of them', {
      path: '$',
    });
  }
  const entries: Array<{ value: unknown; path: string }> = Array.isArray(data)
    ? data.map((value, index) => ({ value, path: `$[${index}]` }))
    : [{ value: data, path: '$' }];
  if (entries.length === 0) {
    throw new ArticleFileError(name, 'holds no article: the array is empty', { path: '$' });
  }
  if (options.id !== undefined && entries.length > 1) {
    throw new ArticleFileError(
      name,
      `holds ${entries.length} articles, but an id can be given for one article only`,
      { path: '$' },
    );
  }

  const pathOfId = new Map<string, string>();
  return entries.map(({ value, path }) => {
    const parsed = articleInputSchema.safeParse(value);
    if (!parsed.success) throw issueError(name, path, parsed.error);
    const input = parsed.data;
    const id = options.id ?? input.id ?? articleIdFromHeadline(input.headline);
    if (id === '') throw new ArticleFileError(name, noIdProblem, { path: `${path}.headline` });
    const earlier = pathOfId.get(id);
    if (earlier !== undefined) {
      const where = input.id === undefined ? `${path}.headline` : `${path}.id`;
      throw new ArticleFileError(name, `gives the id "${id}", which ${earlier} has already`, {
        path: where,
      });
    }
    pathOfId.set(id, path);
    const publishedAt = options.publishedAt ?? input.publishedAt ?? options.now.toISOString();
    const article = validArticle(name, path, { ...input, id, publishedAt });
    return {
      article,
      source: Array.isArray(data) ? `${name}: ${path}` : name,
      idDerived: options.id === undefined && input.id === undefined,
      publishedAtGiven: options.publishedAt !== undefined || input.publishedAt !== undefined,
      images: remoteImagesOf(name, article, path),
    };
  });
}

/** The `https:` photos of a JSON article, located by the JSON path of their `url`. */
function remoteImagesOf(file: string, article: Article, base: string): ImageReference[] {
  const slots: ImageSlot[] = [
    ...article.lead.images.map((_, lead) => ({ lead })),
    ...article.slides.map((_, slide) => ({ slide })),
  ];
  return slots.flatMap((slot) => {
    const url = imageAt(article, slot)?.url;
    if (url === undefined) return [];
    const path = `${base}${slotPath(slot).slice(1)}.url`;
    return [{ file, slot, kind: 'https' as const, source: url, location: { path } }];
  });
}

function validArticle(name: string, path: string, candidate: ArticleInput): Article {
  const parsed = articleSchema.safeParse(candidate);
  if (!parsed.success) throw issueError(name, path, parsed.error);
  return parsed.data;
}

function issueError(name: string, base: string, error: z.ZodError): ArticleFileError {
  const [issue] = error.issues;
  if (issue === undefined)
    return new ArticleFileError(name, 'is not a valid article', { path: base });
  let path = base + jsonPath(issue.path);
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path += jsonPath(issue.keys.slice(0, 1));
    problem = 'is not a known field';
  } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    problem = `is required (expected ${issue.expected})`;
  }
  return new ArticleFileError(name, problem, { path }, { cause: error });
}

function jsonPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((key) => {
      if (typeof key === 'number') return `[${key}]`;
      if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) return `.${key}`;
      return `[${JSON.stringify(String(key))}]`;
    })
    .join('');
}

function parseJson(name: string, text: string): unknown {
  if (text.trim() === '') {
    throw new ArticleFileError(
      name,
      'is empty: expected an article (a JSON object) or an array of them',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const syntax = jsonSyntaxError(text);
    const location = syntax === undefined ? {} : lineAndColumn(text, syntax.offset);
    const what = syntax === undefined ? '' : `: ${syntax.problem}`;
    throw new ArticleFileError(name, `is not valid JSON${what}`, location, { cause: error });
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const JSON_SPACE = new Set([' ', '\t', '\n', '\r']);
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Where and why `text` is not JSON, or `undefined` when it is. `JSON.parse` gives no
 * position for some errors, so this walks the text itself, without recursion, so that
 * deep nesting cannot overflow the stack.
 */
function jsonSyntaxError(text: string): { offset: number; problem: string } | undefined {
  let at = 0;
  let inString = false;
  const skipSpace = () => {
    while (at < text.length && JSON_SPACE.has(text[at] ?? '')) at += 1;
  };
  const match = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    if (!pattern.test(text)) return false;
    at = pattern.lastIndex;
    return true;
  };
  // Leaves `at` on the first character that does not fit when it returns false.
  const string = (): boolean => {
    if (text[at] !== '"') return false;
    inString = true;
    at += 1;
    for (;;) {
      const char = text[at];
      if (char === undefined || char < ' ') return false;
      if (char === '"') break;
      if (char === '\\') {
        if (!match(JSON_ESCAPE)) return false;
      } else {
        at += 1;
      }
    }
    at += 1;
    inString = false;
    return true;
  };
  const key = (): boolean => {
    skipSpace();
    if (!string()) return false;
    skipSpace();
    if (text[at] !== ':') return false;
    at += 1;
    return true;
  };
  const failure = () => {
    const char = text[at];
    if (char === undefined) {
      return {
        offset: at,
        problem: 'the text ends before the JSON is complete (is the file cut short?)',
      };
    }
    if (inString && text.slice(at).trim() === '') {
      return { offset: at, problem: 'the text ends inside a string (is the file cut short?)' };
    }
    if (inString && (char === '\n' || char === '\r')) {
      return { offset: at, problem: 'a string is not closed before the end of the line' };
    }
    return { offset: at, problem: `unexpected ${JSON.stringify(char)}` };
  };

  const open: Array<'[' | '{'> = [];
  for (;;) {
    // A value is expected at `at`.
    skipSpace();
    const char = text[at];
    if (char === '[' || char === '{') {
      at += 1;
      skipSpace();
      if (text[at] === (char === '[' ? ']' : '}')) {
        at += 1;
      } else {
        open.push(char);
        if (char === '{' && !key()) return failure();
        continue;
      }
    } else if (char === '"') {
      if (!string()) return failure();
    } else {
      const scalar =
        match(JSON_NUMBER) ||
        ['true', 'false', 'null'].some((word) => {
          if (!text.startsWith(word, at)) return false;
          at += word.length;
          return true;
        });
      if (!scalar) return failure();
    }
    // After a value: a comma, a closing bracket, or the end.
    for (;;) {
      skipSpace();
      const container = open.at(-1);
      if (container === undefined) return at < text.length ? failure() : undefined;
      if (text[at] === ',') {
        at += 1;
        if (container === '{' && !key()) return failure();
        break;
      }
      if (text[at] !== (container === '[' ? ']' : '}')) return failure();
      at += 1;
      open.pop();
    }
  }
}
