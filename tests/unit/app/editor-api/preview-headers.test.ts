import { describe, expect, it } from 'vitest';
import { editorApi } from '#app/editor-api/editor-api.ts';
import { previewHeaders } from '#app/editor-api/preview-headers.ts';
import { PERSONA_ADDRESS } from '#app/editor-api/preview-mime-recipient.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { HeaderValueError } from '#core/sending/build-message.ts';
import {
  buildMimeTemplate,
  type MimeRecipient,
  type MimeSender,
} from '#core/sending/mime-template.ts';
import { article } from '../../support/articles.ts';
import { mailparserHeaderLines } from '../../support/mailparser-header-lines.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// The preview's headers are parsed by what the editor-api bundle carries (postal-mime, through
// `parseHeaderLines`): held here to the message the sender builds as mailparser read it, and
// through the router.

const UNSUBSCRIBE = 'nlm_unsubscribeUrl_0123456789abcdef0123';
const NAME = 'nlm_name_fedcba9876543210fedc';
const LIST_NAME = 'Ça «roule» — שבוע: the list whose name is long enough to be folded';
const HEADLINE = '🚂 Night trains & 🌙 sleepers: Zoë’s “long” headline, folded over lines';
const SUBSCRIBER = '01JSUBSCRIBER0000000000042';

function rendered(subject: string): RenderedIssue {
  return {
    issueId: '01JISSUE000000000000000000',
    subject,
    preheader: 'Five photos from the harbour',
    html: `<html><body><p>Hello ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a></body></html>`,
    text: `Hello ${NAME},\n\nUnsubscribe: ${UNSUBSCRIBE}\n`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
}

function sender(name: string, address = 'digest@example.com'): MimeSender {
  return {
    from: { name, address },
    listId: 'weekly.example.com',
    listName: name,
    publicBaseUrl: 'https://news.example.com',
  };
}

const ada: MimeRecipient = {
  subscriberId: '01JSUB00000000000000000001',
  address: 'ada@bücher.example',
  name: 'Ada <Byron> & "Co"',
  unsubscribeToken: '01JSUB00000000000000000001.abc_DEF-123',
};

/** What differs between two builds of one message: the time and MailComposer's boundary. */
function withoutBuildMarks(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) => {
    if (name === 'Date') return [name, Number.isNaN(Date.parse(value)) ? value : 'a date'];
    return [name, value.replace(/boundary="[^"]+"/, 'boundary="…"')];
  });
}

describe('previewHeaders', () => {
  it('lists the headers of the message built for the recipient as mailparser read them, To replaced', async () => {
    const senders = [
      sender('The Weekly Slide'),
      sender(LIST_NAME),
      sender('"Q" \\ <x>', 'n@bücher.example'),
    ];
    for (const from of senders) {
      for (const subject of ['Issue 12: night trains', HEADLINE, 'שבוע 12: רכבות לילה']) {
        const built = (await buildMimeTemplate(rendered(subject), from)).fill(ada);

        const headers = await previewHeaders(
          rendered(subject),
          from,
          ada,
          'Ada (address not shown)',
        );

        const read = await mailparserHeaderLines(built);
        expect(withoutBuildMarks(headers)).toEqual(
          withoutBuildMarks(
            read.map(([name, value]) => [name, name === 'To' ? 'Ada (address not shown)' : value]),
          ),
        );
        expect(headers).toContainEqual(['Subject', subject]);
      }
    }
  });

  it('fails as the sender would when the address cannot be written', async () => {
    await expect(
      previewHeaders(rendered('Hi'), sender('List'), { ...ada, address: 'a\n@example.com' }, 'x'),
    ).rejects.toThrow(HeaderValueError);
  });
});

describe('the preview routes’ headers', () => {
  /** A draft whose subject and list name are written as folded encoded words. */
  async function setup() {
    const memory = await memoryEditorApiDeps();
    const { issues, subscriptions } = memory;
    issues.config.listName = LIST_NAME;
    await issues.articles.putAll([
      article('night-trains', '2025-03-06T08:00:00.000Z', { headline: HEADLINE }),
    ]);
    await subscriptions.subscribers.add({
      id: SUBSCRIBER,
      email: 'zoe@bücher.example',
      name: "Zoë O'Brien & <Sons>",
      status: 'active',
      source: 'cli',
      createdAt: '2025-03-01T00:00:00.000Z',
    });
    const draft = await draftIssue(issues, {}, 'cli:tester');
    return { app: editorApi(memory.deps), issueId: draft?.issue.issueId as string };
  }

  async function preview(app: ReturnType<typeof editorApi>, path: string) {
    const response = await app.request(path);
    expect(response.status).toBe(200);
    return (await response.json()) as { html: string; headers: [string, string][] };
  }

  /** The headers' values that hold no time, boundary or token. */
  function expectDecoded(headers: [string, string][], to: string, messageId: string) {
    expect(headers.map(([name]) => name)).toEqual([
      'List-ID',
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
      'From',
      'To',
      'Subject',
      'Message-ID',
      'Date',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(headers).toContainEqual(['From', `"${LIST_NAME}" <digest@example.com>`]);
    expect(headers).toContainEqual(['To', to]);
    expect(headers).toContainEqual(['Subject', HEADLINE]);
    expect(headers).toContainEqual(['Message-ID', messageId]);
    expect(headers).toContainEqual(['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click']);
    expect(headers).toContainEqual(['MIME-Version', '1.0']);
  }

  /** The unsubscribe link of the HTML, as `List-Unsubscribe` writes it. */
  const unsubscribeOf = (html: string) =>
    `<${/https:\/\/news\.example\.com\/unsubscribe\?token=[A-Za-z0-9._%-]+/.exec(html)?.[0]}>`;

  it('GET /subscribers/:id/preview shows them decoded, To without the address', async () => {
    const { app, issueId } = await setup();

    const body = await preview(app, `/subscribers/${SUBSCRIBER}/preview?issue=${issueId}`);

    const to = `subscriber ${SUBSCRIBER} (address not shown)`;
    expectDecoded(body.headers, to, `<${issueId}.${SUBSCRIBER}@weekly.example.com>`);
    expect(body.headers).toContainEqual(['List-Unsubscribe', unsubscribeOf(body.html)]);
    expect(JSON.stringify(body.headers)).not.toContain('zoe@');
  });

  it('GET /preview?as=persona:… shows them decoded, To the persona’s made-up address', async () => {
    const { app, issueId } = await setup();

    for (const persona of ['none', 'long', 'rtl']) {
      const body = await preview(app, `/preview?issue=${issueId}&as=persona:${persona}`);

      const id = `<${issueId}.persona-${persona}@weekly.example.com>`;
      expectDecoded(body.headers, PERSONA_ADDRESS, id);
      expect(body.headers).toContainEqual(['List-Unsubscribe', unsubscribeOf(body.html)]);
    }
  });
});
