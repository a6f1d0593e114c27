import type { StudioPage } from './studio-page.ts';

/**
 * The studio's page of `cli/studio/page/`: `buildStudioAssets` (esbuild, in memory) and
 * `studioIndexHtml`. Loaded when the studio starts, and only by `newsletter studio`, so that
 * esbuild never loads with the other commands.
 */
export async function loadStudioPage(): Promise<StudioPage> {
  const [{ buildStudioAssets }, { studioIndexHtml }] = await Promise.all([
    import('./page/studio-assets.ts'),
    import('./page/studio-index-html.ts'),
  ]);
  return { assets: buildStudioAssets, indexHtml: studioIndexHtml };
}
