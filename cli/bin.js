#!/usr/bin/env node
// The `newsletter` command: TypeScript sources run through tsx's loader, so there is no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK versions are pinned to ones that support Node 20; its notice about later
// versions would only clutter every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
