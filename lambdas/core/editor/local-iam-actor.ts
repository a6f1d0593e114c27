/**
 * Who acts, as an issue's timeline records it, for a request signed locally with the
 * access key `accessKeyId` of the embedded services (`newsletter serve`'s `/editor`):
 * `iam:local/<key id>`. An `iam:` actor is a person, as `followExitCode` reads it, like the
 * IAM principal of a signed request on AWS. The key id names the credentials, and is no secret.
 */
export function localIamActor(accessKeyId: string): string {
  return `iam:local/${accessKeyId}`;
}
