import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.ts';

describe('URLs in logs', () => {
  it('masks secret-bearing query parameters and keeps the plain ones', () => {
    expect(redactUrl('/webhooks/meta?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=12')).toBe(
      '/webhooks/meta?hub.mode=subscribe&hub.verify_token=%5Bredacted%5D&hub.challenge=12',
    );
    expect(redactUrl('/webhooks/x?crc_token=abc&account=1')).not.toContain('abc');
    expect(redactUrl('/api/contacts?status=open')).toBe('/api/contacts?status=open');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });

  it('masks any parameter not known to be plain, however it is spelt or repeated', () => {
    expect(redactUrl('/api/contacts/search?q=07700+900123&limit=5')).toBe('/api/contacts/search?q=%5Bredacted%5D&limit=5');
    expect(redactUrl('/api/people?kind=phone&value=%2B447700900123')).toBe('/api/people?kind=phone&value=%5Bredacted%5D');
    expect(redactUrl('/api/x?Q=a&q=b&q=c&newField=jane')).not.toMatch(/=(a|b|c|jane)(&|$)/);
    expect(redactUrl('/api/x?STATUS=open')).toBe('/api/x?STATUS=open');
  });
});
