import type { ListedIssue, Subscriber } from './api-types.ts';
import { byId, h } from './dom.ts';
import { type PreviewChoice, SUBSCRIBER_CHOICE } from './preview-query.ts';

/** The made-up recipients of the editor API (`personas.ts`), and the archive's copy. */
const recipients: readonly { value: string; label: string }[] = [
  { value: 'persona:none', label: 'Persona: no name' },
  { value: 'persona:long', label: 'Persona: a 100-character name' },
  { value: 'persona:rtl', label: 'Persona: a right-to-left name' },
  { value: 'public', label: 'The public copy (archive)' },
];

/** How many active subscribers the "for" list offers by name. */
const SUBSCRIBERS_LISTED = 50;

const stateGroups: readonly { label: string; states: readonly string[] }[] = [
  { label: 'Drafts', states: ['draft'] },
  { label: 'Scheduled, sending, paused', states: ['scheduled', 'sending', 'paused'] },
  { label: 'Sent and cancelled', states: ['sent', 'cancelled'] },
];

/**
 * What the preview shows: the next issue (at a time the schedule would plan it) or a stored
 * one, for whom. Every change is applied at once (`onChange`): the preview is drawn again,
 * nothing is stored.
 */
export class PreviewControls {
  private readonly issue = h('select', { id: 'choice-issue' });
  private readonly at = h('input', {
    id: 'choice-at',
    type: 'datetime-local',
    'aria-describedby': 'choice-at-help',
  });
  private readonly as = h('select', { id: 'choice-as' });

  constructor(private readonly onChange: (choice: PreviewChoice) => void) {
    const now = h('button', { type: 'button', class: 'quiet' }, 'Now');
    now.addEventListener('click', () => {
      this.at.value = '';
      this.changed();
    });
    const form = h(
      'form',
      { class: 'choice', 'aria-label': 'What the preview shows' },
      h('div', { class: 'field' }, h('label', { for: 'choice-issue' }, 'Issue'), this.issue),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'choice-at' }, 'As the schedule would plan it at'),
        h('div', { class: 'inline' }, this.at, now),
        h(
          'p',
          { id: 'choice-at-help', class: 'help' },
          "In the schedule's time zone; empty: now. The next issue only.",
        ),
      ),
      h('div', { class: 'field' }, h('label', { for: 'choice-as' }, 'Personalised for'), this.as),
    );
    form.addEventListener('submit', (event) => event.preventDefault());
    for (const control of [this.issue, this.at, this.as]) {
      control.addEventListener('change', () => this.changed());
    }
    byId('preview-choice').append(form);
    this.setIssues([]);
    this.setSubscribers([]);
  }

  /** The choice as the controls show it. */
  choice(): PreviewChoice {
    const issueId = this.issue.value || undefined;
    const at = issueId ? undefined : this.at.value || undefined;
    return {
      ...(issueId ? { issueId } : {}),
      ...(at ? { at } : {}),
      as: this.as.value || 'persona:none',
    };
  }

  /** Shows `issueId` (undefined: the next issue) and says so. */
  select(issueId: string | undefined): void {
    this.issue.value = issueId ?? '';
    this.changed();
  }

  /** The stored issues offered, grouped by state; the choice is kept when it is still there. */
  setIssues(issues: readonly ListedIssue[]): void {
    const chosen = this.issue.value;
    const next = h('option', { value: '' }, 'The next issue');
    const groups = stateGroups
      .map(({ label, states }) => {
        const members = issues.filter((issue) => states.includes(issue.state));
        if (members.length === 0) return undefined;
        return h(
          'optgroup',
          { label },
          ...members.map((issue) =>
            h(
              'option',
              { value: issue.issueId },
              `${issue.subject} (${issue.state}, version ${issue.version})`,
            ),
          ),
        );
      })
      .filter((group) => group !== undefined);
    this.issue.replaceChildren(next, ...groups);
    this.issue.value = issues.some((issue) => issue.issueId === chosen) ? chosen : '';
    this.at.disabled = this.issue.value !== '';
  }

  /** The personas, the public copy, and the first active subscribers by name. */
  setSubscribers(subscribers: readonly Subscriber[]): void {
    const chosen = this.as.value || 'persona:none';
    const listed = subscribers.filter((s) => s.status === 'active').slice(0, SUBSCRIBERS_LISTED);
    this.as.replaceChildren(
      ...recipients.map(({ value, label }) => h('option', { value }, label)),
      ...(listed.length > 0
        ? [
            h(
              'optgroup',
              { label: 'Subscribers' },
              ...listed.map((s) =>
                h(
                  'option',
                  { value: `${SUBSCRIBER_CHOICE}${s.id}` },
                  s.name ? `${s.name} <${s.email}>` : s.email,
                ),
              ),
            ),
          ]
        : []),
    );
    this.as.value = chosen;
    if (this.as.value !== chosen) this.as.value = 'persona:none';
  }

  private changed(): void {
    this.at.disabled = this.issue.value !== '';
    this.onChange(this.choice());
  }
}
