import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { plural } from '#core/common/plural.ts';
import type { DraftChoice } from '#core/issues/compose-issue.ts';
import { type Draft, draftIssue } from '#core/issues/draft-issue.ts';
import { type IssueReport, issueReport } from '#core/issues/issue-report.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import { publicCopy } from '#core/issues/public-copy.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import { cliActor } from '../../cli-actor.ts';
import type { CommandContext } from '../../command-context.ts';
import { withIssueDeps } from '../../issue-deps.ts';
import { localIssuePath, writeLocalIssue } from '../../local-archive.ts';
import type { Output } from '../../output.ts';
import { EditorApiError } from '../../remote/editor-api-client.ts';
import { printReport } from './show-commands.ts';

interface DraftOptions {
  articles?: string[];
  subject?: string;
  preheader?: string;
  intro?: string;
  json?: boolean;
}

/** `issues draft` and `issues render ID`. */
export function draftCommands(issues: Command, context: CommandContext): void {
  withChoiceOptions(
    issues
      .command('draft')
      .description(
        'draft the next issue from the stored articles (or of --articles, in that order); a ' +
          'draft reserves nothing until it is scheduled or sent',
      )
      .option(
        '--at <time>',
        'plan it as the schedule would at TIME (ISO 8601, read in scheduleTimeZone unless it has an offset)',
      ),
  ).action(async (options: DraftOptions & { at?: string }) => {
    const out = context.output(options.json);
    const choice = await choiceOf(options);
    if (context.targetsAws) {
      const json = { ...choice, ...(options.at === undefined ? {} : { at: options.at }) };
      const drafted = await context
        .editorApi()
        .json<IssueReport>('POST', '/issues', { json })
        .catch(nothingNew);
      if (drafted) return remoteReport(out, drafted, 'Drafted');
      out.info(
        'Nothing new to draft: every stored article is in an issue already. Choose some with --articles.',
      );
      out.result(null);
      process.exitCode = 1;
      return;
    }
    const config = await context.config();
    const asOf =
      options.at === undefined ? undefined : parseScheduleTime(options.at, config.scheduleTimeZone);
    const draft = await withIssueDeps(context, async (deps) => {
      const made = await draftIssue(deps, choice, cliActor(), asOf ? { asOf } : {});
      return made && withRender(deps, made);
    });
    if (!draft) {
      out.info(
        'Nothing new to draft: every stored article is in an issue already. Choose some with --articles.',
      );
      out.result(null);
      process.exitCode = 1;
      return;
    }
    await report(context, out, draft, 'Drafted');
  });

  withChoiceOptions(
    issues
      .command('render')
      .description(
        'render a draft again as its next version, from the articles as stored now; what ' +
          'you leave out stays as the draft has it',
      )
      .argument('<issue>', 'the draft issue id'),
  ).action(async (issueId: string, options: DraftOptions) => {
    const out = context.output(options.json);
    const choice = await choiceOf(options);
    if (context.targetsAws) {
      const path = `/issues/${encodeURIComponent(issueId)}/render`;
      const rendered = await context.editorApi().json<IssueReport>('POST', path, { json: choice });
      return remoteReport(out, rendered, 'Rendered');
    }
    const draft = await withIssueDeps(context, async (deps) => {
      return withRender(deps, await renderDraft(deps, issueId, choice, cliActor()));
    });
    await report(context, out, draft, 'Rendered');
  });
}

function withChoiceOptions(command: Command): Command {
  return command
    .option(
      '--articles <ids>',
      'the articles, comma-separated, in order (see `newsletter articles`)',
      idList,
    )
    .option('--subject <text>', 'the subject line')
    .option('--preheader <text>', 'the inbox preview line')
    .option(
      '--intro <file>',
      "an editor's note above the first story: a plain-text file, blank lines between paragraphs",
    )
    .option('--json', 'print the issue as `issues show --json` does');
}

async function choiceOf(options: DraftOptions): Promise<DraftChoice> {
  return {
    ...(options.articles ? { articleIds: options.articles } : {}),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    ...(options.preheader === undefined ? {} : { preheader: options.preheader }),
    ...(options.intro === undefined ? {} : { intro: await readIntro(options.intro) }),
  };
}

async function readIntro(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`--intro ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** The draft with its stored render, as anyone may read it. */
async function withRender(deps: IssueDeps, draft: Draft) {
  const rendered = await deps.renderedIssues.get(draft.issue.issueId, draft.issue.sha256);
  return { ...draft, copy: rendered && publicCopy(deps.config, rendered) };
}

/** Writes the draft as anyone may read it into the state folder, and prints its report. */
async function report(
  context: CommandContext,
  out: Output,
  draft: Draft & { copy: { html: string; text: string } | undefined },
  verb: string,
) {
  const { issue, articles, copy } = draft;
  if (copy) await writeLocalIssue(context.stateDir, issue.issueId, copy);
  const cut = articles.filter((article) => article.cut).length;
  out.info(
    `${verb} issue ${issue.issueId}, version ${issue.version}: ${plural(articles.length, 'article')}` +
      (cut > 0 ? ` (${cut} shortened to fit)` : '') +
      `. See ${localIssuePath(context.stateDir, issue.issueId, 'html')}.`,
  );
  printReport(out, issueReport(issue, { ...emptyStatus, issueId: issue.issueId }));
}

/** Prints the report of a draft the deployed stack made or rendered. */
function remoteReport(out: Output, report: IssueReport, verb: string): void {
  out.info(
    `${verb} issue ${report.issueId}, version ${report.version}: ${plural(report.articleIds.length, 'article')}.`,
  );
  printReport(out, report);
}

/** Undefined for the API's `nothing-new` refusal of a draft; any other error is thrown again. */
function nothingNew(error: unknown): undefined {
  if (error instanceof EditorApiError && error.code === 'nothing-new') return undefined;
  throw error;
}

function idList(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length === 0) throw new InvalidArgumentError('must name at least one article id');
  return ids;
}
