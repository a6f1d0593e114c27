/** Where in an article file a problem is: a text line, a JSON line and column, or a JSON path. */
export interface ArticleFileLocation {
  /** 1-based line (text files, and JSON that does not parse). */
  line?: number;
  /** 1-based column, with `line`, for JSON that does not parse. */
  column?: number;
  /** JSONPath of the first problem in a JSON file, such as `$[1].slides[0].image.url`. */
  path?: string;
}

/**
 * An article file that cannot be imported. The message names the file and where the
 * problem is: `story.txt:12: …`, `story.json:3:7: …` or `story.json: $.slides[0].title: …`.
 * A refused file is refused whole.
 */
export class ArticleFileError extends Error {
  override readonly name = 'ArticleFileError';
  /** The file name as given to the importer. */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly path: string | undefined;
  /** What is wrong, without the location prefix. */
  readonly problem: string;

  constructor(
    file: string,
    problem: string,
    location: ArticleFileLocation = {},
    options?: ErrorOptions,
  ) {
    super(`${prefix(file, location)} ${problem}`, options);
    this.file = file;
    this.line = location.line;
    this.column = location.column;
    this.path = location.path;
    this.problem = problem;
  }
}

function prefix(file: string, { line, column, path }: ArticleFileLocation): string {
  if (path !== undefined) return `${file}: ${path}:`;
  if (line === undefined) return `${file}:`;
  return column === undefined ? `${file}:${line}:` : `${file}:${line}:${column}:`;
}
