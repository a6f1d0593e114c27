import { type PageTemplates, renderPage } from '#core/rendering/render-page.ts';
import type { SiteSettings } from '#core/rendering/template-data.ts';

/** A rendered page: its HTTP status with the HTML. */
export interface Page {
  status: 200 | 202 | 400 | 404 | 410 | 413 | 415 | 429;
  html: string;
}

/** The answer to a sign-up, for JSON and pages alike. */
export const CHECK_INBOX =
  'If this address is not subscribed yet, an email with a link to confirm is on its way to it.';

/** The answer to a request for a link to leave, for JSON and pages alike. */
export const LEAVE_LINK_ON_ITS_WAY =
  'If this address is on the list, an email with a link to leave is on its way to it.';

/** The subscription pages, each with its status, from `templates/pages/*.html.hbs`. */
export interface SubscriptionPages {
  /** The sign-up form; after a refused try (400), with what was typed and what is wrong. */
  subscribeForm(form?: { email?: string; name?: string; error?: string }): Page;
  /** After a sign-up (202): the same page whatever the address (new, waiting or subscribed). */
  checkInbox(): Page;
  /** `GET /confirm` with a working link: a button, since link scanners follow links. */
  confirm(): Page;
  /** The subscription is (or already was) active. */
  subscribed(): Page;
  /** `GET /unsubscribe` with a working link: a button that posts the one-click form. */
  unsubscribe(): Page;
  /**
   * `GET /unsubscribe` without a token: a form asking for the address to mail a link to leave
   * to; after a refused try (400), with what was typed and what is wrong.
   */
  leaveLinkForm(form?: { email?: string; error?: string }): Page;
  /** After a request for a link to leave (202): the same page whatever the address. */
  leaveLinkOnItsWay(): Page;
  /** The address is (or already was) unsubscribed. */
  unsubscribed(): Page;
  /** A link or a request that cannot be used, with what the reader can do about it. */
  problem(status: Page['status'], title: string, message: string): Page;
}

/**
 * The subscription pages of a list, rendered with the web pages' templates (escaping every
 * value, the typed address and name included).
 * @throws TemplateError from each page when its template cannot be rendered
 */
export function subscriptionPages(site: SiteSettings, templates: PageTemplates): SubscriptionPages {
  const page = (status: Page['status'], name: string, data: object = {}): Page => ({
    status,
    html: renderPage(name, data, site, templates),
  });
  return {
    subscribeForm: (form = {}) =>
      page(form.error ? 400 : 200, 'subscribe', {
        email: form.email ?? '',
        name: form.name ?? '',
        error: form.error ?? '',
      }),
    checkInbox: () => page(202, 'check-inbox', { message: CHECK_INBOX }),
    confirm: () => page(200, 'confirm'),
    subscribed: () => page(200, 'subscribed'),
    unsubscribe: () => page(200, 'unsubscribe'),
    leaveLinkForm: (form = {}) =>
      page(form.error ? 400 : 200, 'leave-link-form', {
        email: form.email ?? '',
        error: form.error ?? '',
      }),
    leaveLinkOnItsWay: () => page(202, 'check-inbox', { message: LEAVE_LINK_ON_ITS_WAY }),
    unsubscribed: () => page(200, 'unsubscribed'),
    problem: (status, title, message) => page(status, 'problem', { title, message }),
  };
}
