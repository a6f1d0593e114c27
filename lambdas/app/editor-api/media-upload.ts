/** What `GET /media` answers: where the stack serves the photos it stores, and what `POST /media` takes. */
export interface MediaSettings {
  /** Where stored photos are served from (`mediaBaseUrl`): `<baseUrl>/<sha256>.<ext>`. */
  baseUrl: string;
  /** The largest photo `POST /media` takes, in bytes. */
  maxBytes: number;
  /** With `?key=`: whether that photo is stored. */
  stored?: boolean;
}

/** What `POST /media` answers: where the photo is stored and served. */
export interface MediaUpload {
  /** Its content-addressed key, `media/<sha256>.jpg` or `.png`. */
  key: string;
  /** Where the digest loads it from (`mediaUrl`). */
  url: string;
  /** True when the store had it before this request. */
  alreadyStored: boolean;
}
