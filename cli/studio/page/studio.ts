import { messageOf, StudioApi, StudioApiError } from './api.ts';
import type {
  Article,
  IssueReport,
  ListedIssue,
  PreviewAnswer,
  StudioEvents,
  Subscriber,
} from './api-types.ts';
import { ArticlesPanel } from './articles-panel.ts';
import { ChecksPanel } from './checks-panel.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { byId } from './dom.ts';
import { listenToStudio } from './events.ts';
import { IssuesPanel } from './issues-panel.ts';
import { Notices } from './notices.ts';
import { PreviewControls } from './preview-controls.ts';
import { PreviewPanel } from './preview-panel.ts';
import { type PreviewChoice, previewPath } from './preview-query.ts';
import { markStep } from './studio-marks.ts';
import { TestSendPanel } from './test-send-panel.ts';

/** What the page's shell says (`studioIndexHtml`'s `<meta>` elements). */
export interface StudioOptions {
  token: string;
  liveReload: boolean;
  target: 'local' | 'aws';
  /** Where the configuration says stored photos are served from, when the page was served. */
  mediaBaseUrl: string;
}

/**
 * The studio page: its panels, what they ask the server, and what the server's events change.
 * The preview is asked again when what it shows may have changed (the choice, a template or
 * an article saved, a draft saved); the answer of an older request that comes late is
 * dropped.
 */
export class Studio {
  private readonly api: StudioApi;
  private readonly notices = new Notices();
  private readonly confirm = new ConfirmDialog(byId('main'));
  private readonly controls = new PreviewControls(() => void this.loadPreview());
  private readonly preview: PreviewPanel;
  private readonly articles: ArticlesPanel;
  private readonly checks = new ChecksPanel();
  private readonly testSend: TestSendPanel;
  private readonly issuesPanel: IssuesPanel;
  private issues: ListedIssue[] = [];
  private stored: Article[] = [];
  private loads = 0;
  private readyBefore = false;

  constructor(private readonly options: StudioOptions) {
    this.api = new StudioApi(options.token);
    this.preview = new PreviewPanel(options.mediaBaseUrl);
    this.articles = new ArticlesPanel((ids, draftId) => this.save(ids, draftId));
    this.testSend = new TestSendPanel(this.api, options.target === 'local');
    this.issuesPanel = new IssuesPanel(this.api, this.confirm, {
      preview: (issueId) => {
        this.controls.select(issueId);
        byId('issue').scrollIntoView();
      },
      changed: () => void this.refreshIssues(),
    });
  }

  /** Reads what the page shows, draws the preview, and follows the studio's events. */
  async start(): Promise<void> {
    this.showLive(this.options.liveReload, true);
    listenToStudio({
      ready: (data) => this.ready(data),
      'templates-changed': (data) => void this.templatesChanged(data),
      'articles-changed': (data) => void this.articlesChanged(data),
      issue: (report) => this.issueChanged(report),
      disconnected: () => this.showLive(this.options.liveReload, false),
    });
    await this.reload();
  }

  /** Reads the issues, articles and subscribers again, and draws the preview again. */
  private async reload(): Promise<void> {
    await Promise.all([this.refreshIssues(), this.refreshArticles(), this.refreshSubscribers()]);
    await Promise.all([this.loadPreview(), this.testSend.refreshOutbox()]);
  }

  /** Asks for the preview of the choice, and draws it or what went wrong. */
  async loadPreview(): Promise<void> {
    const load = ++this.loads;
    const choice = this.controls.choice();
    let answer: PreviewAnswer;
    markStep('requestedAt');
    try {
      answer = await this.api.get<PreviewAnswer>(previewPath(choice));
      markStep('answeredAt');
    } catch (error) {
      if (load === this.loads) this.previewFailed(error);
      return;
    }
    if (load !== this.loads) return;
    const listed = choice.issueId
      ? this.issues.find((issue) => issue.issueId === choice.issueId)
      : undefined;
    this.preview.show(answer, this.summaryOf(choice, answer, listed));
    this.checks.show(answer);
    const draft = listed?.state === 'draft' ? listed : undefined;
    this.articles.setShown({
      ids: answer.articleIds,
      ...(draft ? { draftId: draft.issueId } : {}),
    });
    this.testSend.setDraft(
      draft
        ? {
            issueId: draft.issueId,
            version: answer.version ?? draft.version,
            subject: answer.subject,
          }
        : undefined,
    );
  }

  private previewFailed(error: unknown): void {
    this.checks.markStale();
    if (!(error instanceof StudioApiError)) {
      this.preview.showError('The studio cannot be reached', [
        messageOf(error),
        'Is `newsletter studio` still running?',
      ]);
      return;
    }
    const { body, status } = error;
    if (body.code === 'template') {
      const place = body.template
        ? `In ${body.template}${body.line === undefined ? '' : `, line ${body.line}`}:`
        : 'In the templates:';
      this.preview.showError('The templates cannot be rendered', [
        place,
        body.message,
        'Fix the template and save it: the preview comes back by itself.',
      ]);
    } else if (body.code === 'nothing-new') {
      this.preview.showError('Nothing new to plan', [body.message]);
    } else {
      this.preview.showError(`The preview failed (${status}, ${body.code})`, [body.message]);
    }
  }

  private summaryOf(
    choice: PreviewChoice,
    answer: PreviewAnswer,
    listed: ListedIssue | undefined,
  ): string {
    const whom = choice.as.startsWith('persona:')
      ? `the persona “${choice.as.slice('persona:'.length)}”`
      : choice.as === 'public'
        ? 'nobody: the public copy'
        : 'a subscriber';
    const what = listed
      ? `The ${listed.state} issue, version ${answer.version ?? listed.version}`
      : `The next issue, as send would make it ${choice.at ? `at ${choice.at.replace('T', ' ')}` : 'now'}`;
    return `${what}, for ${whom}. Subject: “${answer.subject}”.`;
  }

  private async save(ids: string[], draftId: string | undefined): Promise<string> {
    try {
      const choice = this.controls.choice();
      const report = draftId
        ? await this.api.post<IssueReport>(`/api/issues/${draftId}/render`, { articleIds: ids })
        : await this.api.post<IssueReport>('/api/issues', {
            articleIds: ids,
            ...(choice.at ? { at: choice.at } : {}),
          });
      await this.refreshIssues();
      this.controls.select(report.issueId);
      return `Saved: the draft “${report.subject}”, version ${report.version}.`;
    } catch (error) {
      return `Not saved: ${messageOf(error)}`;
    }
  }

  /**
   * Reads the issues again. When the issue shown changed state or version meanwhile (sent,
   * rendered again), the preview is asked again: what it offers (a test send, a new version)
   * depends on it.
   */
  private async refreshIssues(): Promise<void> {
    const { issueId } = this.controls.choice();
    const before = this.issues.find((issue) => issue.issueId === issueId);
    try {
      this.issues = await this.api.get<ListedIssue[]>('/api/issues');
    } catch (error) {
      this.notices.show('issues', `The issues cannot be read: ${messageOf(error)}`, {
        tone: 'error',
      });
      return;
    }
    this.notices.dismiss('issues');
    this.controls.setIssues(this.issues);
    this.issuesPanel.setIssues(this.issues);
    const after = this.issues.find((issue) => issue.issueId === issueId);
    if (before && after && (before.state !== after.state || before.version !== after.version)) {
      await this.loadPreview();
    }
  }

  private async refreshArticles(): Promise<void> {
    try {
      this.stored = await this.api.get<Article[]>('/api/articles');
    } catch (error) {
      this.notices.show('articles', `The articles cannot be read: ${messageOf(error)}`, {
        tone: 'error',
      });
      return;
    }
    this.articles.setStored(this.stored);
  }

  private async refreshSubscribers(): Promise<void> {
    try {
      this.controls.setSubscribers(
        await this.api.get<Subscriber[]>('/api/subscribers?status=active'),
      );
    } catch (error) {
      this.notices.show('subscribers', `The subscribers cannot be read: ${messageOf(error)}`, {
        tone: 'error',
      });
    }
  }

  private ready(data: StudioEvents['ready']): void {
    this.showLive(data.liveReload, true);
    // Connected again after a break: what changed meanwhile was not told.
    if (this.readyBefore) {
      this.reload().catch((error: unknown) =>
        console.error('the studio page failed to reload', error),
      );
    }
    this.readyBefore = true;
  }

  private showLive(liveReload: boolean, connected: boolean): void {
    byId('studio-live').textContent = !connected
      ? 'Connection lost, reconnecting…'
      : liveReload
        ? 'Live reload on'
        : 'Live reload off';
  }

  private async templatesChanged(data: StudioEvents['templates-changed']): Promise<void> {
    markStep('eventAt');
    const failure = (data as { error?: { message: string } }).error;
    if (failure)
      this.notices.show('templates', `Templates changed, but ${failure.message}`, {
        tone: 'error',
      });
    else this.notices.dismiss('templates');
    const { issueId } = this.controls.choice();
    if (!issueId) {
      await this.loadPreview();
      return;
    }
    const listed = this.issues.find((issue) => issue.issueId === issueId);
    if (listed?.state !== 'draft') return;
    this.notices.show(
      'templates-draft',
      `Templates changed (${data.files.join(', ')}). The draft shown keeps the render of its version ${listed.version}.`,
      {
        action: {
          label: 'Render a new version',
          run: () => this.renderAgain(listed.issueId),
        },
      },
    );
  }

  private async renderAgain(issueId: string): Promise<void> {
    try {
      const report = await this.api.post<IssueReport>(`/api/issues/${issueId}/render`);
      this.notices.show(
        'templates-draft',
        `Rendered version ${report.version} of “${report.subject}”.`,
      );
      // The draft's version changed: reading the issues draws its new render.
      await this.refreshIssues();
    } catch (error) {
      this.notices.show('templates-draft', `No new version: ${messageOf(error)}`, {
        tone: 'error',
      });
    }
  }

  private async articlesChanged(data: StudioEvents['articles-changed']): Promise<void> {
    if ('error' in data) {
      const { file, line, message } = data.error;
      this.notices.show(
        'article-file',
        `${file}${line === undefined ? '' : `, line ${line}`}: ${message}`,
        {
          tone: 'error',
        },
      );
      return;
    }
    this.notices.dismiss('article-file');
    await this.refreshArticles();
    if (!this.controls.choice().issueId) await this.loadPreview();
  }

  /** An `issue` event: the issues' panel takes it; a new state or version reads the list again. */
  private issueChanged(report: IssueReport): void {
    const listed = this.issues.find((issue) => issue.issueId === report.issueId);
    this.issuesPanel.update(report);
    if (!listed || listed.state !== report.state || listed.version !== report.version) {
      void this.refreshIssues();
    }
  }
}
