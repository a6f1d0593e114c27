/**
 * The most bytes each kind of request body may have; a larger one is refused with 413
 * before it is read. Documented in docs/editor-api.md.
 */
export const bodyLimits = {
  /** `POST /articles`: slideshow text or JSON articles, photos named, not included. */
  articles: 1024 * 1024,
  /** `POST /subscribers`: a CSV file of some 20,000 rows, or JSON entries. */
  subscribers: 1024 * 1024,
  /** `POST /issues`, `POST /issues/:id/render`: a choice of articles, subject, preheader, intro. */
  draft: 32 * 1024,
  /** The other actions: a few addresses, a time, a rate. */
  action: 8 * 1024,
  /**
   * `POST /media`: one processed photo (1200 px wide, some 150 KB). Lambda takes at most
   * 6 MB of request, and API Gateway hands it a binary body in base64 (4 bytes for 3): 4 MiB
   * becomes 5.6 MB, which leaves room for the rest of the event.
   */
  media: 4 * 1024 * 1024,
} as const;
