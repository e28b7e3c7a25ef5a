import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('URLs in logs', () => {
  it('masks secret-bearing query parameters and keeps the rest', () => {
    expect(redactUrl('/webhooks/meta?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=12')).toBe(
      '/webhooks/meta?hub.mode=subscribe&hub.verify_token=%5Bredacted%5D&hub.challenge=12',
    );
    expect(redactUrl('/webhooks/x?crc_token=abc&account=1')).not.toContain('abc');
    expect(redactUrl('/api/contacts?status=open')).toBe('/api/contacts?status=open');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
