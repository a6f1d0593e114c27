import { rm } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalAws, startLocalAws } from '#cli/local/start-local-aws.ts';
import { provisionLocal } from '#cli/provision-local.ts';
import { freshHome } from './run-cli.ts';

/** Local services on a fresh state folder, with tables provisioned, and SDK clients for them. */
export async function startProvisionedAws() {
  const stateDir = await freshHome();
  const aws: LocalAws = await startLocalAws({
    stateDir,
    sendQuota: { max24HourSend: 1000, maxSendRate: 10 },
  });
  const credentials = {
    accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? '',
  };
  const region = aws.env.AWS_REGION;
  const dynamoDbClient = new DynamoDBClient({
    endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB,
    region,
    credentials,
  });
  const resources = await provisionLocal(aws.env);
  const ses = new SESClient({
    endpoint: aws.env.AWS_ENDPOINT_URL_SES,
    region,
    credentials,
    maxAttempts: 1,
  });
  return {
    stateDir,
    aws,
    /** The standard AWS variables and the names of the provisioned resources. */
    env: { ...aws.env, ...resources },
    documents: DynamoDBDocumentClient.from(dynamoDbClient, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    ses,
    async stop() {
      dynamoDbClient.destroy();
      ses.destroy();
      await aws.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
