/**
 * Processing a photo for email: `SharpImageProcessor` on a 4000 × 3000 camera JPEG made here
 * (the synthetic landscape of tests/integration/media/test-images.ts, saved at quality 90),
 * as stored (landscape) and with EXIF orientation 6 (a portrait once turned upright). Then the
 * whole import path (`importArticlesWithImages` with the CLI's adapters, on the embedded S3 and
 * DynamoDB): the time to import an article with one such photo, a different photo each run so
 * that every run stores one; and the weight of the sample digest's photos, as the demo stores
 * them. Prints the median and fastest times, the output sizes and the process's peak memory, as
 * a Markdown section ("Photos"); `--record` also writes it into BENCHMARKS.md.
 *
 *   npx tsx bench/media.bench.ts [--record]
 *   BENCH_RUNS=20 npx tsx bench/media.bench.ts
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '#adapters/config-file.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { importWithImages } from '#cli/commands/import-command.ts';
import { startLocalAws } from '#cli/local/start-local-aws.ts';
import { provisionLocal } from '#cli/provision-local.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { imageLimits } from '#core/media/image-limits.ts';
import { makeCameraPhoto } from '../tests/integration/media/test-images.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = 2;
const processor = new SharpImageProcessor();

const rows: string[] = [];
for (const [label, orientation] of [
  ['landscape, as stored', undefined],
  ['EXIF orientation 6 (portrait)', 6],
] as const) {
  const input = await makeCameraPhoto({ orientation });
  const samples: number[] = [];
  let output = await processor.process(input, 'bench.jpg');
  for (let i = 0; i < WARMUP + runs; i++) {
    const start = performance.now();
    output = await processor.process(input, 'bench.jpg');
    if (i >= WARMUP) samples.push(performance.now() - start);
  }
  rows.push(
    `| ${label} | ${(input.byteLength / 1_000_000).toFixed(2)} MB | ${median(samples).toFixed(0)} | ` +
      `${Math.min(...samples).toFixed(0)} | ${output.format} ${output.width} × ${output.height} | ` +
      `${output.bytes.byteLength.toLocaleString('en')} |`,
  );
}

// The import path, on the embedded services as `newsletter import` uses them.
const stateDir = await mkdtemp(join(tmpdir(), 'media-bench-'));
const aws = await startLocalAws({ stateDir, sendQuota: { max24HourSend: 1000, maxSendRate: 10 } });
Object.assign(process.env, aws.env, await provisionLocal(aws.env));
const config = await loadConfig();
const importSamples: number[] = [];
let importedBytes = 0;
for (let i = 0; i < WARMUP + runs; i++) {
  // A different photo each run (one row of pixels less), so that each import stores one.
  const photo = await makeCameraPhoto({ width: 4000, height: 3000 - i });
  const name = join(stateDir, `article-${i}.txt`);
  await writeFile(join(stateDir, `photo-${i}.jpg`), photo);
  await writeFile(
    name,
    `Bench Photo ${i}\n\nphoto-${i}.jpg\nA bench photo\nBench/Camera\n\nIntro.\n`,
  );
  const start = performance.now();
  const parsed = parseArticleFile({ name, bytes: await readFile(name) }, { now: new Date() });
  const { images } = await importWithImages(parsed, config, stateDir, {});
  if (i >= WARMUP) importSamples.push(performance.now() - start);
  importedBytes = images[0]?.bytes ?? 0;
}

// The sample digest's photos, imported as the demo imports them.
const repoDir = fileURLToPath(new URL('../', import.meta.url));
const sampleNames = (await readdir(join(repoDir, 'samples/articles'))).filter((n) =>
  n.endsWith('.txt'),
);
const now = new Date();
const sampleParsed = [];
for (const file of sampleNames.sort()) {
  const name = `samples/articles/${file}`;
  sampleParsed.push(
    ...parseArticleFile({ name, bytes: await readFile(join(repoDir, name)) }, { now }),
  );
}
const { images: samplePhotos } = await importWithImages(sampleParsed, config, repoDir, {});
const distinct = new Map(samplePhotos.map((image) => [image.key, image]));
const sampleBytes = [...distinct.values()].reduce((sum, image) => sum + (image.bytes ?? 0), 0);
const largest = Math.max(...[...distinct.values()].map((image) => image.bytes ?? 0));
await aws.stop();
await rm(stateDir, { recursive: true, force: true });

// maxRSS is in kilobytes.
const peakMb = process.resourceUsage().maxRSS / 1024;
const section = `Measured ${machine()} by \`bench/media.bench.ts\` (${runs} runs per row after ${WARMUP} warm-up runs).

A 4000 × 3000 camera JPEG (quality 90, EXIF with GPS) made by the bench, processed by
\`SharpImageProcessor\`: oriented, sRGB, metadata stripped, resized to ${imageLimits.outputMaxWidthPx} px wide, mozjpeg
quality ${imageLimits.jpegQuality}, progressive.

| input | input size | median ms | fastest ms | output | output bytes |
| --- | ---: | ---: | ---: | --- | ---: |
${rows.join('\n')}

Importing an article whose photo is such a camera JPEG, through \`newsletter import\`'s path
(read, processed, stored in the embedded S3, the article in the embedded DynamoDB), a new
photo each run: median ${median(importSamples).toFixed(0)} ms, fastest ${Math.min(...importSamples).toFixed(0)} ms per photo
(${importedBytes.toLocaleString('en')} bytes stored).

The sample digest (\`npm start\`) shows ${samplePhotos.length} photos, ${distinct.size} distinct images
(shared ones stored once): ${sampleBytes.toLocaleString('en')} bytes in all, the largest ${largest.toLocaleString('en')} bytes.

Peak memory of the bench process, making the photos included: ${peakMb.toFixed(0)} MB.`;

process.stdout.write(`\n## Photos\n\n${section}\n`);
if (process.argv.includes('--record')) recordSection('Photos', section);
