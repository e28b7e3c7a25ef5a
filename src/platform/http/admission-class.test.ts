import { describe, expect, it } from 'vitest';
import { classifyRequest } from './admission-class.ts';

describe('classifyRequest', () => {
  it('puts the portal, webhooks, chat sessions and anonymous API calls in the public queue', () => {
    expect(classifyRequest('POST', '/report/details', { hasSession: false })).toBe('public');
    expect(classifyRequest('GET', '/', { hasSession: false })).toBe('public');
    expect(classifyRequest('POST', '/webhooks/twilio/sms', { hasSession: false })).toBe('public');
    expect(classifyRequest('POST', '/chat/sessions', { hasSession: false })).toBe('public');
    expect(classifyRequest('GET', '/api/contacts', { hasSession: false })).toBe('public');
  });

  it('gives staff priority: signed-in API calls, the console and signing in', () => {
    expect(classifyRequest('GET', '/api/contacts', { hasSession: true })).toBe('staff');
    expect(classifyRequest('POST', '/api/contacts/x/replies', { hasSession: true })).toBe('staff');
    expect(classifyRequest('GET', '/console/', { hasSession: false })).toBe('staff');
    expect(classifyRequest('POST', '/api/auth/login', { hasSession: false })).toBe('staff');
  });

  it('gives an integration’s API call priority by its bearer token’s kind, as a session does', () => {
    expect(classifyRequest('POST', '/api/units/positions', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('staff');
    expect(classifyRequest('POST', '/api/integrations/records/cases', { hasSession: false, authorization: 'Bearer blrec_abc123' })).toBe('staff');
    // The scheme is not case-sensitive (RFC 9110), and spaces around the header do not matter.
    expect(classifyRequest('POST', '/api/units/positions', { hasSession: false, authorization: '  bearer   bltrk_abc123 ' })).toBe('staff');
  });

  it('keeps-other-authorization-headers-public: another scheme, another token, a bare scheme, or off the API', () => {
    for (const authorization of ['Basic bltrk_abc123', 'Bearer someone-elses-token', 'Bearer', 'Bearer ', 'Bearer bltrk_', 'Bearer bltrk_a extra', 'bltrk_abc123', 'Bearer xbltrk_abc']) {
      expect(classifyRequest('POST', '/api/units/positions', { hasSession: false, authorization }), authorization).toBe('public');
    }
    expect(classifyRequest('POST', '/webhooks/twilio/sms', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('public');
    expect(classifyRequest('POST', '/report/details', { hasSession: false, authorization: 'Bearer blrec_abc123' })).toBe('public');
    expect(classifyRequest('POST', '/apis/units/positions', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('public');
    // Only on the integrations' own routes: the generic API channel's partners send their own bearer
    // token, which may start like ours, and the rest of the API takes no integration token at all.
    expect(classifyRequest('POST', '/api/channels/api/messages', { hasSession: false, authorization: 'Bearer blrec_partner-chosen' })).toBe('public');
    expect(classifyRequest('GET', '/api/openapi.json', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('public');
    expect(classifyRequest('GET', '/api/contacts', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('public');
    expect(classifyRequest('POST', '/api/units/positions/x', { hasSession: false, authorization: 'Bearer bltrk_abc123' })).toBe('public');
  });

  it('never holds back probes, static files, preflights or sockets', () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/assets/fonts/a.woff2', '/portal-static/portal.css', '/chat/widget.js', '/chat/socket?key=1']) {
      expect(classifyRequest('GET', url, { hasSession: false }), url).toBe('exempt');
    }
    expect(classifyRequest('OPTIONS', '/chat/sessions', { hasSession: false })).toBe('exempt');
  });

  it('does not take a look-alike path for an exempt one', () => {
    expect(classifyRequest('GET', '/healthzz', { hasSession: false })).toBe('public');
    expect(classifyRequest('GET', '/apis', { hasSession: true })).toBe('public');
  });
});
