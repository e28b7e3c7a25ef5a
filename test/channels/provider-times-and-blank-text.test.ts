import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

// What a provider or a partner sends is checked where it is read: a GOV.UK Notify callback is never
// refused for a time nothing uses or can do without (a text's time that could not be one is not
// believed, its words are still taken), and a partner's report must hold text the portal would take.

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

  it('applies-a-receipt-whatever-its-times-say-since-none-is-used', async () => {
    for (const times of [{ created_at: 'yesterday' }, { created_at: '-271821-04-20T00:00:00.000Z' }, { completed_at: 'soon', sent_at: '1899-01-01T00:00:00Z' }, { created_at: undefined }]) {
      const response = await post('/webhooks/notify/status', 'demo-notify-token', { ...fixture('delivery-receipt-delivered.json'), ...times });
      expect(response.statusCode, JSON.stringify(times)).toBe(200);
    }
  });

  it('takes-a-received-text-whose-date_received-is-missing-or-not-a-time-its-words-stored', async () => {
    const base = fixture('received-text-message.json');
    for (const [index, dateReceived] of ['the year 3000', '2024-02-31T10:00:00.000000Z', null].entries()) {
      const words = `Someone is shouting outside number ${index + 1}`;
      const text = { ...base, id: `b8c6e8a4-0000-4000-8000-00000000bad${index}`, message: words, date_received: dateReceived };
      const response = await post('/webhooks/notify/inbound-sms', 'demo-notify-token', text);
      expect(response.statusCode, String(dateReceived)).toBe(200);
      const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('messages').select('body').where('body', '=', words).execute());
      expect(stored, String(dateReceived)).toHaveLength(1);
    }
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
