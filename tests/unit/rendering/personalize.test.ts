import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { personalize } from '#core/rendering/personalize.ts';
import { type RenderedIssue, renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

/** A digest that greets the reader by name and links the unsubscribe address. */
const greeting: TemplateSet = {
  digest: `<mjml><mj-body><mj-section><mj-column><mj-text>
<p class="hello">Hello {{recipient 'name'}}, here is {{listName}}.</p>
<a href="{{recipient 'unsubscribeUrl'}}">Unsubscribe</a>
</mj-text></mj-column></mj-section></mj-body></mjml>`,
  text: `Hello {{recipient 'name'}}\nUnsubscribe: {{recipient 'unsubscribeUrl'}}\n`,
  partials: {},
};

const render = () => renderIssue(sampleView(), greeting);

describe('personalize', () => {
  it('escapes a value for the HTML part and leaves it as given in the text part', async () => {
    const rendered = await render();

    const { html, text } = personalize(rendered, { unsubscribeUrl: 'x', name: '<b>&"' });

    expect(html).toContain('Hello &lt;b&gt;&amp;&quot;, here');
    expect(parse(html).querySelector('.hello')?.text).toBe(
      'Hello <b>&", here is The Weekly Slide.',
    );
    expect(parse(html).querySelectorAll('b')).toHaveLength(0);
    expect(text).toContain('Hello <b>&"\n');
  });

  it('puts the unsubscribe address into the link, its ampersands escaped', async () => {
    const rendered = await render();
    const url = 'https://news.example.com/unsubscribe?token=abc&list=weekly';

    const { html, text } = personalize(rendered, { unsubscribeUrl: url, name: 'Ada' });

    expect(html).toContain('href="https://news.example.com/unsubscribe?token=abc&amp;list=weekly"');
    expect(parse(html).querySelector('a')?.getAttribute('href')).toBe(url);
    expect(text).toContain(`Unsubscribe: ${url}\n`);
  });

  it('leaves no marker behind', async () => {
    const rendered = await render();

    const { html, text } = personalize(rendered, {
      unsubscribeUrl: 'https://u.example/1',
      name: 'Ada',
    });

    for (const marker of Object.values(rendered.markers)) {
      expect(html).not.toContain(marker);
      expect(text).not.toContain(marker);
    }
  });

  it('gives each recipient their own values from one rendered issue', async () => {
    const rendered = await render();

    const ada = personalize(rendered, { unsubscribeUrl: 'https://u.example/ada', name: 'Ada' });
    const bo = personalize(rendered, { unsubscribeUrl: 'https://u.example/bo', name: 'Bo' });

    expect(ada.text).toBe('Hello Ada\nUnsubscribe: https://u.example/ada\n');
    expect(bo.text).toBe('Hello Bo\nUnsubscribe: https://u.example/bo\n');
  });

  it('does not read a marker-like value as a marker', async () => {
    const rendered = await render();

    const { text } = personalize(rendered, {
      unsubscribeUrl: 'https://u.example/1',
      name: rendered.markers.unsubscribeUrl,
    });

    expect(text).toBe(
      `Hello ${rendered.markers.unsubscribeUrl}\nUnsubscribe: https://u.example/1\n`,
    );
  });

  it('works on an issue read back from storage', async () => {
    const stored: RenderedIssue = JSON.parse(JSON.stringify(await render()));

    const { text } = personalize(stored, { unsubscribeUrl: 'https://u.example/1', name: 'Ada' });

    expect(text).toBe('Hello Ada\nUnsubscribe: https://u.example/1\n');
  });

  it('refuses a stored issue whose marker renderIssue could not have written', async () => {
    const stored = { ...(await render()), markers: { unsubscribeUrl: '.*', name: 'x' } };

    expect(() => personalize(stored, { unsubscribeUrl: 'u', name: 'n' })).toThrow(
      /invalid marker for "unsubscribeUrl"/,
    );
  });
});
