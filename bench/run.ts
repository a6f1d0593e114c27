/**
 * `npm run bench`: runs every `bench/*.bench.ts` harness, in the order of their file names,
 * each in a fresh Node.js process (so one harness's warm caches never flatter another's).
 * Arguments after `--` are passed to every harness, e.g. `npm run bench -- --record`.
 * Exits 1 when any harness fails, after running the others.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const harnesses = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort();
const failed: string[] = [];
for (const name of harnesses) {
  process.stdout.write(`\n== bench/${name}\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', `${dir}${name}`, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  process.stderr.write(`\nFailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
