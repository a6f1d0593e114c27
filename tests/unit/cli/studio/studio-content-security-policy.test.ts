import { describe, expect, it } from 'vitest';
import { studioContentSecurityPolicy } from '#cli/studio/studio-content-security-policy.ts';

describe('studioContentSecurityPolicy', () => {
  it('allows scripts and connections from the studio only, and forbids framing the studio', () => {
    const policy = studioContentSecurityPolicy('https://media.example.com');
    const directives = policy.split('; ');

    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("connect-src 'self'");
    expect(directives).toContain("frame-ancestors 'none'");
    expect(directives).toContain("form-action 'none'");
  });

  it('allows images from the folder of the media base URL, and data:', () => {
    expect(studioContentSecurityPolicy('http://127.0.0.1:8787/media')).toContain(
      "img-src 'self' data: http://127.0.0.1:8787/media/;",
    );
    expect(studioContentSecurityPolicy('https://d1.cloudfront.net')).toContain(
      "img-src 'self' data: https://d1.cloudfront.net/;",
    );
  });

  it('cannot be given another directive through the media base URL', () => {
    const policy = studioContentSecurityPolicy(
      "https://media.example.com/a;script-src 'unsafe-inline'",
    );

    expect(policy.split('; ').filter((directive) => directive.startsWith('script-src'))).toEqual([
      "script-src 'self'",
    ]);
  });
});
