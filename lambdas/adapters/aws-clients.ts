import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

/**
 * The SES client for this process. Automatic retries are off: a send whose outcome is
 * unknown must never be repeated blindly (DESIGN.md "Sending").
 */
export function ses(): SESClient {
  sesClient ??= new SESClient({ maxAttempts: 1 });
  return sesClient;
}
