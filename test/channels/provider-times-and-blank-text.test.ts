import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

// What a provider or a partner sends is checked where it is read: a time GOV.UK Notify's callback
// format requires must be one (documented: `created_at` of a receipt and `date_received` of a text,
// such as 2017-05-14T12:15:30.000000Z), and a partner's report must hold text the portal would take.

const fixture = (name: string) => JSON.parse(readFileSync(`src/capabilities/channels/notify/fixtures/${name}`, 'utf8')) as Record<string, unknown>;
type ErrorBody = { error: { code: string; message: string } };

describe('times in GOV.UK Notify callbacks and the text of a partner report', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const post = (url: string, token: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

  it('refuses-a-receipt-whose-created_at-is-not-a-time-saying-so', async () => {
    for (const createdAt of ['yesterday', '2024-02-31T10:00:00.000000Z', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z']) {
      const response = await post('/webhooks/notify/status', 'demo-notify-token', { ...fixture('delivery-receipt-delivered.json'), created_at: createdAt });
      expect(response.statusCode, createdAt).toBe(400);
      expect(response.json<ErrorBody>().error.message).toContain('created_at: must be a UTC time');
    }
  });

  it('takes-a-receipt-whose-optional-times-are-bad-as-it-would-without-them', async () => {
    const response = await post('/webhooks/notify/status', 'demo-notify-token', { ...fixture('delivery-receipt-delivered.json'), completed_at: 'soon', sent_at: '1899-01-01T00:00:00Z' });
    expect(response.statusCode).toBe(200);
  });

  it('refuses-a-received-text-whose-date_received-is-not-a-time-saying-so', async () => {
    const text = { ...fixture('received-text-message.json'), id: 'b8c6e8a4-0000-4000-8000-00000000bad1' };
    const response = await post('/webhooks/notify/inbound-sms', 'demo-notify-token', { ...text, date_received: 'the year 3000' });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toContain('date_received: must be a UTC time');
    expect((await post('/webhooks/notify/inbound-sms', 'demo-notify-token', text)).statusCode).toBe(200);
  });

  it('refuses-a-partner-report-of-invisible-characters-as-blank', async () => {
    const report = (body: string, messageId: string) => post('/api/channels/api/messages', 'demo-api-token', { messageId, from: { externalId: 'partner-7' }, body });
    for (const [index, body] of ['\u200b\u200b\u200b', '\u200d \ufeff\u2060', ''].entries()) {
      const response = await report(body, `blank-${index}`);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json<ErrorBody>().error.message).toContain('body: must hold text, not only spaces or invisible characters');
    }
    expect((await report('\u200bSomeone is outside my door', 'shown-1')).statusCode).toBe(202);
  });
});
