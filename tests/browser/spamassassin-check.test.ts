import { describe, expect, it } from 'vitest';
import { spamAssassinCheck } from '#adapters/spamassassin-check.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { buildMessage } from '#core/sending/build-message.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../fixtures/render/sample-issue.ts';

// Runs the real spamassassin, which .ci/run installs with the browser tests' Debian packages.
describe('spamAssassinCheck with spamassassin installed', () => {
  it('scores the sample digest below the spam threshold and lists the rules that fired', async () => {
    const view = sampleView();
    const rendered = await renderIssue(view, await loadTemplates());
    const unsubscribeUrl = 'https://news.example.com/unsubscribe?token=v1.AbCdEf0123456789';
    const { html, text } = personalize(rendered, { unsubscribeUrl, name: 'Ada' });
    const message = await buildMessage({
      from: { name: view.listName, address: 'digest@example.com' },
      to: 'reader@example.com',
      subject: rendered.subject,
      listId: `${view.listName} <weekly-slide.example.com>`,
      unsubscribeUrl,
      text,
      html,
    });

    const checks = await spamAssassinCheck(message);

    const [verdict, ...rules] = checks;
    expect(verdict?.rule).toBe('spamassassin');
    expect(verdict?.message).toMatch(
      /^SpamAssassin scores the message -?\d+\.\d \(spam from \d+\.\d; local tests only\)\.$/,
    );
    expect(verdict?.severity).not.toBe('error');
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.rule).toMatch(/^spamassassin-[A-Z0-9_]+$/);
  });
});
