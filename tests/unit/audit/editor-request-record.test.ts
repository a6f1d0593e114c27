import { describe, expect, it } from 'vitest';
import { editorRequestRecord, routeParams } from '#core/audit/editor-request-record.ts';
import { parseAuditSince } from '#core/audit/parse-audit-since.ts';

const request = {
  at: new Date('2025-03-07T08:00:00.000Z'),
  id: '01JAUDIT',
  actor: 'iam:arn:aws:iam::123456789012:user/ed',
  method: 'POST',
  route: '/issues/:id/pause',
  params: { id: '01JISSUE' },
  status: 200,
};

describe('editorRequestRecord', () => {
  it('records the route as declared, its :id as the target, and a 2xx as ok', () => {
    expect(editorRequestRecord(request)).toEqual({
      at: '2025-03-07T08:00:00.000Z',
      id: '01JAUDIT',
      actor: 'iam:arn:aws:iam::123456789012:user/ed',
      action: 'POST /issues/:id/pause',
      target: '01JISSUE',
      outcome: { result: 'ok', status: 200 },
    });
  });

  it('records a 4xx as refused and a 5xx as failed, with the error code', () => {
    const refused = editorRequestRecord({ ...request, status: 409, code: 'issue-state' });
    const failed = editorRequestRecord({ ...request, status: 500, code: 'internal' });

    expect(refused.outcome).toEqual({ result: 'refused', status: 409, code: 'issue-state' });
    expect(failed.outcome).toEqual({ result: 'failed', status: 500, code: 'internal' });
  });

  it("takes the answer's id as the target when the route has no :id", () => {
    const drafted = editorRequestRecord({
      ...request,
      route: '/issues',
      params: {},
      status: 201,
      answerId: '01JNEW',
    });

    expect(drafted).toMatchObject({ action: 'POST /issues', target: '01JNEW' });
  });

  it("takes a link key's :kid as the target", () => {
    const retired = editorRequestRecord({
      ...request,
      route: '/keys/:kid/retire',
      params: { kid: 'sxk2lc' },
    });

    expect(retired).toMatchObject({ action: 'POST /keys/:kid/retire', target: 'sxk2lc' });
  });

  it('leaves out a target that looks like an address', () => {
    const record = editorRequestRecord({
      ...request,
      method: 'DELETE',
      route: '/subscribers/:id',
      params: { id: 'ada@example.com' },
    });

    expect(record).not.toHaveProperty('target');
    expect(JSON.stringify(record)).not.toContain('@');
  });
});

describe('routeParams', () => {
  it('reads the parameters from the end of the path, whatever the mount, decoded', () => {
    expect(routeParams('/issues/:id/pause', '/api/issues/01J%20X/pause')).toEqual({
      id: '01J X',
    });
    expect(routeParams('/subscribers/:id', '/subscribers/01JSUB/')).toEqual({ id: '01JSUB' });
    expect(routeParams('/issues', '/editor/issues')).toEqual({});
  });
});

describe('parseAuditSince', () => {
  it('reads a date as midnight UTC, a time without offset as UTC, and keeps an offset', () => {
    expect(parseAuditSince('2025-03-07')).toBe('2025-03-07T00:00:00.000Z');
    expect(parseAuditSince('2025-03-07T08:00')).toBe('2025-03-07T08:00:00.000Z');
    expect(parseAuditSince('2025-03-07T08:00:00+02:00')).toBe('2025-03-07T06:00:00.000Z');
  });

  it('refuses what is no ISO 8601 date or time', () => {
    for (const text of ['yesterday', '2025-13-45', '07/03/2025', '']) {
      expect(() => parseAuditSince(text), text).toThrow(RangeError);
    }
  });
});
