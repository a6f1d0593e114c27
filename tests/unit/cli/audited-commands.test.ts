import { describe, expect, it } from 'vitest';
import { auditedCommand } from '#cli/audited-commands.ts';
import { cliAuditOutcome } from '#cli/cli-audit-outcome.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';

describe('auditedCommand', () => {
  it("takes an issue command's target from its argument, a draft's from its result", () => {
    const pause = auditedCommand('issues pause', ['01JISSUE'], {});
    const draft = auditedCommand('issues draft', [], {});

    expect(pause?.target(undefined)).toBe('01JISSUE');
    expect(draft?.target({ issue: { issueId: '01JNEW' } })).toBe('01JNEW');
    expect(draft?.target(undefined)).toBeUndefined();
  });

  it('names a subscriber by the id of its result, never by the address it was given', () => {
    const add = auditedCommand('subscribers add', ['ada@example.com'], {});
    const remove = auditedCommand('subscribers remove', ['ada@example.com'], {});

    expect(add?.target([{ subscriber: { id: '01JSUB', email: 'ada@example.com' } }])).toBe(
      '01JSUB',
    );
    expect(remove?.target([{ id: '01JSUB', email: 'ada@example.com' }])).toBe('01JSUB');
    expect(add?.target([{ subscriber: { id: 'a' } }, { subscriber: { id: 'b' } }])).toBeUndefined();
  });

  it('tells a failure that the command reports only by its exit code, after its work', () => {
    const test = auditedCommand('issues test', ['01JISSUE'], {});
    const draft = auditedCommand('issues draft', [], {});
    const send = auditedCommand('send', [], {});
    const csv = auditedCommand('subscribers import', ['list.csv'], {});
    const status = { issueId: '01JISSUE', failed: 0 };

    expect(test?.failed?.({ sent: 1, recipients: [{}, {}] })).toBe(true);
    expect(test?.failed?.({ sent: 2, recipients: [{}, {}] })).toBe(false);
    expect(draft?.failed?.(undefined)).toBe(true);
    expect(draft?.failed?.({ issue: { issueId: '01JNEW' } })).toBe(false);
    expect(send?.failed?.({ status: { ...status, failed: 2 }, done: true })).toBe(true);
    expect(send?.failed?.({ status, done: true })).toBe(false);
    expect(csv?.failed?.({ errors: [{ line: 3 }] })).toBe(true);
    expect(csv?.failed?.({ errors: [] })).toBe(false);
  });

  it('leaves out reads and dry runs', () => {
    expect(auditedCommand('issues show', ['01JISSUE'], {})).toBeUndefined();
    expect(auditedCommand('subscribers list', [], {})).toBeUndefined();
    expect(auditedCommand('send', [], { dryRun: true })).toBeUndefined();
    expect(auditedCommand('import', ['a.txt'], { dryRun: true })).toBeUndefined();
    expect(auditedCommand('keys list', [], {})).toBeUndefined();
    // Without --yes, a retirement only tells what it would break.
    expect(auditedCommand('keys retire', ['0'], {})).toBeUndefined();
  });

  it('names a new link key by its result, a retired one by its argument', () => {
    const rotate = auditedCommand('keys rotate', [], {});
    const retire = auditedCommand('keys retire', ['0'], { yes: true });

    expect(rotate?.target({ kid: 'sxk2lc', kept: ['0'] })).toBe('sxk2lc');
    expect(rotate?.target(undefined)).toBeUndefined();
    expect(retire?.target(undefined)).toBe('0');
  });
});

describe('cliAuditOutcome', () => {
  it('is ok with exit code 0, failed with another, refused or failed with the error name when it threw', () => {
    const refusal = new IssueStateError('01JISSUE', 'draft', 'pause');

    expect(cliAuditOutcome({ exitCode: 0 })).toEqual({ result: 'ok', exitCode: 0 });
    expect(cliAuditOutcome({ exitCode: 1 })).toEqual({ result: 'failed', exitCode: 1 });
    expect(cliAuditOutcome({ error: refusal })).toEqual({
      result: 'refused',
      exitCode: 1,
      code: 'IssueStateError',
    });
    expect(cliAuditOutcome({ error: new TypeError('boom') })).toEqual({
      result: 'failed',
      exitCode: 1,
      code: 'TypeError',
    });
  });
});
