import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

/** The page's script and stylesheet, as the studio's server serves them. */
export interface StudioAssets {
  /** `/studio.js`: `main.ts` and what it imports (uPlot among them), one script. */
  js: string;
  /** `/studio.css`: `studio.css` with uPlot's stylesheet it imports. */
  css: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** What both builds share: in memory, minified, for the browsers of today, no source maps. */
const common: BuildOptions = {
  bundle: true,
  write: false,
  minify: true,
  platform: 'browser',
  target: 'es2022',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'silent',
};

/**
 * Builds the studio page's script and stylesheet with esbuild, in memory: `main.ts` as one
 * script (an IIFE, as `<script defer>` loads it) and `studio.css` as one stylesheet. Run once
 * when the studio starts; about a second on a small machine.
 * @throws Error with esbuild's messages when either does not build
 */
export async function buildStudioAssets(): Promise<StudioAssets> {
  const [script, style] = await Promise.all([
    build({ ...common, entryPoints: [here('main.ts')], format: 'iife', outfile: 'studio.js' }),
    build({ ...common, entryPoints: [here('studio.css')], outfile: 'studio.css' }),
  ]);
  return { js: outputOf(script.outputFiles, '.js'), css: outputOf(style.outputFiles, '.css') };
}

function outputOf(files: { path: string; text: string }[] | undefined, extension: string): string {
  const file = files?.find((each) => each.path.endsWith(extension));
  if (!file) throw new Error(`esbuild made no ${extension} file for the studio page`);
  return file.text;
}
