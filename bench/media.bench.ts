/**
 * Processing a photo for email: `SharpImageProcessor` on a 4000 × 3000 camera JPEG made here
 * (the synthetic landscape of tests/integration/media/test-images.ts, saved at quality 90),
 * as stored (landscape) and with EXIF orientation 6 (a portrait once turned upright). Prints
 * the median and fastest time, the output size and bytes, and the process's peak memory, as a
 * Markdown section ("Photos"). BENCHMARKS.md has no such section yet, so nothing is recorded.
 *
 *   npx tsx bench/media.bench.ts
 *   BENCH_RUNS=20 npx tsx bench/media.bench.ts
 */
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { imageLimits } from '#core/media/image-limits.ts';
import { makeCameraPhoto } from '../tests/integration/media/test-images.ts';
import { machine } from './record-section.ts';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = 2;
const processor = new SharpImageProcessor();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

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

// maxRSS is in kilobytes.
const peakMb = process.resourceUsage().maxRSS / 1024;
const section = `Measured ${machine()} by \`bench/media.bench.ts\` (${runs} runs per row after ${WARMUP} warm-up runs).

A 4000 × 3000 camera JPEG (quality 90, EXIF with GPS) made by the bench, processed by
\`SharpImageProcessor\`: oriented, sRGB, metadata stripped, resized to ${imageLimits.outputMaxWidthPx} px wide, mozjpeg
quality ${imageLimits.jpegQuality}, progressive.

| input | input size | median ms | fastest ms | output | output bytes |
| --- | ---: | ---: | ---: | --- | ---: |
${rows.join('\n')}

Peak memory of the bench process, making the photos included: ${peakMb.toFixed(0)} MB.`;

process.stdout.write(`\n## Photos\n\n${section}\n`);
