/**
 * Rendering an issue: the build of an issue (plan + render + text + minify, packed into the
 * HTML budget) for 1, 5, 10 and 20 articles, its HTML bytes, and the cost per recipient
 * (fill the placeholders + the complete MIME bytes) against an MJML compile per recipient,
 * all measured in this one run. Prints a Markdown section for BENCHMARKS.md ("Rendering an
 * issue"); `--record` also writes it there.
 *
 *   npx tsx bench/render.bench.ts [--record]
 *   BENCH_RUNS=50 npx tsx bench/render.bench.ts
 */
import type { Article } from '#core/articles/article.ts';
import { type ComposedIssue, composeIssue } from '#core/issues/compose-issue.ts';
import { makeMarkers } from '#core/rendering/make-markers.ts';
import { mjmlToHtml } from '#core/rendering/mjml-to-html.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderHandlebars } from '#core/rendering/render-handlebars.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { toTemplateData } from '#core/rendering/template-data.ts';
import { templateFileNames } from '#core/rendering/templates.ts';
import { buildMessage } from '#core/sending/build-message.ts';
import { buildMimeTemplate } from '#core/sending/mime-template.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { manyArticles, testSettings } from '../tests/fixtures/render/issue-fixtures.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const runs = Number(process.env.BENCH_RUNS ?? 25);
const recipients = Number(process.env.BENCH_RECIPIENTS ?? 5000);
const BUDGET = 92_160;
const TARGETS = { buildMs: 250, perRecipientUs: 250, speedup: 200 };

const templates = await loadTemplates();
const settings = { ...testSettings, maxArticlesPerIssue: 20 };

/** Runs `work` `warmup` times untimed, then `times` times; the milliseconds of each timed run. */
async function time(times: number, warmup: number, work: () => unknown): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return samples;
}

let renders = 0;
function compose(articles: Article[]): Promise<ComposedIssue | undefined> {
  return composeIssue({
    issueId: '01M8BDWP00R8Y3V5N7Q9T1W4BC',
    now: new Date('2026-11-26T09:00:00Z'),
    articles,
    issues: [],
    settings,
    render: (view) => {
      renders++;
      return renderIssue(view, templates);
    },
  });
}

// --- Build time and HTML bytes, by the number of articles -----------------------------------
// Each article is a slideshow like a real export: a lead photo, two intro paragraphs and eight
// slides (the default most an issue shows), each with a photo, caption, credit and two
// paragraphs. Ten or more of them do not fit 90 KB: the planner packs them.
const builds: string[] = [];
let tenArticleMs = 0;
let issue: ComposedIssue | undefined;
for (const count of [1, 5, 10, 20]) {
  const articles = manyArticles(count, 8);
  renders = 0;
  const composed = await compose(articles);
  const rendersPerBuild = renders;
  if (!composed) throw new Error('no issue');
  const samples = await time(runs, 3, () => compose(articles));
  const bytes = Buffer.byteLength(composed.rendered.html);
  const slides = composed.articles.reduce((sum, article) => sum + article.slides.length, 0);
  builds.push(
    `| ${count} | ${median(samples).toFixed(1)} | ${Math.min(...samples).toFixed(1)} | ${rendersPerBuild} | ${bytes.toLocaleString('en')} | ${composed.articles.length} / ${slides} |`,
  );
  if (bytes > BUDGET) throw new Error(`the ${count}-article issue is ${bytes} bytes, over budget`);
  if (count === 10) {
    tenArticleMs = median(samples);
    issue = composed;
  }
}
if (!issue) throw new Error('no 10-article issue');
const { rendered } = issue;

// --- Per recipient: fill + complete MIME bytes, against MJML per recipient -------------------
const sender = {
  from: { name: settings.listName, address: 'digest@example.com' },
  listId: 'weekly-slide.example.com',
  listName: settings.listName,
  publicBaseUrl: settings.publicBaseUrl,
};
const mime = await buildMimeTemplate(rendered, sender);
const reader = (i: number) => ({
  subscriberId: `01SUB${String(i).padStart(21, '0')}`,
  address: `reader${i}@example.com`,
  name: i % 2 ? `Reader ${i}` : '',
  unsubscribeToken: `v1.${String(i).padStart(24, '0')}.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_`,
});
let mimeBytes = 0;
const fillSamples: number[] = [];
for (let i = 0; i < 500; i++) mime.fill(reader(i));
for (let i = 0; i < recipients; i++) {
  const start = performance.now();
  const bytes = mime.fill(reader(i));
  fillSamples.push((performance.now() - start) * 1000);
  mimeBytes = bytes.length;
}
const fillUs = median(fillSamples);

// The path without a pre-encoded template: personalize, then MailComposer for each message.
const composerSamples = await time(Math.min(200, recipients), 10, async () => {
  const values = personalize(rendered, {
    unsubscribeUrl: unsubscribeUrl(sender.publicBaseUrl, 't0k3n'),
    name: '',
  });
  await buildMessage({
    from: sender.from,
    to: 'reader@example.com',
    subject: rendered.subject,
    listId: `${sender.listName} <${sender.listId}>`,
    unsubscribeUrl: unsubscribeUrl(sender.publicBaseUrl, 't0k3n'),
    ...values,
  });
});
const composerUs = median(composerSamples) * 1000;

// What rendering each message would cost instead: the issue's MJML compiled (strict, minified).
const view = { ...issueViewOf(issue), measure: false };
const mjml = renderHandlebars(
  { name: templateFileNames.digest, source: templates.digest },
  toTemplateData(view),
  {
    escape: true,
    partials: templates.partials,
    markers: makeMarkers(),
    trustedBaseUrls: [view.publicBaseUrl],
  },
);
const sources = [{ name: templateFileNames.digest, source: templates.digest }];
const mjmlSamples = await time(Math.max(10, Math.round(runs / 2)), 3, () =>
  mjmlToHtml(mjml, sources),
);
const mjmlUs = median(mjmlSamples) * 1000;

function issueViewOf(composed: ComposedIssue) {
  return {
    issueId: composed.issue.issueId,
    subject: composed.issue.subject,
    listName: settings.listName,
    language: settings.language,
    postalAddress: settings.postalAddress,
    publicBaseUrl: settings.publicBaseUrl,
    issuedAt: composed.issue.createdAt,
    timeZone: settings.scheduleTimeZone,
    articles: composed.articles,
  };
}

const speedup = mjmlUs / fillUs;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const section = `Measured ${machine()} by \`bench/render.bench.ts\` (${runs} builds per row after 3 warm-up builds; ${recipients.toLocaleString('en')} recipients).

Build of an issue (plan + render + text + minify, packed into the 90 KB budget). Each article
has a lead photo, two intro paragraphs and eight slides with photo, caption, credit and two
paragraphs; from ten articles on, the planner trims slides to fit (two renders: one measures,
one packs).

| articles | median ms | fastest ms | renders | HTML bytes | shown (articles / slides) |
| ---: | ---: | ---: | ---: | ---: | ---: |
${builds.join('\n')}

Per recipient, for the 10-article issue (${Buffer.byteLength(rendered.html).toLocaleString('en')} bytes of HTML; each message ${mimeBytes.toLocaleString('en')} bytes of MIME):

| per recipient | median µs |
| --- | ---: |
| fill the placeholders + complete MIME bytes (pre-encoded template, \`mime-template.ts\`) | ${fillUs.toFixed(1)} |
| personalize + MailComposer for each message (\`build-message.ts\`) | ${composerUs.toFixed(0)} |
| MJML compile of the issue for each message (strict, minified) | ${mjmlUs.toFixed(0)} |

Targets: 10-article build ≤ ${TARGETS.buildMs} ms: ${tenArticleMs.toFixed(1)} ms, ${verdict(tenArticleMs <= TARGETS.buildMs)}.
Per recipient ≤ ${TARGETS.perRecipientUs} µs: ${fillUs.toFixed(1)} µs, ${verdict(fillUs <= TARGETS.perRecipientUs)}.
At least ${TARGETS.speedup}× faster than MJML per recipient: ${Math.round(speedup).toLocaleString('en')}×, ${verdict(speedup >= TARGETS.speedup)}.
Every issue above is within the budget of ${BUDGET.toLocaleString('en')} bytes.`;

process.stdout.write(`\n## Rendering an issue\n\n${section}\n`);
if (process.argv.includes('--record')) {
  recordSection('Rendering an issue', section);
  process.stdout.write('\nRecorded in BENCHMARKS.md.\n');
}
