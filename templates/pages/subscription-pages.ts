import { escapeHtml } from '#core/rendering/escape-html.ts';

/** What every subscription page shows: the list it belongs to, in its language. */
export interface PageContext {
  listName: string;
  /** BCP 47 tag for `lang`. */
  language: string;
}

/** A rendered page: its HTTP status with the HTML. */
export interface Page {
  status: 200 | 202 | 400 | 404 | 410 | 413 | 415 | 503;
  html: string;
}

// Forms have no `action`: they post back to the page's own address, token included, which
// also holds when the app is served under a path prefix.
const STYLE = `
body{margin:0;background:#f6f6f6;color:#1a1a1a;font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d6d6d6;border-radius:6px}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
p{margin:0 0 1rem}
label{display:block;font-weight:600;margin:0 0 .25rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;margin:0 0 1rem;border:1px solid #6b6b6b;border-radius:4px}
button{font:inherit;font-weight:600;padding:.625rem 1.25rem;border:0;border-radius:4px;background:#0b57a4;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.error{color:#a40b0b;font-weight:600}
.list{color:#4d4d4d;font-size:.9375rem}
`;

function layout(context: PageContext, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(context.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · ${escapeHtml(context.listName)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="list">${escapeHtml(context.listName)}</p>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The sign-up form, with what was typed and what is wrong with it after a refused try. */
export function subscribeFormPage(
  context: PageContext,
  form: { email?: string; name?: string; error?: string } = {},
): Page {
  const error = form.error
    ? `<p class="error" role="alert" id="form-error">${escapeHtml(form.error)}</p>\n`
    : '';
  const described = form.error ? ' aria-describedby="form-error" aria-invalid="true"' : '';
  return {
    status: form.error ? 400 : 200,
    html: layout(
      context,
      `Subscribe to ${context.listName}`,
      `${error}<form method="post">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${escapeHtml(form.email ?? '')}"${described}>
<label for="name">Name (optional)</label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="${escapeHtml(form.name ?? '')}">
<button type="submit">Subscribe</button>
</form>
<p>We will send you an email with a link to confirm. You can leave at any time with one click.</p>`,
    ),
  };
}

/** After a sign-up: the same page whatever the address (new, waiting or subscribed). */
export function checkInboxPage(context: PageContext): Page {
  return {
    status: 202,
    html: layout(
      context,
      'Check your inbox',
      `<p>${escapeHtml(CHECK_INBOX)}</p>
<p>Nothing arrived? Look in your spam folder, or ask again in a few minutes.</p>`,
    ),
  };
}

/** The answer to a sign-up, for JSON and pages alike. */
export const CHECK_INBOX =
  'If this address is not subscribed yet, an email with a link to confirm is on its way to it.';

/** `GET /confirm` with a working link: a button, since link scanners follow links. */
export function confirmPage(context: PageContext): Page {
  return {
    status: 200,
    html: layout(
      context,
      'Confirm your subscription',
      `<p>Press the button to start receiving ${escapeHtml(context.listName)}.</p>
<form method="post"><button type="submit">Confirm my subscription</button></form>`,
    ),
  };
}

/** The subscription is (or already was) active. */
export function subscribedPage(context: PageContext): Page {
  return {
    status: 200,
    html: layout(
      context,
      'You are subscribed',
      `<p>Thank you. The next issue of ${escapeHtml(context.listName)} will come to your inbox.</p>
<p>Every issue has an unsubscribe link, should you want to leave.</p>`,
    ),
  };
}

/** `GET /unsubscribe` with a working link: a button that posts the one-click form. */
export function unsubscribePage(context: PageContext): Page {
  return {
    status: 200,
    html: layout(
      context,
      'Unsubscribe',
      `<p>Press the button and you will get no more issues of ${escapeHtml(context.listName)}.</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
    ),
  };
}

/** The address is (or already was) unsubscribed. */
export function unsubscribedPage(context: PageContext): Page {
  return {
    status: 200,
    html: layout(
      context,
      'You are unsubscribed',
      `<p>You will get no more issues of ${escapeHtml(context.listName)}. Sorry to see you go.</p>
<p>Changed your mind? You can subscribe again at any time.</p>`,
    ),
  };
}

/** A link or a request that cannot be used, with what the reader can do about it. */
export function problemPage(
  context: PageContext,
  status: Page['status'],
  title: string,
  message: string,
): Page {
  return { status, html: layout(context, title, `<p>${escapeHtml(message)}</p>`) };
}
