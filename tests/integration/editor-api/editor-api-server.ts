import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { loadConfig } from '#adapters/config-file.ts';
import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { editorApi } from '#app/editor-api/editor-api.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { cliActor } from '#cli/cli-actor.ts';
import { unknownWindowSeconds } from '#cli/issue-deps.ts';
import { writeLocalIssue } from '#cli/local-archive.ts';
import { LocalLinkKeys } from '#cli/local-link-keys.ts';
import { localHashKey } from '#cli/token-key.ts';
import type { Config } from '#core/common/config.ts';
import { editorApiDepsFromEnv } from '#handlers/editor-api-deps-from-env.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { holdLocalServices } from '../support/hold-local-services.ts';
import { type CliResult, freshHome, repoRoot, runCli } from '../support/run-cli.ts';

/** Where the sample articles are: the import folder their photos are read from. */
export const SAMPLES = join(repoRoot, 'samples/articles');

/** The editor API served over HTTP on the local services of a fresh state folder. */
export interface EditorApiServer {
  home: string;
  config: Config;
  /** `http://127.0.0.1:<port>`: the router, mounted at the root. */
  base: string;
  deps: EditorApiDeps;
  /** The keys of subscriber links of the state folder, as the senders sign with them. */
  linkKeys: LocalLinkKeys;
  /** Every line the router logged. */
  lines: Record<string, unknown>[];
  /** Serves another router, on the same services, built from `deps`; its base. */
  serveAlso(deps: EditorApiDeps): Promise<string>;
  /** Runs `newsletter …` on the state folder, sharing the services. */
  cli(args: string[]): Promise<CliResult>;
  stop(): Promise<void>;
}

/**
 * Starts the state folder's local services in this process as a CLI command does
 * (`withLocalServices`: the embedded AWS, the local runtime whose pollers invoke the
 * send-batch and ses-events handlers, and the record through which `newsletter` commands
 * share them), then serves `editorApi` on 127.0.0.1 and a free port, with its ports built by
 * `editorApiDepsFromEnv` as the studio will build them: the CLI's actor, the folder's key,
 * the local unknown-outcome window, and the sample articles' folder for photos.
 */
export async function startEditorApi(): Promise<EditorApiServer> {
  const home = await freshHome();
  const config = await loadConfig();
  const lines: Record<string, unknown>[] = [];
  const servers: Server[] = [];
  const held = await holdLocalServices(home, config, 'editor API test', async () => {
    const linkKeys = new LocalLinkKeys(home);
    const deps = editorApiDepsFromEnv({
      config,
      templates: await loadTemplates(),
      confirmationTemplates: () => compileConfirmationTemplates(),
      hashKey: await localHashKey(home),
      linkKeys,
      actor: () => cliActor(),
      imageProcessor: new SharpImageProcessor(),
      imageFolder: SAMPLES,
      archive: async (issueId, content) => {
        await archiveFromEnv().putIssue(issueId, content.html);
        await writeLocalIssue(home, issueId, content);
      },
      unknownWindowSeconds: unknownWindowSeconds(config, false),
      log: (line) => lines.push(line),
    });
    const serveAlso = async (other: EditorApiDeps) => {
      const server = serve({ fetch: editorApi(other).fetch, hostname: '127.0.0.1', port: 0 });
      servers.push(server as Server);
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const base = await serveAlso(deps);
    const close = async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    };
    return { value: { base, deps, linkKeys, serveAlso }, close };
  });
  return {
    home,
    config,
    ...held.value,
    lines,
    cli: (args) => runCli(home, args),
    stop: async () => {
      await held.release();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** An answer of the API: its status, headers, and body (JSON when it is JSON, else text). */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its route answers.
  body: any;
}

/** What a request sends: JSON, or text of a type, and more headers. */
export interface Sent {
  json?: unknown;
  text?: string | Uint8Array;
  type?: string;
  headers?: Record<string, string>;
}

/** One HTTP request to `base + path`. */
export async function call(
  base: string,
  method: string,
  path: string,
  sent: Sent = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...sent.headers };
  let body: string | Uint8Array | undefined;
  if (sent.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(sent.json);
  } else if (sent.text !== undefined) {
    headers['content-type'] = sent.type ?? 'text/plain';
    body = sent.text;
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : text,
  };
}
