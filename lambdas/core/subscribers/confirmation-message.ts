import type { Config } from '../common/config.ts';
import { escapeHtml } from '../rendering/escape-html.ts';

/** The text of a confirmation request, in both parts of the message. */
export interface ConfirmationContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The double opt-in email: one link that confirms (it opens a page with a button, so a link
 * scanner following it confirms nothing) and what happens if the reader ignores it.
 */
export function confirmationMessage(
  config: Pick<Config, 'listName' | 'postalAddress' | 'language' | 'confirmLinkHours'>,
  recipient: { confirmUrl: string; name?: string | undefined },
): ConfirmationContent {
  const hours = config.confirmLinkHours;
  const greeting = recipient.name ? `Hello ${recipient.name},` : 'Hello,';
  const subject = `Confirm your subscription to ${config.listName}`;
  const text = [
    greeting,
    '',
    `Please confirm that you want to receive ${config.listName} at this address:`,
    '',
    recipient.confirmUrl,
    '',
    `The link works for ${hours} hours. If you did not ask for this, ignore this message:`,
    'nothing more will be sent to you unless you confirm.',
    '',
    '-- ',
    config.listName,
    config.postalAddress,
    '',
  ].join('\n');
  const url = escapeHtml(recipient.confirmUrl);
  const html = `<!doctype html>
<html lang="${escapeHtml(config.language)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#ffffff;color:#1a1a1a;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto">
<p>${escapeHtml(greeting)}</p>
<p>Please confirm that you want to receive ${escapeHtml(config.listName)} at this address.</p>
<p style="margin:24px 0"><a href="${url}" style="display:inline-block;padding:12px 20px;background:#0b57a4;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">Confirm my subscription</a></p>
<p>Or open this link: <a href="${url}" style="color:#0b57a4;word-break:break-all">${url}</a></p>
<p>The link works for ${hours} hours. If you did not ask for this, ignore this message: nothing more will be sent to you unless you confirm.</p>
<p style="margin-top:32px;padding-top:16px;border-top:1px solid #d6d6d6;font-size:14px;color:#4d4d4d">${escapeHtml(config.listName)}<br>${escapeHtml(config.postalAddress)}</p>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
