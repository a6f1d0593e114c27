/**
 * Who may call which route of the editor API, as one table read by the stack (one API
 * Gateway route and one IAM permission per entry) and checked against the router by
 * `tests/unit/app/editor-api/editor-routes.test.ts`. Pure data: nothing here serves a request.
 */

/**
 * The editor API's roles, from the least to the most trusted. Each may call every route of
 * the roles before it, plus its own:
 * - `viewer`: reads everything but the subscribers (their addresses are personal data);
 * - `editor`: also imports articles, manages and exports subscribers, drafts, renders and
 *   test-sends issues;
 * - `sender`: also approves, sends, schedules, unschedules, pauses, resumes and cancels; and
 *   lists, rotates and retires the keys of subscriber links (`/keys`), since retiring one
 *   breaks links already mailed.
 */
export const editorRoles = ['viewer', 'editor', 'sender'] as const;

/** One of {@link editorRoles}. */
export type EditorRole = (typeof editorRoles)[number];

/** The HTTP methods the editor API's routes use. */
export type EditorRouteMethod = 'GET' | 'POST' | 'DELETE';

/** One route of the editor API and the least role that may call it. */
export interface EditorRoute {
  method: EditorRouteMethod;
  /** As the router declares it (Hono's form, parameters as `:name`), below the mount. */
  path: string;
  role: EditorRole;
}

/** Where the stack mounts the editor API on its HTTP API (the studio mounts it at `/api`). */
export const EDITOR_API_BASE_PATH = '/editor';

/**
 * The variable that gives the CLI the editor API's base URL, its mount included: one of the
 * stack's `CliEnvironment` output.
 */
export const EDITOR_API_URL_ENV = 'NEWSLETTER_EDITOR_API_URL';

/**
 * Every route of the editor API (docs/editor-api.md), with the least role that may call it.
 * There is no job resource: work that outlasts an answer belongs to an issue (a send's
 * preparation, a cancel's marking), which `GET /issues/:id` follows.
 */
export const editorRoutes: readonly EditorRoute[] = [
  // Reading: every GET but the subscribers' and the keys'.
  { method: 'GET', path: '/preview', role: 'viewer' },
  { method: 'GET', path: '/articles', role: 'viewer' },
  { method: 'GET', path: '/issues', role: 'viewer' },
  { method: 'GET', path: '/issues/:id', role: 'viewer' },
  { method: 'GET', path: '/issues/:id/timeline', role: 'viewer' },
  { method: 'GET', path: '/schedule', role: 'viewer' },
  { method: 'GET', path: '/audit', role: 'viewer' },
  // Where stored photos are served, and whether one is stored: nothing personal.
  { method: 'GET', path: '/media', role: 'viewer' },
  // Editing: articles, subscribers (personal data, read included), drafts, renders, test sends.
  { method: 'POST', path: '/articles', role: 'editor' },
  // The photos `newsletter import` processed where it runs, for the articles it imports next.
  { method: 'POST', path: '/media', role: 'editor' },
  { method: 'GET', path: '/subscribers', role: 'editor' },
  { method: 'GET', path: '/subscribers/export', role: 'editor' },
  // A subscriber's preview: their name and real unsubscribe link. `/preview` refuses them.
  { method: 'GET', path: '/subscribers/:id/preview', role: 'editor' },
  { method: 'POST', path: '/subscribers', role: 'editor' },
  { method: 'DELETE', path: '/subscribers/:id', role: 'editor' },
  { method: 'POST', path: '/issues', role: 'editor' },
  { method: 'POST', path: '/issues/:id/render', role: 'editor' },
  { method: 'POST', path: '/issues/:id/test', role: 'editor' },
  // Sending: whatever mails the list, or stops or holds a send.
  { method: 'POST', path: '/issues/:id/approve', role: 'sender' },
  { method: 'POST', path: '/issues/:id/send', role: 'sender' },
  { method: 'POST', path: '/issues/:id/unschedule', role: 'sender' },
  { method: 'POST', path: '/issues/:id/pause', role: 'sender' },
  { method: 'POST', path: '/issues/:id/resume', role: 'sender' },
  { method: 'POST', path: '/issues/:id/cancel', role: 'sender' },
  // The keys of subscriber links: listing them is harmless, but it is a sender's business.
  { method: 'GET', path: '/keys', role: 'sender' },
  { method: 'POST', path: '/keys', role: 'sender' },
  { method: 'POST', path: '/keys/:kid/retire', role: 'sender' },
];

/** The routes `role` may call: its own and those of every role below it. */
export function routesOfRole(role: EditorRole): EditorRoute[] {
  const rank = editorRoles.indexOf(role);
  return editorRoutes.filter((route) => editorRoles.indexOf(route.role) <= rank);
}
