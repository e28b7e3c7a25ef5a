// A provider's report on a reply (Twilio's "delivered") arriving while the send is being recorded:
// the report looked for the provider's id before the send had committed it, and joined the backlog
// after the send had looked there, so neither saw the other and the reply stayed "sent" for good.
// Report and send now take turns on the provider's id. PGlite runs one transaction at a time, so
// only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from './twilio-kit.ts';

const REPLY_SID = 'SM7e0a1c2e00004000800000000000aaaa';

describe.skipIf(ENGINE !== 'postgres')("a provider's report on a reply arriving while its send is recorded", () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: `${PUBLIC_URL}/webhooks/twilio/status` });
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const post = (path: string, body: string) => app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, body) }, payload: body });

  it('applies-the-report-once-whichever-commits-first', async () => {
    expect((await post('/webhooks/twilio/sms', withParams(fixture('inbound-sms.form'), { MessageSid: 'SMwhilesending', SmsSid: 'SMwhilesending', SmsMessageSid: 'SMwhilesending' }))).statusCode).toBe(200);
    const contactId = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'SMwhilesending').executeTakeFirstOrThrow(),
    );
    // The contact's acknowledgement goes first, under an id of its own.
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMack${String(n).padStart(29, '0')}` }));
    await app.runner?.runDue();
    const handler = await signIn(app, 'handler@demo.police.uk');
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId.contact_id}/replies`, headers: handler.headers, payload: { body: 'We will call you today.' } });
    expect(reply.statusCode).toBe(201);
    const messageId = reply.json<{ message: { id: string } }>().message.id;
    standIn.respondWith(201, { ...(JSON.parse(fixture('message-created.json')) as object), sid: REPLY_SID });

    // The send waits to take the backlog, its provider id written; the report then waits to add to it.
    const [, reported] = await heldTogether<Awaited<ReturnType<typeof post>> | null>(app, 'lock table delivery_status_backlog in share mode', [
      async () => {
        await app.runner?.runDue();
        return null;
      },
      () => post('/webhooks/twilio/status', withParams(fixture('status-delivered.form'), { MessageSid: REPLY_SID, SmsSid: REPLY_SID })),
    ]);
    expect(reported?.statusCode, reported?.body).toBe(200);

    const stored = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select(['provider_message_id', 'delivery_status']).where('id', '=', messageId).executeTakeFirstOrThrow());
    expect(stored).toEqual({ provider_message_id: REPLY_SID, delivery_status: 'delivered' });
    const statusEvents = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select('data').where('type', '=', 'message.delivery_status').where('subject_id', '=', contactId.contact_id).execute(),
    );
    expect(statusEvents.map((event) => event.data)).toEqual([{ messageId, status: 'delivered', reason: null }]);
  });
});
