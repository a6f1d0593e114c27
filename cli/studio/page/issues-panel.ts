import { messageOf, type StudioApi } from './api.ts';
import type { IssueReport, IssueTimeline, ListedIssue } from './api-types.ts';
import type { ConfirmDialog } from './confirm-dialog.ts';
import { byId, type HTMLElement, h } from './dom.ts';
import { actionsFor, type IssueActionSpec, sendProgress } from './issue-actions.ts';
import { IssueChart } from './issue-chart.ts';

/** What the issues panel tells the rest of the page. */
export interface IssuesPanelEvents {
  /** The editor asked to see this issue in the preview. */
  preview(issueId: string): void;
  /** An action changed this issue (its report after the action). */
  changed(report: IssueReport): void;
}

/** Milliseconds between two reads of a sending issue's timeline, for its chart. */
const TIMELINE_EVERY_MS = 5_000;

/** The counts shown for an issue, in order, with their labels; absent ones are left out. */
const countLabels: readonly [keyof IssueReport, string][] = [
  ['recipients', 'Recipients'],
  ['queued', 'Queued'],
  ['sent', 'Sent'],
  ['failed', 'Failed'],
  ['unknown', 'Unknown outcome'],
  ['suppressed', 'Suppressed'],
  ['cancelled', 'Cancelled'],
  ['delivered', 'Delivered'],
  ['bouncedPermanent', 'Bounced (permanent)'],
  ['bouncedTransient', 'Bounced (transient)'],
  ['complained', 'Complained'],
  ['rejected', 'Rejected'],
  ['delayed', 'Delayed'],
  ['unsubscribed', 'Unsubscribed'],
  ['opened', 'Opened'],
  ['clicked', 'Clicked'],
];

/**
 * Every issue with its state, and the one opened: its counts, its chart over time, its
 * timeline and the buttons of the actions its state allows (send and cancel ask first). The
 * studio's `issue` events keep an issue's counts and progress current while it sends.
 */
export class IssuesPanel {
  private issues: ListedIssue[] = [];
  private openId: string | undefined;
  private report: IssueReport | undefined;
  private timelineReadAt = 0;
  private readonly table = h('tbody');
  private readonly detail = h('div', { class: 'issue-detail', id: 'issue-detail' });
  private readonly chart = new IssueChart();
  private readonly parts = {
    heading: h('h3'),
    state: h('p', { class: 'issue-state' }),
    progress: h('div'),
    counts: h('dl', { class: 'counts' }),
    actions: h('span', { class: 'buttons' }),
    status: h('p', { class: 'issue-action-status', role: 'status' }),
    timeline: h('ol', { class: 'timeline' }),
  };
  private actionsKey = '';

  constructor(
    private readonly api: StudioApi,
    private readonly confirm: ConfirmDialog,
    private readonly events: IssuesPanelEvents,
  ) {
    byId('issues').append(
      h(
        'table',
        { class: 'issue-table' },
        h('caption', { class: 'visually-hidden' }, 'Every issue, newest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Subject'),
            h('th', { scope: 'col' }, 'State'),
            h('th', { scope: 'col' }, 'Version'),
            h('th', { scope: 'col' }, 'Created'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Open')),
          ),
        ),
        this.table,
      ),
      this.detail,
    );
    this.setIssues([]);
  }

  setIssues(issues: readonly ListedIssue[]): void {
    // Copies: `update` changes them, and the page's own list must not change with them.
    this.issues = issues.map((issue) => ({ ...issue }));
    this.table.replaceChildren(...this.issues.map((issue) => this.row(issue)));
    if (this.issues.length === 0) {
      this.table.append(
        h('tr', {}, h('td', { colspan: 5 }, 'No issue yet: save the articles as a draft.')),
      );
    }
  }

  /** Takes an issue's report (an `issue` event, or an action's answer) into the list and its panel. */
  update(report: IssueReport): void {
    const listed = this.issues.find((issue) => issue.issueId === report.issueId);
    if (listed && (listed.state !== report.state || listed.version !== report.version)) {
      Object.assign(listed, {
        state: report.state,
        version: report.version,
        subject: report.subject,
      });
      this.setIssues(this.issues);
    }
    if (report.issueId === this.openId) {
      this.report = report;
      this.drawDetail();
      void this.readTimeline(false);
    }
  }

  /** Opens an issue's panel. */
  async open(issueId: string): Promise<void> {
    this.openId = issueId;
    this.report = undefined;
    this.chart.destroy();
    this.detail.replaceChildren(h('p', {}, 'Loading…'));
    this.setIssues(this.issues);
    try {
      this.report = await this.api.get<IssueReport>(`/api/issues/${issueId}`);
    } catch (error) {
      this.detail.replaceChildren(
        h('p', { class: 'error' }, `The issue cannot be read: ${messageOf(error)}`),
      );
      return;
    }
    this.drawDetail();
    await this.readTimeline(true);
  }

  private row(issue: ListedIssue): HTMLElement {
    const open = h(
      'button',
      {
        type: 'button',
        class: 'quiet',
        'aria-label': `Open “${issue.subject}”`,
        'aria-controls': 'issue-detail',
      },
      'Open',
    );
    open.addEventListener('click', () => void this.open(issue.issueId));
    return h(
      'tr',
      { class: issue.issueId === this.openId ? 'open' : undefined, 'data-issue': issue.issueId },
      h('td', {}, issue.subject),
      h('td', {}, h('span', { class: `state state-${issue.state}` }, issue.state)),
      h('td', {}, String(issue.version)),
      h('td', {}, formatTime(issue.createdAt)),
      h('td', {}, open),
    );
  }

  /**
   * Draws the open issue's report into its panel. The parts are kept between reports (an
   * `issue` event comes about every second while it sends): the buttons are made again only
   * when the state, version or approval changed, so that the focus stays where it is.
   */
  private drawDetail(): void {
    const { report } = this;
    if (!report) return;
    const parts = this.parts;
    if (!this.detail.contains(parts.heading)) {
      const preview = h('button', { type: 'button', class: 'quiet' }, 'Show in the preview');
      preview.addEventListener('click', () => {
        if (this.openId) this.events.preview(this.openId);
      });
      this.detail.replaceChildren(
        parts.heading,
        parts.state,
        parts.progress,
        parts.counts,
        h('div', { class: 'buttons issue-actions' }, parts.actions, preview),
        parts.status,
        h('h4', {}, 'Per minute'),
        this.chart.element,
        h('h4', {}, 'Timeline'),
        parts.timeline,
      );
      this.actionsKey = '';
      parts.status.textContent = '';
    }
    parts.heading.textContent = report.subject;
    parts.state.textContent = stateLine(report);
    parts.progress.replaceChildren(...progressNodes(report));
    parts.counts.replaceChildren(
      ...countLabels.flatMap(([key, label]) => {
        const value = report[key];
        return typeof value === 'number'
          ? [h('div', {}, h('dt', {}, label), h('dd', {}, String(value)))]
          : [];
      }),
    );
    const key = `${report.issueId}|${report.state}|${report.version}|${report.approved}`;
    if (key !== this.actionsKey) {
      this.actionsKey = key;
      parts.actions.replaceChildren(...this.actionNodes(report));
    }
    if (parts.timeline.children.length !== report.timeline.length) {
      parts.timeline.replaceChildren(
        ...report.timeline.map((entry) =>
          h(
            'li',
            {},
            h('time', { datetime: entry.at }, formatTime(entry.at)),
            ` ${entry.action} by ${entry.actor}${entry.detail ? `: ${entry.detail}` : ''}`,
          ),
        ),
      );
    }
  }

  private actionNodes(report: IssueReport): HTMLElement[] {
    return actionsFor(report).map((spec) => {
      if (spec.needsTime) {
        const id = `schedule-at-${report.issueId}`;
        const at = h('input', { type: 'datetime-local', id, required: true });
        const button = h('button', { type: 'submit' }, spec.label);
        const form = h(
          'form',
          { class: 'inline schedule-form' },
          h('label', { for: id }, 'Send at'),
          at,
          button,
        );
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          if (at.value) void this.act(report, spec, { at: at.value });
        });
        return form;
      }
      const button = h(
        'button',
        { type: 'button', class: spec.confirm ? 'danger' : undefined },
        spec.label,
      );
      button.addEventListener('click', () => void this.act(report, spec));
      return button;
    });
  }

  private async act(
    report: IssueReport,
    spec: IssueActionSpec,
    body?: { at: string },
  ): Promise<void> {
    const { status } = this.parts;
    const label = spec.label.replace(/…$/, '');
    if (spec.confirm && !(await this.confirm.ask(spec.confirm, label))) return;
    const route = spec.action === 'schedule' ? 'send' : spec.action;
    status.textContent = `${label}…`;
    try {
      const answer = await this.api.post<IssueReport>(
        `/api/issues/${report.issueId}/${route}`,
        body,
      );
      this.events.changed(answer);
      this.update(answer);
      status.textContent = `${label}: done, the issue is ${answer.state}.`;
    } catch (error) {
      status.textContent = `${label} failed: ${messageOf(error)}`;
    }
  }

  private async readTimeline(force: boolean): Promise<void> {
    const issueId = this.openId;
    if (!issueId || (!force && Date.now() - this.timelineReadAt < TIMELINE_EVERY_MS)) return;
    this.timelineReadAt = Date.now();
    try {
      const timeline = await this.api.get<IssueTimeline>(`/api/issues/${issueId}/timeline`);
      if (issueId === this.openId) this.chart.draw(timeline, this.detail.clientWidth);
    } catch (error) {
      this.chart.element.replaceChildren(
        h('p', { class: 'error' }, `The timeline cannot be read: ${messageOf(error)}`),
      );
    }
  }
}

function stateLine(report: IssueReport): string {
  const parts = [`State: ${report.state}`, `version ${report.version}`];
  if (report.state === 'draft') parts.push(report.approved ? 'approved' : 'not approved');
  if (report.scheduledAt) parts.push(`due ${formatTime(report.scheduledAt)}`);
  if (report.pausedBy) {
    parts.push(
      `paused by ${report.pausedBy.actor}${report.pausedBy.reason ? ` (${report.pausedBy.reason})` : ''}`,
    );
  }
  return `${parts.join(', ')}.`;
}

function progressNodes(report: IssueReport): HTMLElement[] {
  const progress = sendProgress(report);
  if (!progress || !['sending', 'paused', 'sent', 'cancelled'].includes(report.state)) return [];
  const bar = h('progress', { id: 'send-progress', max: progress.total, value: progress.done });
  return [
    h(
      'div',
      { class: 'send-progress' },
      h(
        'label',
        { for: 'send-progress' },
        `${progress.done} of ${progress.total} messages have an outcome`,
      ),
      bar,
    ),
  ];
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
