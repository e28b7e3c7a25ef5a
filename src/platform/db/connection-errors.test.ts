import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './connection-errors.ts';
import { normaliseError } from '../http/normalise-error.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it('recognises a terminated backend, a shutdown, a server starting up and connection exceptions', () => {
    for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', 'ECONNRESET', 'ECONNREFUSED']) {
      expect(isConnectionLost(withCode(code)), code).toBe(true);
    }
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  });

  it('finds the connection error in a chain of causes', () => {
    expect(isConnectionLost(new Error('job failed', { cause: withCode('57P01') }))).toBe(true);
  });

  it('does-not-mistake-a-bad-statement-for-a-lost-connection', () => {
    for (const code of ['23505', '42P01', '40001', '22P02', '57014']) expect(isConnectionLost(withCode(code)), code).toBe(false);
    expect(isConnectionLost(new Error('provider said no'))).toBe(false);
    expect(isConnectionLost(null)).toBe(false);
    expect(isConnectionLost('Connection terminated unexpectedly')).toBe(false);
  });

  it('maps a lost connection to the unavailable code (503), anything else unknown to internal', () => {
    const lost = normaliseError(withCode('57P01', 'terminating connection due to administrator command'));
    expect(lost.code).toBe('unavailable');
    expect(lost.status).toBe(503);
    expect(lost.publicMessage).not.toContain('administrator');
    expect(normaliseError(new Error('boom')).code).toBe('internal');
  });

  it('answers-a-unique-violation-no-use-case-named-as-a-conflict-without-the-values-of-the-key', () => {
    const raced = normaliseError(Object.assign(withCode('23505', 'duplicate key value violates unique constraint "message_templates_key"'), { constraint: 'message_templates_key', detail: 'Key (key)=(x) already exists.' }));
    expect(raced.code).toBe('conflict');
    expect(raced.status).toBe(409);
    expect(raced.message).toContain('message_templates_key');
    expect(raced.publicMessage).toBe('Someone else made the same change at the same moment, so nothing of yours was saved. Reload the page and try again.');
    // Any other statement error is still ours to mend.
    expect(normaliseError(withCode('23503', 'violates foreign key constraint')).code).toBe('internal');
  });
});
