import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import rules of docs/architecture.md, checked on every import statement of the project's
// own code: static imports, `export … from` and dynamic `import('…')` with a literal path.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Each part of the project, by the folder it lives in. */
const parts = {
  core: 'lambdas/core/',
  adapters: 'lambdas/adapters/',
  app: 'lambdas/app/',
  handlers: 'lambdas/handlers/',
  templates: 'templates/',
  cli: 'cli/',
  infra: 'infra/',
} as const;
type Part = keyof typeof parts;

/** What each part may import, besides itself and npm packages. */
const allowed: Record<Part, readonly Part[]> = {
  core: [],
  templates: ['core'],
  adapters: ['core'],
  app: ['core', 'templates'],
  handlers: ['core', 'adapters', 'app', 'templates'],
  cli: ['core', 'adapters', 'app', 'handlers', 'templates'],
  infra: ['core', 'adapters'],
};

/** npm packages that the pure core must not load: it talks to AWS and the world through ports. */
const forbiddenInCore =
  /^(@aws-sdk\/|@smithy\/|hono|@hono\/|node:fs|node:child_process|node:net|node:http)/;

const aliases = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).imports as Record<
  string,
  string
>;

function partOf(file: string): Part | undefined {
  const path = relative(root, file);
  return (Object.keys(parts) as Part[]).find((part) => path.startsWith(parts[part]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module path that a file imports. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** The file an import names, or undefined for an npm package or a Node module. */
function targetOf(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return resolve(dirname(file), specifier);
  for (const [alias, target] of Object.entries(aliases)) {
    const prefix = alias.replace(/\*$/, '');
    if (specifier.startsWith(prefix)) {
      return resolve(root, target.replace(/\*$/, ''), specifier.slice(prefix.length));
    }
  }
  return undefined;
}

const files = Object.values(parts).flatMap((dir) => sourceFiles(dir));

describe('import rules', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(importsOf).length).toBeGreaterThan(300);
  });

  it('keeps every import between parts to the ones docs/architecture.md allows', () => {
    const broken: string[] = [];
    for (const file of files) {
      const from = partOf(file) as Part;
      for (const specifier of importsOf(file)) {
        const target = targetOf(file, specifier);
        if (target === undefined) continue;
        const to = partOf(target);
        if (to === undefined) {
          broken.push(`${relative(root, file)} imports ${specifier}, outside the project's parts`);
        } else if (to !== from && !allowed[from].includes(to)) {
          broken.push(`${relative(root, file)} (${from}) imports ${specifier} (${to})`);
        }
      }
    }

    expect(broken).toEqual([]);
  });

  it('keeps the core free of the AWS SDK, HTTP, the file system and the environment', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => partOf(f) === 'core')) {
      for (const specifier of importsOf(file)) {
        if (forbiddenInCore.test(specifier))
          broken.push(`${relative(root, file)} imports ${specifier}`);
      }
      if (/\bprocess\.env\b/.test(readFileSync(file, 'utf8'))) {
        broken.push(`${relative(root, file)} reads process.env`);
      }
    }

    expect(broken).toEqual([]);
  });

  it('resolves aliases and relative paths to the part they name', () => {
    const coreFile = join(root, 'lambdas/core/example.ts');

    expect(partOf(targetOf(coreFile, '#cli/main.ts') as string)).toBe('cli');
    expect(allowed.core).not.toContain('cli');
    expect(partOf(targetOf(join(root, 'infra/app.ts'), '../cli/main.ts') as string)).toBe('cli');
  });
});
