// Run by function-environment.test.ts in a process of its own, with one function's
// environment: invokes that handler once with a sample event and prints how it ended.
import { pathToFileURL } from 'node:url';

const [handlerName, eventJson] = process.argv.slice(2);
const entry = new URL(`../../../lambdas/handlers/${handlerName}.ts`, import.meta.url);
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' };
try {
  const module = (await import(pathToFileURL(entry.pathname).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const result = await module.handler(JSON.parse(eventJson ?? '{}'), context);
  console.log(JSON.stringify({ outcome: 'returned', result }));
} catch (error) {
  const { name, message } = error as Error;
  const code = (error as { code?: string }).code;
  console.log(JSON.stringify({ outcome: 'threw', name, message, code }));
}
