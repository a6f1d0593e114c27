import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readSpamAssassinReport, spamAssassinCheck } from '#adapters/spamassassin-check.ts';

const message = new TextEncoder().encode('Subject: Hello\r\n\r\nHello.\r\n');

/** The shape of what `spamassassin -t` prints: the message with its headers, then the report. */
const output = [
  'X-Spam-Checker-Version: SpamAssassin 4.0.1 (2024-03-25) on host',
  'X-Spam-Status: No, score=1.9 required=5.0 tests=EXAMPLE_LONG,',
  '\tEXAMPLE_NEGATIVE,EXAMPLE_SMALL autolearn=no version=4.0.1',
  'Subject: Hello',
  '',
  'Hello.',
  '',
  'Content analysis details:   (1.9 points, 5.0 required)',
  '',
  ' pts rule name              description',
  '---- ---------------------- --------------------------------------------------',
  '-0.1 EXAMPLE_NEGATIVE       A rule that speaks for the message',
  ' 1.5 EXAMPLE_LONG           BODY: A rule whose description runs onto',
  '                            a second line',
  ' 0.5 EXAMPLE_SMALL          A rule of little weight',
  '',
].join('\n');

describe('spamAssassinCheck', () => {
  it('leaves the check out with one info when spamassassin is not installed', async () => {
    const checks = await spamAssassinCheck(message, { command: '/nonexistent/bin/spamassassin' });

    expect(checks).toEqual([
      {
        rule: 'spamassassin',
        severity: 'info',
        message:
          'SpamAssassin is not installed (no spamassassin command): the spam check was left out.',
      },
    ]);
  });

  it('turns the report into findings: the score, then each rule by its points', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fake-spamassassin-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    await writeFile(join(folder, 'report.txt'), output);
    const command = join(folder, 'spamassassin');
    await writeFile(command, `#!/bin/sh\ncat >/dev/null\ncat "${join(folder, 'report.txt')}"\n`);
    await chmod(command, 0o755);

    const checks = await spamAssassinCheck(message, { command });

    expect(checks).toEqual([
      {
        rule: 'spamassassin',
        severity: 'info',
        message: 'SpamAssassin scores the message 1.9 (spam from 5.0; local tests only).',
      },
      {
        rule: 'spamassassin-EXAMPLE_NEGATIVE',
        severity: 'info',
        message: 'A rule that speaks for the message (-0.1 points).',
      },
      {
        rule: 'spamassassin-EXAMPLE_LONG',
        severity: 'warning',
        message: 'BODY: A rule whose description runs onto a second line (1.5 points).',
      },
      {
        rule: 'spamassassin-EXAMPLE_SMALL',
        severity: 'info',
        message: 'A rule of little weight (0.5 points).',
      },
    ]);
  });

  it('reports a command that fails as a warning', async () => {
    const checks = await spamAssassinCheck(message, { command: 'false' });

    expect(checks).toEqual([
      expect.objectContaining({ rule: 'spamassassin', severity: 'warning' }),
    ]);
  });
});

describe('readSpamAssassinReport', () => {
  it('reads the score, the threshold and each rule with its points', () => {
    expect(readSpamAssassinReport(output)).toEqual({
      score: 1.9,
      required: 5,
      rules: [
        {
          name: 'EXAMPLE_NEGATIVE',
          points: -0.1,
          description: 'A rule that speaks for the message',
        },
        {
          name: 'EXAMPLE_LONG',
          points: 1.5,
          description: 'BODY: A rule whose description runs onto a second line',
        },
        { name: 'EXAMPLE_SMALL', points: 0.5, description: 'A rule of little weight' },
      ],
    });
  });

  it('finds no report in output without one', () => {
    expect(readSpamAssassinReport('Subject: Hello\n\nHello.\n')).toBeUndefined();
  });
});
