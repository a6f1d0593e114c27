import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { personas } from '#app/editor-api/personas.ts';
import { previewMessage } from '#app/editor-api/preview-message.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import { publicCopy } from '#core/issues/public-copy.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { Sender } from '#core/sending/sender.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { SteppedClock } from '../../fakes/memory-sending.ts';
import { RecordingMailer } from '../../fakes/memory-stores.ts';
import { article } from '../../support/articles.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

const SUBSCRIBER = '01JSUBSCRIBER0000000000042';

/** The project's templates, with a greeting by name in the masthead: the name is then seen. */
async function greetingTemplates(): Promise<TemplateSet> {
  const templates = await loadTemplates();
  const header = templates.partials['mjml-header'] ?? '';
  return {
    ...templates,
    partials: {
      ...templates.partials,
      'mjml-header': header.replace(
        '{{issueDate}} ·',
        "Hello {{recipient 'name'}} · {{issueDate}} ·",
      ),
    },
  };
}

/** Editor API ports whose renders greet by name, with one stored article and a subscriber. */
async function greetingSetup() {
  const templates = await greetingTemplates();
  const memory = await memoryEditorApiDeps({
    renderIssue: (view: IssueView) => renderIssue(view, templates),
  });
  await memory.issues.articles.putAll([article('night-trains', '2025-03-06T08:00:00.000Z')]);
  await memory.subscriptions.subscribers.add({
    id: SUBSCRIBER,
    email: 'zoe@example.com',
    name: "Zoë O'Brien & <Sons>",
    status: 'active',
    source: 'cli',
    createdAt: '2025-03-01T00:00:00.000Z',
  });
  return memory;
}

/** The unsubscribe token of a message's HTML. */
function tokenOf(html: string): string {
  return decodeURIComponent(/\/unsubscribe\?token=([A-Za-z0-9._%-]+)/.exec(html)?.[1] ?? '');
}

describe('previewMessage', () => {
  it('for a subscriber is the HTML part the Sender mails that subscriber, name escaped alike', async () => {
    const { deps, issues, subscriptions } = await greetingSetup();
    const draft = await draftIssue(issues, {}, 'cli:tester');
    const issueId = draft?.issue.issueId as string;
    // Started and prepared, as `startIssue` leaves it for the senders.
    Object.assign(issues.issues.items.get(issueId) as Issue, {
      state: 'sending',
      rate: 100,
      preparedAt: '2025-03-07T08:00:00.000Z',
    });
    await issues.ledger.addMissing(
      issueId,
      [{ subscriberId: SUBSCRIBER, status: 'queued' }],
      '2025-03-07T08:00:00.000Z',
    );
    const mailer = new RecordingMailer();
    const clock = new SteppedClock();
    const sender = new Sender({
      config: issues.config,
      unknownWindowSeconds: 60,
      issues: issues.issues,
      ledger: issues.ledger,
      leases: issues.leases,
      subscribers: subscriptions.subscribers,
      renderedIssues: issues.renderedIssues,
      mailer,
      events: issues.events,
      linkKeys: subscriptions.linkKeys,
      newId: issues.newId,
      now: issues.now,
      clock,
    });
    await clock.run(sender.sendPage({ issueId, subscriberIds: [SUBSCRIBER] }));
    const [message] = mailer.sent;
    const mail = await simpleParser(Buffer.from(message?.raw ?? []));

    const preview = await previewMessage(deps, {
      issueId,
      as: { kind: 'subscriber', subscriberId: SUBSCRIBER },
    });

    expect(preview.html).toBe(mail.html);
    expect(preview.html).toContain('Hello Zoë O&#39;Brien &amp; &lt;Sons&gt; ·');
    expect(preview).toMatchObject({ issueId, version: 1, sha256: draft?.issue.sha256 });
  });

  it('for each persona greets its made-up name, with a test send’s unsubscribe link for the issue', async () => {
    const { deps, subscriptions } = await greetingSetup();

    for (const persona of ['none', 'long', 'rtl'] as const) {
      const preview = await previewMessage(deps, { as: { kind: 'persona', persona } });

      expect(preview.html).toContain(`Hello ${personas[persona].name} ·`);
      const token = checkSubscriberToken(
        await subscriptions.linkKeys.current(),
        tokenOf(preview.html),
        'test',
      );
      expect(token).toMatchObject({ valid: true, subscriberId: 'test' });
    }
  });

  it('of the next issue stores nothing, and gives neither an issue id, a version nor a hash', async () => {
    const { deps, issues } = await greetingSetup();

    const preview = await previewMessage(deps, { as: { kind: 'public' } });

    expect(preview).not.toHaveProperty('issueId');
    expect(preview).not.toHaveProperty('version');
    expect(preview).not.toHaveProperty('sha256');
    expect(await issues.issues.list()).toEqual([]);
    expect(issues.renderedIssues.items.size).toBe(0);
  });

  it('as public is the archive’s copy of the stored render', async () => {
    const { deps, issues } = await greetingSetup();
    const draft = await draftIssue(issues, {}, 'cli:tester');
    const issueId = draft?.issue.issueId as string;
    const rendered = await issues.renderedIssues.get(issueId, draft?.issue.sha256 as string);

    const preview = await previewMessage(deps, { issueId, as: { kind: 'public' } });

    expect(rendered).toBeDefined();
    expect(preview.html).toBe(
      publicCopy(issues.config, rendered as NonNullable<typeof rendered>).html,
    );
  });

  it('hands the checks the message as it would be sent, and answers their findings and its size', async () => {
    const { deps } = await greetingSetup();
    const seen: { subject: string; html: string }[] = [];
    const finding = { rule: 'size', severity: 'warning' as const, message: 'Large.' };

    const preview = await previewMessage(
      {
        ...deps,
        check: (message) => {
          seen.push(message);
          return [finding];
        },
      },
      { as: { kind: 'persona', persona: 'rtl' } },
    );

    expect(seen).toEqual([
      {
        subject: preview.subject,
        preheader: preview.preheader,
        html: preview.html,
        text: preview.text,
      },
    ]);
    expect(preview.checks).toEqual([finding]);
    expect(preview.bytes).toBe(Buffer.byteLength(preview.html, 'utf8'));
  });
});
