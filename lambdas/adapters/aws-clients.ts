import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SES_CALL_TIMEOUT_MS } from '#core/sending/send-pacing.ts';

// Built on first use, so that a process which starts the local services first can
// set the standard AWS_* variables before any client reads them.
let documentClient: DynamoDBDocumentClient | undefined;
let sesClient: SESClient | undefined;

/** The DynamoDB document client for this process, from the standard AWS environment. */
export function dynamoDb(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** Milliseconds an SES call may take before its outcome counts as unknown. */
export const SES_REQUEST_TIMEOUT_MS = SES_CALL_TIMEOUT_MS;
/** Milliseconds to connect to SES; a call that never connected sent nothing. */
export const SES_CONNECTION_TIMEOUT_MS = 2_000;

/**
 * The SES client for this process. Automatic retries are off: a send whose outcome is
 * unknown must never be repeated blindly (docs/sending.md). A call that has not connected
 * within 2 s sent nothing; one without an answer within 5 s has an unknown outcome.
 */
export function ses(): SESClient {
  sesClient ??= new SESClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: SES_CONNECTION_TIMEOUT_MS,
      requestTimeout: SES_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
  return sesClient;
}

let sqsClient: SQSClient | undefined;

/** The SQS client for this process, from the standard AWS environment. */
export function sqs(): SQSClient {
  sqsClient ??= new SQSClient({});
  return sqsClient;
}

let s3Client: S3Client | undefined;

/**
 * The S3 client for this process. Path-style addresses when a local endpoint is set (the
 * embedded S3 has no per-bucket host names).
 */
export function s3(): S3Client {
  s3Client ??= new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  return s3Client;
}
