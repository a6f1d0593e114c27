import { describe, expect, it } from 'vitest';
import { DynamoDbSendLeases } from '#adapters/dynamodb-send-leases.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { tables } from '#adapters/tables.ts';
import { describeSendLeasesContract } from '../../contracts/send-leases-contract.ts';
import { useFreshResources } from './fresh-resources.ts';

const aws = useFreshResources();

describeSendLeasesContract(
  'DynamoDbSendLeases',
  async () => new DynamoDbSendLeases(aws.local.documents, await aws.fresh.table(tables.sends)),
);

describe('DynamoDbSendLeases beside the send ledger', () => {
  it('keeps leases and records of one issue apart in the sends table', async () => {
    const table = await aws.fresh.table(tables.sends);
    const leases = new DynamoDbSendLeases(aws.local.documents, table);
    const ledger = new DynamoDbSendLedger(aws.local.documents, table);
    const issueId = '01JLEASE000000000000000001';
    const at = '2026-11-27T08:00:00.000Z';
    const lease = {
      holder: '01JHOLDER00000000000000001',
      since: at,
      until: '2026-11-27T08:00:05.000Z',
    };
    await ledger.addMissing(issueId, [{ subscriberId: '-first', status: 'queued' }], at);

    await leases.hold(issueId, lease);

    expect(await leases.list(issueId)).toEqual([lease]);
    expect((await ledger.list(issueId)).map((record) => record.subscriberId)).toEqual(['-first']);
  });
});
