// Run by deployed-bundles.ts in a process of its own (plain Node.js, no TypeScript loader),
// with one function's environment: imports a bundle as the Lambda runtime does, invokes its
// `handler` once with the event it is sent, and sends back how that ended.
import { pathToFileURL } from 'node:url';

process.once('message', async ({ bundle, event, functionName, timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  const context = {
    functionName,
    awsRequestId: 'deployed-bundles-test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let ended;
  try {
    const module = await import(pathToFileURL(bundle).href);
    ended = { outcome: 'returned', result: await module.handler(event, context) };
  } catch (error) {
    ended = { outcome: 'threw', name: error?.name, message: error?.message, code: error?.code };
  }
  // As Lambda freezes the container, so this process ends: SDK clients keep sockets open.
  process.send(ended, () => process.exit(0));
});
