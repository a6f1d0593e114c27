// Run by function-environment.test.ts in a process of its own, with one function's
// environment: invokes that handler once with a sample event and prints how it ended, with
// what it logged, as the last line of its output.
import { pathToFileURL } from 'node:url';

const [handlerName, eventJson] = process.argv.slice(2);
const entry = new URL(`../../../lambdas/handlers/${handlerName}.ts`, import.meta.url);
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' };
const logs: string[] = [];
const keep = (...args: unknown[]) => {
  logs.push(args.map(String).join(' '));
};
console.info = keep;
console.log = keep;
console.warn = keep;
console.error = keep;
// Powertools' Logger and Metrics write to stdout and stderr through a `Console` of their own.
const writeOut = process.stdout.write.bind(process.stdout);
const writeTo = (chunk: unknown) => {
  logs.push(String(chunk).trimEnd());
  return true;
};
process.stdout.write = writeTo as typeof process.stdout.write;
process.stderr.write = writeTo as typeof process.stderr.write;
let ended: Record<string, unknown>;
try {
  const module = (await import(pathToFileURL(entry.pathname).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const result = await module.handler(JSON.parse(eventJson ?? '{}'), context);
  ended = { outcome: 'returned', result };
} catch (error) {
  const { name, message } = error as Error;
  ended = { outcome: 'threw', name, message };
}
writeOut(`${JSON.stringify({ ...ended, logs })}\n`);
// The SDK's open connections would keep the process alive.
process.exit(0);
