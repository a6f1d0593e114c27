import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in for Secrets Manager, holding the secrets it was given. */
export interface LocalSecretsManager {
  /** Base URL, for `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  url: string;
  /** The ARN of the secret named `name`, as Secrets Manager would give it. */
  arnOf(name: string): string;
  /** Each secret's `SecretString` now, by name (`PutSecretValue` changes them). */
  secrets: Record<string, string>;
  /** How many calls of each operation it answered (`GetSecretValue`, `PutSecretValue`). */
  calls: Record<string, number>;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const ACCOUNT_ID = '000000000000';

/**
 * Starts, on a free loopback port, the Secrets Manager calls the functions make (AWS JSON 1.1
 * protocol), by name or ARN: `GetSecretValue`, and `PutSecretValue` of a `SecretString`,
 * which the editor API makes when it rotates or retires a link key. None of the embedded
 * services offers Secrets Manager, and the functions read their keys from it; every other
 * call gets Secrets Manager's own error for an unknown operation, so nothing waits.
 * @param given each secret's name and its `SecretString` (copied: the stand-in's own change)
 */
export async function startLocalSecretsManager(
  given: Record<string, string>,
): Promise<LocalSecretsManager> {
  const secrets = { ...given };
  const calls: Record<string, number> = {};
  const arnOf = (name: string) =>
    `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${name}-AbCdEf`;
  const server = createServer((request, response) => {
    answer(request, response, secrets, calls, arnOf).catch((error: unknown) => {
      reply(response, 500, { __type: 'InternalServiceError', message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arnOf,
    secrets,
    calls,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  secrets: Record<string, string>,
  calls: Record<string, number>,
  arnOf: (name: string) => string,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target']);
  const operation = target.replace(/^secretsmanager\./, '');
  if (operation !== 'GetSecretValue' && operation !== 'PutSecretValue') {
    reply(response, 400, {
      __type: 'UnknownOperationException',
      message: `The local Secrets Manager answers GetSecretValue and PutSecretValue only, not ${target}`,
    });
    return;
  }
  calls[operation] = (calls[operation] ?? 0) + 1;
  const { SecretId, SecretString } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
    SecretId?: string;
    SecretString?: string;
  };
  const name = Object.keys(secrets).find((key) => SecretId === key || SecretId === arnOf(key));
  if (name === undefined) {
    reply(response, 400, {
      __type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
    return;
  }
  if (operation === 'PutSecretValue') {
    if (typeof SecretString !== 'string') {
      reply(response, 400, {
        __type: 'InvalidParameterException',
        message: 'The local Secrets Manager takes a SecretString only.',
      });
      return;
    }
    secrets[name] = SecretString;
    reply(response, 200, {
      ARN: arnOf(name),
      Name: name,
      VersionId: randomUUID(),
      VersionStages: ['AWSCURRENT'],
    });
    return;
  }
  reply(response, 200, {
    ARN: arnOf(name),
    Name: name,
    SecretString: secrets[name],
    VersionId: randomUUID(),
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1_767_225_600,
  });
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(json),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(json);
}
