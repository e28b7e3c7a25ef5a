import { describe, expect, it } from 'vitest';
import { describeNetworkFailure } from './network-failure.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('describeNetworkFailure', () => {
  it('names undici’s bare fetch failure by its cause, in plain words', () => {
    const failed = new TypeError('fetch failed', { cause: withCode('getaddrinfo ENOTFOUND api.notifications.service.gov.uk', 'ENOTFOUND') });
    expect(failed.message).toBe('fetch failed');
    expect(describeNetworkFailure(failed)).toBe('address not found');
    expect(describeNetworkFailure(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe('connection failed');
  });

  it('names the outbound guard’s failed look-up and the sockets’ errors', () => {
    const lookup = new Error('could not resolve api.twilio.com: getaddrinfo EAI_AGAIN api.twilio.com', { cause: withCode('getaddrinfo EAI_AGAIN', 'EAI_AGAIN') });
    expect(describeNetworkFailure(lookup)).toBe('address not found');
    expect(describeNetworkFailure(withCode('connect ECONNREFUSED 10.0.0.1:443', 'ECONNREFUSED'))).toBe('connection refused');
    expect(describeNetworkFailure(withCode('socket hang up', 'ECONNRESET'))).toBe('connection dropped');
    expect(describeNetworkFailure(withCode('connect EHOSTUNREACH', 'EHOSTUNREACH'))).toBe('network unreachable');
    expect(describeNetworkFailure(withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('its certificate was not accepted');
    expect(describeNetworkFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe('no answer in time');
  });

  it('leaves-alone-what-is-not-a-network-failure', () => {
    expect(describeNetworkFailure(new Error('Twilio answered 401: 20003 Authenticate'))).toBeNull();
    expect(describeNetworkFailure(withCode('no such file', 'ENOENT'))).toBeNull();
    expect(describeNetworkFailure('a string')).toBeNull();
    expect(describeNetworkFailure(null)).toBeNull();
  });
});
