import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One problem among several (the images of an import, the rows of a CSV file). */
export interface ApiErrorDetail {
  message: string;
  /** The JSON path of the field at fault, or the query parameter. */
  field?: string;
  /** The line (from 1) of a text body, when the problem has one. */
  line?: number;
  /** The column (from 1) on that line. */
  column?: number;
}

/** Where an error lies, and the other problems found with it. */
export interface ApiErrorPlace {
  field?: string;
  /** The template file at fault (`partials/mjml-photo.hbs`), for a render that failed. */
  template?: string;
  line?: number;
  column?: number;
  details?: ApiErrorDetail[];
}

/** What every refusal of the editor API answers: `{ error: { code, message, field? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string } & ApiErrorPlace;
}

/**
 * A request the editor API refuses, with the status it answers: 400 bad input, 403 a request
 * from another site, 404 an unknown id, 409 an action the state forbids, 413 a body over the
 * route's limit, 415 a body of the wrong type, 422 content a parser refuses. The message is
 * for the editor and never quotes an address the request did not give.
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    /** A stable, lowercase, hyphenated name of the problem, for the studio to act on. */
    readonly code: string,
    message: string,
    readonly place: ApiErrorPlace = {},
  ) {
    super(message);
  }

  /** The JSON answer. */
  body(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...definedOnly(this.place) } };
  }
}

function definedOnly(place: ApiErrorPlace): ApiErrorPlace {
  return Object.fromEntries(Object.entries(place).filter(([, value]) => value !== undefined));
}
