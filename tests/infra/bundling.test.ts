import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { renderPage } from '#core/rendering/render-page.ts';
import { confirmationMessage } from '#core/subscribers/confirmation-message.ts';
import { leaveLinkMessage } from '#core/subscribers/leave-link-message.ts';
import { loadConfirmationTemplates, loadPageTemplates } from '#templates/load-templates.ts';
import { afterBundlingCommands, projectRoot } from '../../infra/newsletter-function.ts';
import { TEMPLATE_BUILDS, TEMPLATE_FILES } from '../../infra/stateless-stack.ts';

const lambdas = fileURLToPath(new URL('../../lambdas/', import.meta.url));

describe('zod in the Lambda code', () => {
  // `import { z }` keeps zod's whole namespace, all ~40 locales of its messages included
  // (about 270 kB minified per bundle); the namespace import lets esbuild drop what is unused.
  it('is imported as a namespace, so bundles carry only what is used', () => {
    const files = readdirSync(lambdas, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const offending = files.filter((file) =>
      /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/.test(readFileSync(join(lambdas, file), 'utf8')),
    );

    expect(files.length).toBeGreaterThan(0);
    expect(offending).toEqual([]);
  });
});

/** The files of the repository that esbuild puts in a bundle of `entry`. */
async function bundledFiles(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [join(projectRoot, entry)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', '@smithy/*', 'source-map', 'typescript'],
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs);
}

const isMjml = (file: string) =>
  /node_modules\/mjml[^/]*\//.test(file) || file.endsWith('mjml-to-html.ts');

describe('the public function (http-api)', () => {
  it('bundles no MJML, and no confirmation email: it only queues sign-ups', async () => {
    const [httpApi, compiler] = await Promise.all([
      bundledFiles('lambdas/handlers/http-api.ts'),
      bundledFiles('templates/compile-confirmation-templates.ts'),
    ]);

    expect(httpApi).toContain('lambdas/app/subscription-routes.ts');
    expect(httpApi).not.toContain('lambdas/core/subscribers/confirmation-message.ts');
    expect(httpApi.filter(isMjml)).toEqual([]);
    // The same check finds MJML where it is used.
    expect(compiler.filter(isMjml).length).toBeGreaterThan(10);
  });

  it('finds beside a bundle the pages, and the confirmation email and the link to leave the builder sends, once the bundling commands ran', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'http-api-bundle-'));
    const commands = afterBundlingCommands(
      projectRoot.replace(/\/$/, ''),
      bundle,
      TEMPLATE_FILES,
      TEMPLATE_BUILDS,
    );
    for (const command of commands) {
      execFileSync('bash', ['-c', command], { cwd: projectRoot, stdio: 'pipe' });
    }
    const site = {
      listName: 'The Weekly Slide',
      language: 'en',
      publicBaseUrl: 'https://news.example.com',
    };

    const pages = await loadPageTemplates(join(bundle, 'pages'));
    const confirmation = await loadConfirmationTemplates(join(bundle, 'confirmation'));

    const page = renderPage('unsubscribe', {}, site, pages);
    expect(page).toContain(pages.stylesheet);
    const confirmUrl = 'https://news.example.com/confirm?token=abc';
    const email = confirmationMessage(
      { ...site, postalAddress: '1 Example Street', confirmLinkHours: 48 },
      { confirmUrl },
      confirmation,
    );
    expect(email.html).toContain('Confirm my subscription');
    expect(email.text.split('\n')).toContain(confirmUrl);
    const unsubscribeUrl = 'https://news.example.com/unsubscribe?token=abc';
    const leaveLink = leaveLinkMessage(
      { ...site, postalAddress: '1 Example Street' },
      { unsubscribeUrl },
      confirmation.leaveLink,
    );
    expect(leaveLink.html).toContain('Unsubscribe');
    expect(leaveLink.text.split('\n')).toContain(unsubscribeUrl);
    rmSync(bundle, { recursive: true });
  });
});

describe('the editor API function (editor-api)', () => {
  it('bundles MJML, to render drafts, and no sharp, which is native and built per platform', async () => {
    const [editorApi, studioImport] = await Promise.all([
      bundledFiles('lambdas/handlers/editor-api.ts'),
      bundledFiles('lambdas/adapters/sharp-image-processor.ts'),
    ]);
    const isSharp = (file: string) => /node_modules\/(sharp|@img)\//.test(file);

    expect(editorApi).toContain('lambdas/app/editor-api/editor-api.ts');
    expect(editorApi.filter(isMjml).length).toBeGreaterThan(10);
    expect(editorApi.filter(isSharp)).toEqual([]);
    // The same check finds sharp where it is used.
    expect(studioImport.filter(isSharp).length).toBeGreaterThan(0);
  });
});
