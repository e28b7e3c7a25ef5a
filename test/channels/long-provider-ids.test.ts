import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from './twilio-kit.ts';

// A provider's ids are keys: of a message (its idempotency), of a thread, of a sender, of a status
// for a message we sent. PostgreSQL keeps an index entry of at most about 2.7 kB, so a signed
// request naming an id longer than any provider issues (a broken or hostile client's) is still
// stored under a key of bounded length, the same key each time it is sent, never a 500.

describe(`provider ids too long to be index keys (${ENGINE})`, () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (path: string, form: string) =>
    app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form) }, payload: form });
  const storedIds = (body: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select('provider_message_id').where('body', '=', body).execute());

  it('stores-a-text-with-a-message-id-of-20000-characters-once-under-a-bounded-key', async () => {
    // Random, so it does not compress below the limit as a repeated character would.
    const common = randomBytes(450).toString('base64url');
    const sids = [`SM${common}${randomBytes(15_000).toString('base64url')}`, `SM${common}${randomBytes(15_000).toString('base64url')}`];
    for (const [n, sid] of sids.entries()) {
      const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, Body: `A text with a long id ${n}` });
      for (let i = 0; i < 2; i += 1) {
        const response = await post('/webhooks/twilio/sms', form);
        expect(response.statusCode, response.body).toBe(200);
      }
    }
    // Once each, however often sent, and two ids alike for their first 400 characters are two messages.
    const [first, second] = await Promise.all([storedIds('A text with a long id 0'), storedIds('A text with a long id 1')]);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    for (const { provider_message_id: id } of [...first, ...second]) expect(id?.length).toBeLessThanOrEqual(512);
    expect(first[0]?.provider_message_id).not.toBe(second[0]?.provider_message_id);
  });

  it('takes-a-delivery-status-for-a-message-id-of-20000-characters', async () => {
    const sid = `SM${randomBytes(15_000).toString('base64url')}`;
    const form = withParams(fixture('status-delivered.form'), { MessageSid: sid, SmsSid: sid });
    const response = await post('/webhooks/twilio/status', form);
    expect(response.statusCode, response.body).toBe(200);
  });
});
