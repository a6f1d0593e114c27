import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
