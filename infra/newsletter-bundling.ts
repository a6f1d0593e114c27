import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The repository root: esbuild's project root, where `package.json` and its lock file are. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** What goes into a function's bundle besides its handler and what that imports. */
export interface NewsletterBundlingProps {
  /** Packages left out of the bundle besides the AWS SDK (which the runtime provides). Default: none. */
  externalModules?: string[];
  /**
   * Packages that a dependency imports but this function never calls: each is replaced by
   * `infra/bundling/unavailable-module.mjs`, which throws if used. Default: none.
   */
  omitModules?: string[];
  /**
   * A folder (relative to the repository root) whose files with these extensions are copied,
   * keeping their layout, beside the bundle: for code that reads them next to itself at run
   * time. Default: nothing copied.
   */
  copyIntoBundle?: { folder: string; extensions: string[] };
  /**
   * Scripts (paths relative to the repository root, run with tsx after the copy) that write
   * generated files beside the bundle: each gets the bundle's folder as its argument. For
   * templates compiled before run time, so that the function loads no compiler. Default: none.
   */
  buildIntoBundle?: string[];
}

/**
 * How esbuild bundles a handler, on this machine: ESM for Node.js 24, minified, with a
 * source map of positions only, the AWS SDK left to the runtime, and the files of
 * `copyIntoBundle` and `buildIntoBundle` added beside the bundle.
 */
export function newsletterBundling(props: NewsletterBundlingProps): BundlingOptions {
  const copy = props.copyIntoBundle;
  const builds = props.buildIntoBundle ?? [];
  return {
    format: OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    // The map only needs positions: the sources are in the repository, not in the zip.
    sourcesContent: false,
    mainFields: ['module', 'main'],
    externalModules: [
      '@aws-sdk/*',
      '@smithy/*',
      // Only Handlebars asks for it, in a try/catch, to map precompiled templates; it
      // falls back to its own stand-in when the package is missing.
      'source-map',
      ...(props.externalModules ?? []),
    ],
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner:
      "import{createRequire as __newsletterRequire}from'node:module';const require=__newsletterRequire(import.meta.url);",
    esbuildArgs: Object.fromEntries(
      (props.omitModules ?? []).map((name) => [
        `--alias:${name}`,
        `${projectRoot}infra/bundling/unavailable-module.mjs`,
      ]),
    ),
    forceDockerBundling: false,
    logLevel: LogLevel.ERROR,
    ...(copy || builds.length > 0
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) =>
              afterBundlingCommands(inputDir, outputDir, copy, builds),
          },
        }
      : {}),
  };
}

/**
 * The shell commands that complete a bundle in `outputDir`: the copy of `copy`'s files from
 * the repository in `inputDir`, then each build script. Run by the bundling with the
 * repository as working directory, where `tsx` resolves.
 */
export function afterBundlingCommands(
  inputDir: string,
  outputDir: string,
  copy: NewsletterBundlingProps['copyIntoBundle'],
  builds: readonly string[],
): string[] {
  return [
    ...(copy ? [copyFilesCommand(`${inputDir}/${copy.folder}`, outputDir, copy.extensions)] : []),
    ...builds.map((script) =>
      ['node', '--import', 'tsx', `${inputDir}/${script}`, outputDir]
        .map((arg) => `'${arg}'`)
        .join(' '),
    ),
  ];
}

/**
 * A shell command copying the files of `from` with these extensions into `to`: Node.js rather
 * than `cp`, whose options differ between GNU and BSD. No argument may contain a `'`.
 */
function copyFilesCommand(from: string, to: string, extensions: string[]): string {
  const script =
    'const fs=require("node:fs");const [from,to,...ext]=process.argv.slice(1);' +
    'fs.cpSync(from,to,{recursive:true,filter:(p)=>fs.statSync(p).isDirectory()||ext.some((e)=>p.endsWith(e))})';
  return ['node', '-e', script, from, to, ...extensions].map((arg) => `'${arg}'`).join(' ');
}
