import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Article } from '#core/article.ts';
import { MailNotSentError, MailRejectedError } from '#core/mail-errors.ts';
import type { IssueView } from '#core/render/issue-view.ts';
import type { RenderedIssue } from '#core/render/render-issue.ts';
import { type IssueDeps, previewIssue, sendIssue } from '#core/send-issue.ts';
import {
  MemoryArticleStore,
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
  RecordingMailer,
} from './fakes/memory-stores.ts';

const UNSUBSCRIBE = 'marker_unsubscribe_7f3a0c1e9b2d';
const NAME = 'marker_name_9c1e5a7b3f60ab';

/** A stand-in for the MJML renderer: the headlines, and the two per-recipient markers. */
async function fakeRender(view: IssueView): Promise<RenderedIssue> {
  const headlines = view.articles.map((a) => a.headline).join(' | ');
  return {
    issueId: view.issueId,
    subject: view.subject,
    html: `<p>${headlines}</p><p>Hi ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a>`,
    text: `${headlines}\nUnsubscribe: ${UNSUBSCRIBE}`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
}

function article(id: string, publishedAt: string): Article {
  return {
    id,
    headline: `Headline of ${id}`,
    publishedAt,
    lead: { images: [], paragraphs: ['Intro.'] },
    slides: [],
  };
}

function setup() {
  let counter = 0;
  const archived: { issueId: string; html: string; text: string }[] = [];
  const deps = {
    config: {
      listName: 'The Weekly Slide',
      listId: 'weekly.example.com',
      fromEmail: 'digest@example.com',
      language: 'en',
      postalAddress: '1 Example Street',
      publicBaseUrl: 'https://news.example.com',
      subjectTemplate: '{{headline}}',
      scheduleTimeZone: 'Europe/London',
    },
    articles: new MemoryArticleStore(),
    subscribers: new MemorySubscriberStore(),
    issues: new MemoryIssueStore(),
    ledger: new MemorySendLedger(),
    mailer: new RecordingMailer(),
    renderIssue: fakeRender,
    newId: () => `01ISSUE${String(++counter).padStart(19, '0')}`,
    now: () => new Date('2026-11-27T08:00:00Z'),
    tokenKey: new Uint8Array(32).fill(1),
    archive: async (issueId: string, content: { html: string; text: string }) => {
      archived.push({ issueId, ...content });
    },
  } satisfies IssueDeps;
  return { deps, archived };
}

async function addSubscribers(deps: ReturnType<typeof setup>['deps'], count: number) {
  for (let i = 1; i <= count; i++) {
    await deps.subscribers.add({
      id: `01SUB${String(i).padStart(21, '0')}`,
      email: `reader${i}@example.com`,
      status: 'active',
      source: 'cli',
      createdAt: '2026-11-01T00:00:00Z',
    });
  }
}

describe('sendIssue', () => {
  it('sends one message per active subscriber with the newest article on top', async () => {
    const { deps } = setup();
    await deps.articles.putAll([
      article('older', '2026-11-01T00:00:00Z'),
      article('newer', '2026-11-02T00:00:00Z'),
    ]);
    await addSubscribers(deps, 3);
    await deps.subscribers.add({
      id: '01SUBLEFT0000000000000000',
      email: 'left@example.com',
      status: 'unsubscribed',
      source: 'cli',
      createdAt: '2026-11-01T00:00:00Z',
    });

    const summary = await sendIssue(deps);

    expect(summary).toMatchObject({ articles: 2, recipients: 3, sent: 3, failed: 0 });
    expect(deps.mailer.sent.map((m) => m.to)).toEqual([
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
    ]);
    const issue = await deps.issues.get(summary.issueId ?? '');
    expect(issue).toMatchObject({ subject: 'Headline of newer', articleIds: ['newer', 'older'] });
  });

  it('fills each message with that recipient’s own signed unsubscribe link', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 2);

    await sendIssue(deps);

    const [first, second] = deps.mailer.sent.map((m) => Buffer.from(m.raw));
    // Headers may be folded over several lines (RFC 5322): unfold before reading.
    const link = (raw = Buffer.alloc(0)) =>
      raw
        .toString('utf8')
        .replace(/\r?\n[ \t]+/g, ' ')
        .match(/List-Unsubscribe: <([^>]+)>/)?.[1];
    const text = (await simpleParser(first ?? Buffer.alloc(0))).text;
    expect(link(first)).toMatch(/^https:\/\/news\.example\.com\/unsubscribe\?token=01SUB/);
    expect(link(first)).not.toBe(link(second));
    expect(text).toContain(`Unsubscribe: ${link(first)}`);
    expect(text).not.toContain(UNSUBSCRIBE);
  });

  it('sends nothing new when run again', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 2);
    await sendIssue(deps);

    const again = await sendIssue(deps);

    expect(again.issueId).toBeNull();
    expect(deps.mailer.sent).toHaveLength(2);
  });

  it('resumes an unfinished issue without sending anyone a second copy', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 3);
    deps.mailer.fail = (m) =>
      m.to === 'reader2@example.com' ? new MailNotSentError('Throttling') : undefined;
    const first = await sendIssue(deps);
    deps.mailer.fail = () => undefined;

    const second = await sendIssue(deps);

    expect(first).toMatchObject({ sent: 2, notSent: 1 });
    expect(second).toMatchObject({ issueId: first.issueId, resumed: true, sent: 3, notSent: 0 });
    expect(deps.mailer.sent.map((m) => m.to).sort()).toEqual([
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
    ]);
    expect((await deps.issues.get(first.issueId ?? ''))?.status).toBe('done');
  });

  it('records a refused message as failed and finishes the issue', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 2);
    deps.mailer.fail = (m) =>
      m.to === 'reader1@example.com' ? new MailRejectedError('MessageRejected') : undefined;

    const summary = await sendIssue(deps);

    expect(summary).toMatchObject({ recipients: 2, sent: 1, failed: 1, notSent: 0 });
  });

  it('keeps the claim when the outcome is unknown, so the message is never sent twice', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 1);
    deps.mailer.fail = () => new Error('socket hang up');
    await expect(sendIssue(deps)).rejects.toThrow('socket hang up');
    deps.mailer.fail = () => undefined;

    await sendIssue(deps);

    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('archives the issue without anyone’s personal link', async () => {
    const { deps, archived } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await addSubscribers(deps, 1);

    const summary = await sendIssue(deps);

    expect(archived.map((copy) => copy.issueId)).toEqual([summary.issueId]);
    expect(archived[0]?.html).toContain('href="https://news.example.com/unsubscribe"');
    expect(archived[0]?.html).not.toMatch(/token=|reader1/);
    expect(archived[0]?.text).not.toMatch(/token=|reader1/);
  });
});

describe('previewIssue', () => {
  it('renders the next issue and stores nothing', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const preview = await previewIssue(deps);

    expect(preview?.html).toContain('Headline of one');
    expect(preview?.html).toContain('href="https://news.example.com/unsubscribe"');
    expect(await deps.issues.list()).toEqual([]);
  });
});
