import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '#app/editor-api/api-error-of.ts';
import { TemplateError } from '#core/rendering/template-error.ts';

describe('apiErrorOf a TemplateError', () => {
  it('answers 422 template, naming the template file and its line', () => {
    const mapped = apiErrorOf(
      new TemplateError('partials/mjml-photo.hbs', 12, 'Parse error: expected "}}"'),
    );

    expect(mapped?.status).toBe(422);
    expect(mapped?.body()).toEqual({
      error: {
        code: 'template',
        message: 'partials/mjml-photo.hbs:12: Parse error: expected "}}"',
        template: 'partials/mjml-photo.hbs',
        line: 12,
      },
    });
  });

  it("leaves a confirmation template's error to the 500 of a fault of ours", () => {
    const unbuilt = new TemplateError(
      'confirmation/confirmation.html.hbs',
      undefined,
      'not built in /var/task/confirmation/',
    );

    expect(apiErrorOf(unbuilt)).toBeUndefined();
  });

  it('leaves out line when the renderer could not tell it', () => {
    const mapped = apiErrorOf(
      new TemplateError('digest.mjml.hbs', undefined, 'no unsubscribe link'),
    );

    expect(mapped?.body()).toEqual({
      error: {
        code: 'template',
        message: 'digest.mjml.hbs: no unsubscribe link',
        template: 'digest.mjml.hbs',
      },
    });
  });
});
