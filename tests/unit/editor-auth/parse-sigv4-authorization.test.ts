import { describe, expect, it } from 'vitest';
import { parseAmzDate } from '#core/editor/parse-amz-date.ts';
import { parseSigV4Authorization } from '#core/editor/parse-sigv4-authorization.ts';

const SIGNATURE = 'a'.repeat(64);
const CREDENTIAL = 'AKIDEXAMPLE/20270406/eu-west-1/execute-api/aws4_request';

describe('parseSigV4Authorization', () => {
  it('reads the header the SDK writes: key, scope, signed headers, signature', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}`;

    expect(parseSigV4Authorization(header)).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      scope: { date: '20270406', region: 'eu-west-1', service: 'execute-api' },
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: SIGNATURE,
    });
  });

  it('reads the parts without spaces after the commas too', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host;x-amz-date,Signature=${SIGNATURE}`;

    expect(parseSigV4Authorization(header)).toMatchObject({ accessKeyId: 'AKIDEXAMPLE' });
  });

  it.each([
    ['another scheme', `Basic ${SIGNATURE}`],
    ['no parts', 'AWS4-HMAC-SHA256'],
    [
      'a part twice',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`,
    ],
    ['a part missing', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host`],
    [
      'an unknown part',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}, Extra=1`,
    ],
    [
      'a scope without its terminator',
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20270406/eu-west-1/execute-api, SignedHeaders=host, Signature=${SIGNATURE}`,
    ],
    [
      'a scope date that is not 8 digits',
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2027-04-06/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`,
    ],
    [
      'signed headers out of order',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=x-amz-date;host, Signature=${SIGNATURE}`,
    ],
    [
      'a signed header in capitals',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=Host;x-amz-date, Signature=${SIGNATURE}`,
    ],
    [
      'a signed header twice',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;host, Signature=${SIGNATURE}`,
    ],
    [
      'a signature in capitals',
      `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE.toUpperCase()}`,
    ],
  ])('gives a reason for %s', (_what, header) => {
    expect(parseSigV4Authorization(header)).toEqual({ reason: expect.any(String) });
  });
});

describe('parseAmzDate', () => {
  it('reads the ISO 8601 basic form in UTC', () => {
    expect(parseAmzDate('20270406T090005Z')).toEqual(new Date('2027-04-06T09:00:05Z'));
  });

  it.each([
    ['the extended form', '2027-04-06T09:00:05Z'],
    ['no zone', '20270406T090005'],
    ['a day that does not exist', '20270231T090005Z'],
    ['an hour that does not exist', '20270406T250005Z'],
  ])('refuses %s', (_what, value) => {
    expect(parseAmzDate(value)).toBeUndefined();
  });
});
