import { buildMessage } from './build-message.ts';
import { composeIssue, type IssueSettings, issueView } from './compose-issue.ts';
import type { Config } from './config.ts';
import { MailNotSentError, MailRejectedError } from './mail-errors.ts';
import type {
  ArticleStore,
  Issue,
  IssueStore,
  Mailer,
  SendLedger,
  Subscriber,
  SubscriberStore,
} from './ports.ts';
import type { IssueView } from './render/issue-view.ts';
import { personalize } from './render/personalize.ts';
import type { RenderedIssue } from './render/render-issue.ts';
import { signSubscriberToken } from './subscriber-token.ts';

/** What planning, rendering and sending an issue need. */
export interface IssueDeps {
  config: IssueSettings & Pick<Config, 'listId' | 'fromEmail'>;
  articles: ArticleStore;
  subscribers: SubscriberStore;
  issues: IssueStore;
  ledger: SendLedger;
  mailer: Mailer;
  renderIssue(view: IssueView): Promise<RenderedIssue>;
  /** A new opaque ULID. */
  newId(): string;
  now(): Date;
  /** Key of the HMAC that signs unsubscribe links. */
  tokenKey: Uint8Array;
  /** Keeps the issue as everyone may read it (no personal data) for "view in browser". */
  archive(issueId: string, content: { html: string; text: string }): Promise<void>;
}

/** The outcome of `sendIssue`, as `newsletter send --json` prints it. */
export interface SendSummary {
  issueId: string | null;
  articles: number;
  recipients: number;
  sent: number;
  failed: number;
  /** Messages not sent this time (the mail service answered with an error): send again. */
  notSent: number;
  /** True when this call resumed an issue that an earlier call left unfinished. */
  resumed: boolean;
}

/** Progress of a send, after each recipient. */
export type SendProgress = (done: number, total: number) => void;

/**
 * Sends the next issue to every active subscriber, or resumes the unfinished one. Each
 * (issue, subscriber) is claimed in the ledger before the mail service is called, so that
 * running it again never sends anyone the same issue twice.
 */
export async function sendIssue(deps: IssueDeps, onProgress?: SendProgress): Promise<SendSummary> {
  const issues = await deps.issues.list();
  const unfinished = issues.find((issue) => issue.status === 'sending');
  const composed = unfinished ? await resume(deps, unfinished) : await compose(deps, issues);
  if (!composed) return { ...emptySummary, issueId: null };
  if (!unfinished) await deps.issues.create(composed.issue);
  const { issue, articles, rendered } = composed;

  await deps.archive(issue.issueId, personalize(rendered, anonymousReader(deps)));
  const recipients = (await deps.subscribers.list()).filter((s) => s.status === 'active');
  let notSent = 0;
  for (const [index, subscriber] of recipients.entries()) {
    if (!(await deliver(deps, issue, rendered, subscriber))) notSent++;
    onProgress?.(index + 1, recipients.length);
  }
  if (notSent === 0) await deps.issues.markDone(issue.issueId);

  const records = await deps.ledger.list(issue.issueId);
  return {
    issueId: issue.issueId,
    articles: articles.length,
    recipients: records.length + notSent,
    sent: records.filter((record) => record.status === 'sent').length,
    failed: records.filter((record) => record.status === 'failed').length,
    notSent,
    resumed: unfinished !== undefined,
  };
}

/** The next issue's articles and its HTML and text for one sample recipient; stores nothing. */
export async function previewIssue(deps: IssueDeps) {
  const composed = await compose(deps, await deps.issues.list());
  if (!composed) return undefined;
  const { issue, articles, rendered } = composed;
  return { issue, articles, ...personalize(rendered, anonymousReader(deps)) };
}

/** The per-recipient values of a copy that belongs to nobody (archive, preview). */
function anonymousReader(deps: IssueDeps) {
  return { unsubscribeUrl: `${deps.config.publicBaseUrl}/unsubscribe`, name: '' };
}

const emptySummary: SendSummary = {
  issueId: null,
  articles: 0,
  recipients: 0,
  sent: 0,
  failed: 0,
  notSent: 0,
  resumed: false,
};

async function compose(deps: IssueDeps, issues: Issue[]) {
  return composeIssue({
    issueId: deps.newId(),
    now: deps.now(),
    articles: await deps.articles.list(),
    issues,
    settings: deps.config,
    render: deps.renderIssue,
  });
}

/** Renders an unfinished issue again from the articles it carries. */
async function resume(deps: IssueDeps, issue: Issue) {
  const articles = await deps.articles.getMany(issue.articleIds);
  const rendered = await deps.renderIssue(issueView(deps.config, issue, articles));
  return { issue, articles, rendered };
}

function unsubscribeUrl(deps: IssueDeps, subscriberId: string): string {
  const token = signSubscriberToken(deps.tokenKey, subscriberId, 'unsubscribe');
  return `${deps.config.publicBaseUrl}/unsubscribe?token=${token}`;
}

/** Sends one message unless the ledger has it already. False when it must be sent later. */
async function deliver(
  deps: IssueDeps,
  issue: Issue,
  rendered: RenderedIssue,
  subscriber: Subscriber,
): Promise<boolean> {
  const link = unsubscribeUrl(deps, subscriber.id);
  const content = personalize(rendered, { unsubscribeUrl: link, name: subscriber.name ?? '' });
  const raw = await buildMessage({
    from: { name: deps.config.listName, address: deps.config.fromEmail },
    to: subscriber.email,
    subject: issue.subject,
    listId: `${deps.config.listName} <${deps.config.listId}>`,
    unsubscribeUrl: link,
    ...content,
  });
  if (!(await deps.ledger.claim(issue.issueId, subscriber.id, deps.now().toISOString()))) {
    return true;
  }
  try {
    const { messageId } = await deps.mailer.send({
      to: subscriber.email,
      raw,
      tags: { issueId: issue.issueId, subscriberId: subscriber.id },
    });
    await deps.ledger.complete(
      issue.issueId,
      subscriber.id,
      { status: 'sent', messageId },
      deps.now().toISOString(),
    );
    return true;
  } catch (error) {
    if (error instanceof MailRejectedError) {
      await deps.ledger.complete(
        issue.issueId,
        subscriber.id,
        { status: 'failed', error: error.message },
        deps.now().toISOString(),
      );
      return true;
    }
    if (error instanceof MailNotSentError) {
      await deps.ledger.release(issue.issueId, subscriber.id);
      return false;
    }
    // The outcome is unknown: the claim stays, so this message is never sent twice.
    throw error;
  }
}
