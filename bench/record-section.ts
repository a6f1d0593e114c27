import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const benchmarks = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));

/** The machine and the date, as each section of BENCHMARKS.md states them. */
export function machine(): string {
  const [cpu] = cpus();
  let model = cpu?.model.trim() ?? 'unknown CPU';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    model = line?.split(':')[1]?.trim() || model;
  } catch {
    // Not Linux: Node's own name for the CPU will do.
  }
  const date = new Date().toISOString().slice(0, 10);
  return `${date}, ${cpus().length} × ${model}, Node.js ${process.version}`;
}

/**
 * Replaces the body of the section `## heading` of BENCHMARKS.md with `body`, leaving every
 * other section as it is, and lets Biome lay out its tables as `npm run lint` expects.
 */
export function recordSection(heading: string, body: string): void {
  const text = readFileSync(benchmarks, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`BENCHMARKS.md has no section "## ${heading}"`);
  const bodyStart = start + `\n## ${heading}\n`.length;
  const next = text.indexOf('\n## ', bodyStart);
  const end = next < 0 ? text.length : next;
  writeFileSync(benchmarks, `${text.slice(0, bodyStart)}\n${body.trim()}\n${text.slice(end)}`);
  spawnSync('npx', ['biome', 'format', '--write', benchmarks], { stdio: 'ignore' });
}
