import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import { MailerPool } from '../../../platform/mail/mailer.ts';
import { systemClock } from '../../../platform/clock.ts';
import { ChannelSendError, type RawInbound } from '../channel.ts';
import { SECRET_HEADER, telephonyChannel } from './telephony.channel.ts';

const CALLS = '/webhooks/telephony/calls';
const AML = '/webhooks/telephony/aml';
const SECRET = 'demo-telephony-secret';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const json = { [SECRET_HEADER]: SECRET, 'content-type': 'application/json' };
const formHeaders = { [SECRET_HEADER]: SECRET, 'content-type': 'application/x-www-form-urlencoded' };

const call = (overrides: Record<string, unknown> = {}) => ({
  ...(JSON.parse(fixture('call-999-offered.json')) as Record<string, unknown>),
  ...overrides,
});

type StoredMessage = { contact_id: string; body: string; meta: { [key: string]: unknown }; provider_message_id: string | null };

describe('phone channel (telephony platform and AML)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { jobRetryBaseMs: 1 } });
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = json) =>
    app.inject({ method: 'POST', url, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

  const messagesWhere = (providerIds: string[]) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages')
        .select(['contact_id', 'body', 'meta', 'provider_message_id'])
        .where('channel', '=', 'phone')
        .where('provider_message_id', 'in', providerIds)
        .orderBy('created_at')
        .execute(),
    ) as Promise<StoredMessage[]>;

  const countPhoneMessages = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select('id').where('channel', '=', 'phone').execute()).then(
      (rows) => rows.length,
    );

  it('turns every event of one 999 call into one contact on the phone channel, marked as 999', async () => {
    for (const name of ['call-999-offered.json', 'call-999-answered.json', 'call-999-ended.json']) {
      const response = await post(CALLS, fixture(name));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ok: true, accepted: 1 });
    }
    const id = 'c0a8e2f4-7d1b-4e55-9b0e-3f2d6a1c9e01';
    const rows = await messagesWhere([`${id}:offered`, `${id}:answered`, `${id}:ended`]);
    expect(rows.map((r) => r.body)).toEqual([
      '999 call offered on queue Emergency from +447700900123',
      '999 call answered on queue Emergency',
      '999 call ended after 3m 12s\nNotes: Caller reports a break-in in progress; units dispatched',
    ]);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(1);
    expect(rows[0]?.meta).toMatchObject({ line: '999', callId: id, event: 'offered', queue: 'Emergency', calledNumber: '999' });

    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${rows[0]?.contact_id ?? ''}`, headers: handler.headers });
    const body = detail.json<{ contact: { channel: string; summary: string }; messages: unknown[] }>();
    expect(body.contact).toMatchObject({ channel: 'phone', summary: '999 call offered on queue Emergency from +447700900123' });
    expect(body.messages).toHaveLength(3);
    const contact = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select(['thread_key', 'meta']).where('id', '=', rows[0]?.contact_id ?? '').executeTakeFirstOrThrow(),
    );
    expect(contact.thread_key).toBe(`call:${id}`);
    expect(contact.meta).toMatchObject({ line: '999', sender: { kind: 'phone', value: '+447700900123' } });
  });

  it('knows the caller across calls: one person, and a new call is a new contact', async () => {
    await post(CALLS, call({ callId: 'person-call-1', callerNumber: '07700 900777' }));
    await post(CALLS, call({ callId: 'person-call-2', callerNumber: '+44 7700 900777', line: '101', calledNumber: '101' }));
    const rows = await messagesWhere(['person-call-1:offered', 'person-call-2:offered']);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(2);
    const people = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select('person_id').where('id', 'in', rows.map((r) => r.contact_id)).execute(),
    );
    expect(new Set(people.map((p) => p.person_id)).size).toBe(1);
    expect(rows[1]?.body).toBe('101 call offered on queue Emergency from +447700900777');
  });

  it('records a callback request as a callback task on the message', async () => {
    const response = await post(CALLS, fixture('call-101-callback.json'));
    expect(response.statusCode).toBe(200);
    const [row] = await messagesWhere(['b7f1d9a2-3c44-4f0e-8d6a-5e9b2c7a1f10:callback_requested']);
    expect(row?.body).toBe('Caller asked to be called back on +441632960001');
    expect(row?.meta).toMatchObject({ line: '101', callbackRequested: true, callbackNumber: '+441632960001', callerNumber: '+447700900456' });
    // The request becomes a callback: a contact of its own, with its own clock, pointing at the call.
    const callbacks = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select(['id', 'meta', 'queue_id']).where('channel', '=', 'callback').execute(),
    );
    const callback = callbacks.find((c) => c.meta.callbackFor === row?.contact_id);
    expect(callback?.meta).toMatchObject({ callbackNumber: '+441632960001' });
    expect(callback?.queue_id).toBeTruthy();
    const clocks = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('sla_clocks').select(['kind', 'stopped_at']).where('contact_id', '=', callback?.id ?? '').execute(),
    );
    expect(clocks.map((k) => k.kind).sort()).toEqual(['first_response', 'resolution']);
    expect(clocks.every((k) => k.stopped_at === null)).toBe(true);
  });

  it('stores-one-message-however-many-concurrent-retries', async () => {
    const payload = call({ callId: 'retried-call' });
    const responses = await Promise.all(Array.from({ length: 15 }, () => post(CALLS, payload)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 15 }, () => 200));
    expect(await messagesWhere(['retried-call:offered'])).toHaveLength(1);
  });

  it('refuses-a-missing-or-wrong-secret-as-401-with-the-reason-storing-nothing', async () => {
    const before = await countPhoneMessages();
    const reasonOf = (response: { json: <T>() => T }) => response.json<{ error: { code: string; message: string } }>().error;
    const missing = await post(CALLS, call({ callId: 'unsigned' }), { 'content-type': 'application/json' });
    expect(missing.statusCode).toBe(401);
    expect(reasonOf(missing)).toEqual({ code: 'unauthenticated', message: 'No telephony secret: send it in the x-bluelamp-telephony-secret header' });
    // A secret no account has is a wrong secret: the same answer, which says nothing of which secrets exist.
    const wrong = await post(CALLS, call({ callId: 'unsigned' }), { ...json, [SECRET_HEADER]: 'not-the-telephony-secret' });
    expect(wrong.statusCode).toBe(401);
    expect(reasonOf(wrong)).toEqual({ code: 'unauthenticated', message: 'Wrong telephony secret' });
    // 4xx, not 5xx: the platform does not retry it.
    expect((await post(AML, fixture('aml-https-uk.form'), { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(401);
    expect(await countPhoneMessages()).toBe(before);
  });

  it('verifies the secret in constant time against the stored configuration', () => {
    const request = (secret: string | null): RawInbound => ({
      method: 'POST',
      url: `http://localhost${CALLS}`,
      path: CALLS,
      query: {},
      headers: secret === null ? {} : { [SECRET_HEADER]: secret },
      rawBody: Buffer.alloc(0),
      receivedAt: new Date(),
    });
    const config = { secret: SECRET };
    expect(telephonyChannel.verify(request(SECRET), config)).toEqual({ ok: true });
    expect(telephonyChannel.verify(request(`${SECRET}x`), config)).toEqual({ ok: false, reason: 'Wrong telephony secret' });
    expect(telephonyChannel.verify(request(null), config).ok).toBe(false);
    expect(telephonyChannel.identifyAccount(request(SECRET))).toBe(telephonyChannel.accountKeyOf(config));
    expect(telephonyChannel.identifyAccount(request(null))).toBeNull();
  });

  it('refuses malformed, mistyped and oversized call records with a 4xx, and ignores unknown events', async () => {
    const before = await countPhoneMessages();
    expect((await post(CALLS, '{"callId": ')).statusCode).toBe(400);
    expect((await post(CALLS, '[]')).statusCode).toBe(400);
    expect((await post(CALLS, call({ callerNumber: 'not a number' }))).statusCode).toBe(400);
    expect((await post(CALLS, call({ line: '112' }))).statusCode).toBe(400);
    // A time that is no time is not a reason (decision 0172): only a time that is not text at all is.
    expect((await post(CALLS, call({ startedAt: 20250314 }))).statusCode).toBe(400);
    expect((await post(CALLS, call({ event: 'answered' }))).statusCode).toBe(400); // no answeredAt
    expect((await post(CALLS, call({ admin: true }))).statusCode).toBe(400);
    expect((await post(CALLS, call({ callId: 'has spaces' }))).statusCode).toBe(400);
    expect((await post(CALLS, 'callId=1', { ...json, 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    expect((await post(CALLS, call({ notes: 'x'.repeat(1_100_000) }))).statusCode).toBe(413);

    const unknown = await post(CALLS, call({ callId: 'transferred-call', event: 'transferred' }));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ ok: true, accepted: 0 });
    expect(await countPhoneMessages()).toBe(before);

    const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select('error').where('channel', '=', 'phone').where('status', '=', 'rejected').execute(),
    );
    expect(rejected.length).toBeGreaterThanOrEqual(7);
  });

  it('takes the standard HTTPS AML form, keeping only the last four digits of IMEI and IMSI', async () => {
    const raw = fixture('aml-https-uk.form');
    const response = await post(AML, raw, formHeaders);
    expect(response.statusCode).toBe(200);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['m.body', 'm.meta', 'm.provider_message_id', 'c.thread_key', 'c.meta as contact_meta'])
        .where('m.channel', '=', 'phone')
        .where('c.thread_key', '=', 'aml:+447477593102')
        .execute(),
    );
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.body).toBe('AML location for +447477593102: 55.85732, -4.26325 (±10.4 m, GPS) at 2016-10-11T12:37:24.435Z');
    expect(row?.meta).toEqual({
      deviceNumber: '+447477593102',
      // Sent only when an emergency call is dialled: the line it came in on.
      line: '999',
      aml: {
        transport: 'https',
        lat: 55.85732,
        lon: -4.26325,
        radiusMetres: 10.4,
        time: '2016-10-11T12:37:24.435Z',
        callStartedAt: null,
        positioningMethod: 'gps',
        confidencePercent: 83,
        emergencyNumber: null,
        imeiLast4: '9116',
        imsiLast4: '7582',
        networkMcc: '234',
        networkMnc: '15',
      },
      // The operator sees the fix as a place; the description is the system's, not the caller's words.
      place: { lat: 55.85732, lon: -4.26325, radiusMetres: 10.4, source: 'aml', at: '2016-10-11T12:37:24.435Z' },
      writtenBy: 'channel',
      // How it was matched to a call, for a call that reaches us after it (decision 0120): never the number.
      joinedBy: { threadKind: 'call', at: '2016-10-11T12:37:24.435Z', begunAt: null, withinMinutes: 5, toleranceSeconds: 60, readsBeforeMinutes: 10 },
    });
    expect(row?.contact_meta).not.toHaveProperty('joinedBy');
    const stored = JSON.stringify([row?.body, row?.meta, row?.contact_meta]);
    expect(stored).not.toContain('354773072099116');
    expect(stored).not.toContain('234159176307582');
    // The same AML relayed again (or as JSON with the same values) is the same message.
    const asJson = Object.fromEntries(new URLSearchParams(raw));
    expect((await post(AML, raw, formHeaders)).statusCode).toBe(200);
    expect((await post(AML, asJson)).statusCode).toBe(200);
    expect(await messagesWhere([row?.provider_message_id ?? ''])).toHaveLength(1);
  });

  it('takes the Google ELS HTTPS data set as JSON', async () => {
    expect((await post(AML, fixture('aml-https-els.json'))).statusCode).toBe(200);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['body', 'meta']).where('channel', '=', 'phone').where('body', 'like', 'AML location for 911 call%').execute(),
    );
    expect(rows.map((r) => r.body)).toEqual(['AML location for 911 call from +447700900123: 37.4217845, -122.0847413 (±20 m, GPS) at 2015-07-28T16:56:40.123Z']);
  });

  it('takes SMS AML relayed by the platform, with the sender as the device number, and joins the caller\'s AML thread', async () => {
    const first = await post(AML, { sms: fixture('aml-sms-els-no-location.txt'), from: '07700 900999', receivedAt: '2022-01-31T17:37:40Z' });
    expect(first.statusCode).toBe(200);
    const second = await post(AML, { sms: fixture('aml-sms-els-located.txt'), from: '+447700900999' });
    expect(second.statusCode).toBe(200);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['m.body', 'm.meta', 'm.contact_id'])
        .where('c.thread_key', '=', 'aml:+447700900999')
        .orderBy('m.created_at')
        .execute(),
    );
    expect(rows.map((r) => r.body)).toEqual([
      'AML from +447700900999: the handset could not determine its location at 2022-01-31T17:37:34Z',
      'AML location for +447700900999: 51.53321, -0.12601 (±14 m, Wi-Fi) at 2022-01-31T17:17:48Z',
    ]);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(1);
    expect(rows[0]?.meta).toMatchObject({ aml: { transport: 'sms', lat: null, lon: null, positioningMethod: 'none', imeiLast4: '2345' } });
  });

  it('attaches AML to the caller\'s open 999 call that began before the fix', async () => {
    const callId = 'aa11bb22-0000-4000-8000-000000000555';
    // The fixture's fix was taken at 2022-01-31T17:17:48Z (`top`), 18 seconds into its call.
    expect((await post(CALLS, call({ callId, callerNumber: '+447700900555', startedAt: '2022-01-31T17:17:30Z' }))).statusCode).toBe(200);
    expect((await post(AML, { sms: fixture('aml-sms-els-located.txt'), from: '07700 900555' })).statusCode).toBe(200);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['m.body', 'c.thread_key'])
        .where('c.thread_key', '=', `call:${callId}`)
        .orderBy('m.created_at')
        .execute(),
    );
    expect(rows.map((r) => r.body)).toEqual([
      '999 call offered on queue Emergency from +447700900555',
      'AML location for +447700900555: 51.53321, -0.12601 (±14 m, Wi-Fi) at 2022-01-31T17:17:48Z',
    ]);
  });

  it('refuses malformed AML with 400 and other content types with 415', async () => {
    const before = await countPhoneMessages();
    const bad = (sms: string) => post(AML, { sms, from: '+447700900123' });
    expect((await bad('A"ML=1;lt=+95.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=W')).statusCode).toBe(400);
    expect((await bad('A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=Q')).statusCode).toBe(400);
    expect((await bad('Hello, I need help')).statusCode).toBe(400);
    expect((await post(AML, { sms: fixture('aml-sms-etsi.txt') })).statusCode).toBe(400); // no sender
    expect((await post(AML, 'device_number=%2B447477593102&location_latitude=55.8&location_longitude=200', formHeaders)).statusCode).toBe(400);
    expect((await post(AML, 'location_latitude=55.8&location_longitude=-4.2', formHeaders)).statusCode).toBe(400); // no device
    expect((await post(AML, { device_number: '+447477593102', location_latitude: { $gt: 0 } })).statusCode).toBe(400);
    expect((await post(AML, '{"sms": ')).statusCode).toBe(400);
    expect((await post(AML, fixture('aml-sms-etsi.txt'), { ...json, 'content-type': 'text/plain' })).statusCode).toBe(415);
    // The fix's time decides which call it joins: one that is not a time is refused with the reason, never a 500.
    const reasonOf = async (response: Promise<{ statusCode: number; json: <T>() => T }>) => {
      const answered = await response;
      return [answered.statusCode, answered.json<{ error: { message: string } }>().error.message];
    };
    expect(await reasonOf(bad('A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=99991231235959;lc=90;pm=W'))).toEqual([400, 'malformed AML: top is not a time from 2000 to 2099']);
    expect(await reasonOf(bad('A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=2013-07-17;lc=90;pm=W'))).toEqual([400, 'malformed AML: top is not yyyyMMddHHmmss: 2013-07-17']);
    expect(await reasonOf(post(AML, { device_number: '+447477593102', location_latitude: '55.8', location_longitude: '-4.2', location_time: '-1476189444435' }))).toEqual([
      400,
      'malformed AML: location_time is not a time in milliseconds: -1476189444435',
    ]);
    expect(await reasonOf(post(AML, { device_number: '+447477593102', location_latitude: '55.8', location_longitude: '-4.2', time: 1e300 }))).toEqual([
      400,
      'malformed AML: time is not a time in milliseconds: 1e+300',
    ]);
    expect(await countPhoneMessages()).toBe(before);
  });

  it('never sends a text reply: the operator sees that calls are answered by calling back', async () => {
    await post(CALLS, call({ callId: 'reply-call' }));
    const [row] = await messagesWhere(['reply-call:offered']);
    const handler = await signIn(app, 'handler@demo.police.uk');
    const reply = await app.inject({
      method: 'POST',
      url: `/api/contacts/${row?.contact_id ?? ''}/replies`,
      headers: handler.headers,
      payload: { body: 'We will call you back.' },
    });
    // Refused with the reason, before anything is stored or any clock stops.
    expect(reply.statusCode).toBe(409);
    expect(reply.json<{ error: { message: string } }>().error.message).toMatch(/call the person back/);
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${row?.contact_id ?? ''}`, headers: handler.headers });
    const shown = detail.json<{ contact: { canReplyInWriting: boolean }; messages: { body: string }[] }>();
    expect(shown.contact.canReplyInWriting).toBe(false);
    expect(shown.messages.find((m) => m.body === 'We will call you back.')).toBeUndefined();
  });

  it('send fails permanently without touching the network', async () => {
    const fetcher = vi.fn<typeof fetch>();
    const attempt = telephonyChannel.send(
      {
        body: 'hello',
        recipient: { kind: 'phone', value: '+447700900123' },
        threadKey: 'call:x',
        replyToProviderMessageId: 'x:offered',
        reference: 'C-1',
        contactMeta: {},
        idempotencyKey: 'k',
      },
      { secret: SECRET },
      { fetch: fetcher, mailers: new MailerPool(), approvedAddresses: new Map(), clock: systemClock },
    );
    await expect(attempt).rejects.toThrow(ChannelSendError);
    await expect(attempt).rejects.toMatchObject({ isPermanent: true });
    expect(fetcher).not.toHaveBeenCalled();
  });
});
