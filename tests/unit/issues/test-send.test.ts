import { type ParsedMail, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { addressHash } from '#core/common/address-hash.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import type { Issue, IssueState } from '#core/issues/ports.ts';
import { type TestSendDeps, testSendIssue } from '#core/issues/test-send.ts';
import { TestSendError } from '#core/issues/test-send-error.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
import type { OutgoingMessage } from '#core/sending/ports.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';
import { MemoryLinkKeys } from '../fakes/memory-link-keys.ts';
import { ManualClock, MemoryRenderedIssueStore } from '../fakes/memory-sending.ts';
import {
  MemoryIssueStore,
  MemorySubscriberStore,
  RecordingMailer,
} from '../fakes/memory-stores.ts';
import { MemorySuppressionStore } from '../fakes/memory-subscription-stores.ts';

const ISSUE = '01JISSUE000000000000000000';
const UNSUBSCRIBE = 'nlm_unsubscribeUrl_0123456789abcdef0123';
const NAME = 'nlm_name_fedcba9876543210fedc';
const BASE = 'https://news.example.com';
const KEY = new Uint8Array(32).fill(5);
/** The links' keys: a first key of other bytes than the hash key's, to tell them apart. */
const LINK_KEYS = new MemoryLinkKeys(new Uint8Array(32).fill(6));
const BY = { actor: 'cli:editor', at: new Date('2026-11-27T08:00:00.000Z') };

/** A render with both markers, non-ASCII text, long lines and characters QP must encode. */
function render(headline: string): RenderedIssue {
  return {
    issueId: ISSUE,
    subject: 'Café crème: the week in pictures',
    preheader: headline,
    html:
      `<html><body><p>Hello ${NAME}, ünïcödé &amp; = signs</p><h1>${headline}</h1>` +
      `<p>${'A long line of text without breaks. '.repeat(8)}</p>` +
      `<a href="${UNSUBSCRIBE}">Unsubscribe</a></body></html>`,
    text: `Hello ${NAME},\n${headline} — ünïcödé.\n\nUnsubscribe: ${UNSUBSCRIBE}\n`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
}

/** The draft's stored render, as `issues draft` left it. */
const DRAFT_RENDER = render('Night trains are back');

/** The draft, naming `DRAFT_RENDER` by its hash unless `changes` say otherwise. */
function draft(changes: Partial<Issue> = {}): Issue {
  return {
    issueId: ISSUE,
    createdAt: '2026-11-26T09:00:00.000Z',
    subject: 'Café crème: the week in pictures',
    articleIds: ['night-trains'],
    state: 'draft',
    version: 1,
    sha256: renderHash(DRAFT_RENDER),
    renderedAt: '2026-11-26T09:00:01.000Z',
    timeline: [{ at: '2026-11-26T09:00:00.000Z', actor: 'cli:editor', action: 'draft' }],
    ...changes,
  };
}

const ada: Subscriber = {
  id: '01JSUB00000000000000000001',
  email: 'ada@example.com',
  name: 'Ada <Lovelace> & Co',
  status: 'active',
  source: 'cli',
  createdAt: '2026-11-01T00:00:00.000Z',
};

async function setup(issue: Issue = draft()) {
  const issues = new MemoryIssueStore();
  await issues.create(issue);
  const renderedIssues = new MemoryRenderedIssueStore();
  await renderedIssues.put(DRAFT_RENDER, renderHash(DRAFT_RENDER));
  const subscribers = new MemorySubscriberStore();
  await subscribers.add(ada);
  const suppressions = new MemorySuppressionStore();
  const mailer = new RecordingMailer();
  let ids = 0;
  const deps: TestSendDeps = {
    config: {
      listName: 'The Weekly Slide',
      listId: 'weekly.example.com',
      fromEmail: 'digest@example.com',
      publicBaseUrl: BASE,
      sendRate: 14,
    },
    issues,
    renderedIssues,
    subscribers,
    suppressions,
    mailer,
    hashKey: KEY,
    linkKeys: LINK_KEYS,
    newId: () => `01JTEST${String(++ids).padStart(19, '0')}`,
    clock: new ManualClock(),
  };
  return { deps, issues, renderedIssues, subscribers, suppressions, mailer };
}

async function parse(message: OutgoingMessage | undefined): Promise<ParsedMail> {
  return simpleParser(Buffer.from(message?.raw ?? []));
}

/** The `List-Unsubscribe` URL of a message, without its angle brackets. */
function listUnsubscribe(mail: ParsedMail): string {
  const line = mail.headerLines.find((header) => header.key === 'list-unsubscribe')?.line ?? '';
  return /<([^>]+)>/.exec(line.replace(/\r?\n[ \t]+/g, ''))?.[1] ?? '';
}

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token') ?? '';
}

describe('testSendIssue', () => {
  it('mails each address the draft’s render under a [TEST] subject, personalised for it', async () => {
    const { deps, mailer } = await setup();

    const outcome = await testSendIssue(deps, ISSUE, ['ada@example.com', 'editor@example.net'], BY);

    expect(outcome).toMatchObject({ issueId: ISSUE, version: 1, sent: 2, recorded: true });
    expect(mailer.sent.map((message) => message.to)).toEqual([
      'ada@example.com',
      'editor@example.net',
    ]);
    const [toAda, toEditor] = await Promise.all(mailer.sent.map(parse));
    const rendered = render('Night trains are back');
    for (const [mail, name] of [
      [toAda, 'Ada <Lovelace> & Co'],
      [toEditor, ''],
    ] as const) {
      expect(mail?.subject).toBe('[TEST] Café crème: the week in pictures');
      const link = listUnsubscribe(mail as ParsedMail);
      const expected = personalize(rendered, {
        unsubscribeUrl: unsubscribeUrl(BASE, tokenOf(link)),
        name,
      });
      expect(mail?.html).toBe(expected.html);
      expect(mail?.text).toBe(expected.text);
    }
  });

  it('sends the render the issue names, not an earlier version’s', async () => {
    const second = render('Version two');
    const { deps, renderedIssues, mailer } = await setup(
      draft({ version: 2, sha256: renderHash(second) }),
    );
    await renderedIssues.put(second, renderHash(second));

    await testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    const mail = await parse(mailer.sent[0]);
    expect(mail.html).toContain('<h1>Version two</h1>');
    expect(mail.text).toContain('Version two');
    expect(mail.html).not.toContain('Night trains are back');
  });

  it('carries a link signed for a test, which unsubscribes nobody, in the body and List-Unsubscribe', async () => {
    const { deps, mailer } = await setup();

    await testSendIssue(deps, ISSUE, ['ada@example.com'], BY);

    const mail = await parse(mailer.sent[0]);
    const link = listUnsubscribe(mail);
    expect(link.startsWith(`${BASE}/unsubscribe?token=`)).toBe(true);
    expect(mail.text).toContain(link);
    expect(checkSubscriberToken(LINK_KEYS.keys, tokenOf(link), 'test')).toMatchObject({
      valid: true,
      issueId: ISSUE,
    });
    expect(checkSubscriberToken(LINK_KEYS.keys, tokenOf(link), 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });

  it('tags each message as a test of the issue, in characters SES accepts, with no subscriber', async () => {
    const { deps, mailer } = await setup();

    await testSendIssue(deps, ISSUE, ['ada@example.com', 'editor@example.net'], BY);

    expect(mailer.sent.map((message) => message.tags)).toEqual([
      { purpose: 'test', testOf: ISSUE },
      { purpose: 'test', testOf: ISSUE },
    ]);
    const values = mailer.sent.flatMap((message) => Object.values(message.tags));
    expect(values.every((value) => /^[A-Za-z0-9_-]{1,256}$/.test(value))).toBe(true);
  });

  it('gives each test message a Message-ID of its own, never the one the issue will carry', async () => {
    const { deps, mailer } = await setup();

    await testSendIssue(deps, ISSUE, ['ada@example.com'], BY);
    await testSendIssue(deps, ISSUE, ['ada@example.com'], BY);

    const ids = (await Promise.all(mailer.sent.map(parse))).map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain(`<${ISSUE}.${ada.id}@weekly.example.com>`);
  });

  it('sends once to an address given twice, in another case or with spaces', async () => {
    const { deps, mailer } = await setup();

    const outcome = await testSendIssue(
      deps,
      ISSUE,
      [' Editor@Example.net', 'editor@example.net ', 'EDITOR@EXAMPLE.NET'],
      BY,
    );

    // The domain as DNS spells it, as the senders write it.
    expect(mailer.sent.map((message) => message.to)).toEqual(['Editor@example.net']);
    expect(outcome.recipients).toEqual([
      { address: 'Editor@Example.net', status: 'sent', messageId: 'message-1' },
    ]);
  });

  it('adds one timeline entry that counts the addresses and names none, and changes nothing else', async () => {
    const { deps, issues } = await setup();
    const before = await issues.get(ISSUE);

    await testSendIssue(deps, ISSUE, ['ada@example.com', 'editor@example.net'], BY);

    const after = await issues.get(ISSUE);
    expect(after).toEqual({
      ...before,
      timeline: [
        ...(before?.timeline ?? []),
        {
          at: '2026-11-27T08:00:00.000Z',
          actor: 'cli:editor',
          action: 'test',
          detail: '2 addresses',
        },
      ],
    });
    expect(JSON.stringify(after?.timeline)).not.toContain('@');
  });

  it('takes up to ten addresses', async () => {
    const { deps, mailer } = await setup();
    const ten = Array.from({ length: 10 }, (_, i) => `editor${i}@example.net`);

    const outcome = await testSendIssue(deps, ISSUE, ten, BY);

    expect(outcome.sent).toBe(10);
    expect(mailer.sent).toHaveLength(10);
  });
});

describe('testSendIssue refuses, and sends nothing', () => {
  const eleven = Array.from({ length: 11 }, (_, i) => `editor${i}@example.net`);
  const cases: { name: string; addresses: string[]; problem: string; at?: string[] }[] = [
    { name: 'no address', addresses: [], problem: 'no-addresses' },
    { name: 'only blank addresses', addresses: ['  '], problem: 'invalid-address', at: [''] },
    { name: 'more than ten addresses', addresses: eleven, problem: 'too-many-addresses' },
    {
      name: 'an address that is not one',
      addresses: ['editor@example.net', 'not-an-address'],
      problem: 'invalid-address',
      at: ['not-an-address'],
    },
    {
      name: 'an address with a line break (a header injection)',
      addresses: ['editor@example.net\r\nBcc: victim@example.org'],
      problem: 'invalid-address',
      at: ['editor@example.net\r\nBcc: victim@example.org'],
    },
    {
      name: 'an address whose local part is not ASCII (it cannot go in a header)',
      addresses: ['editor@example.net', 'édith@example.net'],
      problem: 'invalid-address',
      at: ['édith@example.net'],
    },
    {
      name: 'a suppressed address',
      addresses: ['editor@example.net', 'bounced@example.org'],
      problem: 'suppressed-address',
      at: ['bounced@example.org'],
    },
    {
      name: 'a suppressed subscriber, in another case',
      addresses: ['GONE@example.com', 'editor@example.net'],
      problem: 'suppressed-address',
      at: ['GONE@example.com'],
    },
  ];

  it.each(cases)('with $name', async ({ addresses, problem, at }) => {
    const { deps, mailer, issues, suppressions, subscribers } = await setup();
    await suppressions.put(addressHash(KEY, 'bounced@example.org'), {
      reason: 'bounce',
      detail: 'Permanent/General',
      at: '2026-11-01T00:00:00.000Z',
    });
    await subscribers.add({
      ...ada,
      id: '01JSUB00000000000000000002',
      email: 'gone@example.com',
      status: 'suppressed',
    });
    const before = await issues.get(ISSUE);

    const refused = testSendIssue(deps, ISSUE, addresses, BY);

    await expect(refused).rejects.toBeInstanceOf(TestSendError);
    await expect(refused).rejects.toMatchObject({
      problem,
      ...(at ? { addresses: at } : {}),
      message: expect.stringMatching(/Nothing was sent\.$/),
    });
    await expect(refused).rejects.toMatchObject({ message: expect.not.stringContaining('@') });
    expect(mailer.sent).toEqual([]);
    expect(await issues.get(ISSUE)).toEqual(before);
  });

  it('names the addresses at fault by their place in the list', async () => {
    const { deps } = await setup();

    const refused = testSendIssue(deps, ISSUE, ['x', 'editor@example.net', 'y'], BY);

    await expect(refused).rejects.toThrow(
      'Addresses 1 and 3 are not an email address that can be mailed',
    );
  });

  it.each<IssueState>(['sending', 'paused', 'sent', 'cancelled'])(
    'an issue that is %s',
    async (state) => {
      const { deps, mailer, issues } = await setup(draft({ state }));
      const before = await issues.get(ISSUE);

      const refused = testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

      await expect(refused).rejects.toBeInstanceOf(IssueStateError);
      await expect(refused).rejects.toThrow(`Issue ${ISSUE} is ${state}`);
      expect(mailer.sent).toEqual([]);
      expect(await issues.get(ISSUE)).toEqual(before);
    },
  );

  it('an issue that does not exist', async () => {
    const { deps, mailer } = await setup();

    const refused = testSendIssue(deps, '01JNOSUCHISSUE000000000000', ['editor@example.net'], BY);

    await expect(refused).rejects.toBeInstanceOf(IssueNotFoundError);
    expect(mailer.sent).toEqual([]);
  });

  it('a draft whose render is not stored', async () => {
    const { deps, mailer } = await setup(
      draft({ version: 3, sha256: renderHash(render('Version three')) }),
    );

    const refused = testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    await expect(refused).rejects.toMatchObject({ problem: 'no-render' });
    expect(mailer.sent).toEqual([]);
  });
});

describe('testSendIssue when SES refuses some addresses', () => {
  it('still sends the others, and tells each address’s fate without the address in the error', async () => {
    const { deps, mailer, issues } = await setup();
    mailer.fail = (message) =>
      message.to === 'blocked@example.org'
        ? new MailRejectedError(`MessageRejected: Address blacklisted: ${message.to}`)
        : undefined;

    const outcome = await testSendIssue(
      deps,
      ISSUE,
      ['editor@example.net', 'blocked@example.org', 'ada@example.com'],
      BY,
    );

    expect(outcome.recipients).toEqual([
      { address: 'editor@example.net', status: 'sent', messageId: 'message-1' },
      {
        address: 'blocked@example.org',
        status: 'rejected',
        error: 'MessageRejected: Address blacklisted: [address]',
      },
      { address: 'ada@example.com', status: 'sent', messageId: 'message-2' },
    ]);
    expect(outcome).toMatchObject({ sent: 2, recorded: true });
    expect((await issues.get(ISSUE))?.timeline.at(-1)).toMatchObject({
      action: 'test',
      detail: '2 of 3 addresses',
    });
  });

  it('tries an address again while SES says it took nothing', async () => {
    const { deps, mailer } = await setup();
    let calls = 0;
    mailer.fail = () => (++calls === 1 ? new MailNotSentError('Throttling') : undefined);

    const outcome = await testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    expect(calls).toBe(2);
    expect(outcome.recipients).toEqual([
      { address: 'editor@example.net', status: 'sent', messageId: 'message-1' },
    ]);
  });

  it('never calls SES twice for a message whose outcome is unknown', async () => {
    const { deps, mailer } = await setup();
    let calls = 0;
    mailer.fail = () => (++calls === 1 ? new Error('socket hang up') : undefined);

    const outcome = await testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    expect(calls).toBe(1);
    expect(outcome.recipients).toEqual([
      { address: 'editor@example.net', status: 'unknown', error: 'socket hang up' },
    ]);
  });

  it('records nothing on the timeline when nothing was sent', async () => {
    const { deps, mailer, issues } = await setup();
    const before = await issues.get(ISSUE);
    mailer.fail = () => new MailRejectedError('MessageRejected: Email address is not verified.');

    const outcome = await testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    expect(outcome).toMatchObject({ sent: 0, recorded: false });
    expect(await issues.get(ISSUE)).toEqual(before);
  });

  it('tells what was sent, unrecorded, when the draft was rendered again meanwhile', async () => {
    const { deps, mailer, issues } = await setup();
    mailer.fail = () => {
      // Another editor renders the draft while the test goes out.
      void issues.move(ISSUE, {
        from: ['draft'],
        to: 'draft',
        changes: { version: 2 },
        entry: { at: '2026-11-27T08:00:01.000Z', actor: 'cli:other', action: 'render' },
      });
      return undefined;
    };

    const outcome = await testSendIssue(deps, ISSUE, ['editor@example.net'], BY);

    expect(outcome).toMatchObject({ sent: 1, recorded: false });
    expect(outcome.unrecorded).toContain('version 2');
    expect((await issues.get(ISSUE))?.timeline.map((entry) => entry.action)).toEqual([
      'draft',
      'render',
    ]);
  });
});
