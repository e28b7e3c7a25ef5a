// A handset sends its Advanced Mobile Location when the emergency call is dialled, so the fix
// often reaches the force before the telephony platform presents the call. Whichever comes first,
// the call and its fixes are one contact, and the call handler's screen shows where the caller is
// (decision 0092). The fix names no call, only when it was taken: it goes to the caller's call that
// began last at or before that, never to an earlier call of theirs still open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { z } from 'zod';
import { ENGINE, createDemoLikeForce } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import type { contactDetail } from '../../src/capabilities/contacts/contacts.schema.ts';
import { WEBHOOKS } from '../../src/capabilities/channels/registry.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { MINUTE, createRoutingWorld, type RoutingWorld } from '../routing/routing-kit.ts';

type Detail = z.infer<typeof contactDetail>;
const DEMO_SECRET = 'demo-telephony-secret';
const OTHER_SECRET = 'other-force-telephony-secret';
const headers = (secret: string) => ({ 'x-bluelamp-telephony-secret': secret, 'content-type': 'application/json' });

describe(`AML that arrives before its call (${ENGINE})`, () => {
  let w: RoutingWorld;
  let otherForceId: ForceId;
  beforeAll(async () => {
    w = await createRoutingWorld();
    ({ forceId: otherForceId } = await createDemoLikeForce(w.app));
    const phone = WEBHOOKS.find((mount) => mount.adapter.name === 'phone')?.adapter;
    if (!phone) throw new Error('no phone channel');
    await connectChannelAccount({ ...w.app.deps, secrets: new SecretBox(w.app.config.secretsKey) }, otherForceId, phone, {
      label: 'Other telephony platform',
      config: { secret: OTHER_SECRET },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(() => w.close());

  let fixes = 0;
  /** The HTTPS AML data set a handset sends, with a position of its own each time (unless given). */
  const amlOf = (number: string, lat = 51.4816 + (fixes += 1) / 10_000) => ({
    v: '1',
    emergency_number: '999',
    time: String(w.clock.now().getTime()),
    location_latitude: String(lat),
    location_longitude: '-3.1791',
    location_time: String(w.clock.now().getTime()),
    location_source: 'gps',
    location_accuracy: '15',
    device_number: number,
  });
  const callOf = (callId: string, number: string, event = 'offered') => ({
    callId,
    line: '999',
    callerNumber: number,
    calledNumber: '999',
    queue: 'Emergency',
    startedAt: w.clock.now().toISOString(),
    event,
    ...(event === 'answered' || event === 'ended' ? { answeredAt: w.clock.now().toISOString() } : {}),
    ...(event === 'ended' ? { endedAt: w.clock.now().toISOString() } : {}),
  });
  const post = async (path: 'aml' | 'calls', payload: object, secret = DEMO_SECRET) => {
    const response = await w.app.inject({ method: 'POST', url: `/webhooks/telephony/${path}`, headers: headers(secret), payload: JSON.stringify(payload) });
    expect(response.statusCode, response.body).toBe(200);
  };
  const aml = (number: string, payload: object = amlOf(number), secret = DEMO_SECRET) => post('aml', payload, secret);
  const call = (callId: string, number: string, event = 'offered', secret = DEMO_SECRET) => post('calls', callOf(callId, number, event), secret);
  /** A fix the handset took at `at` (its call began ten seconds before), whenever it is posted. */
  const fixAt = (number: string, at: Date, lat: number) => ({ ...amlOf(number, lat), time: String(at.getTime() - 10_000), location_time: String(at.getTime()) });
  /** The offer of a call that reached the platform at `startedAt`, whenever it is posted. */
  const callStarted = (callId: string, number: string, startedAt: Date, secret = DEMO_SECRET) =>
    post('calls', { ...callOf(callId, number), startedAt: startedAt.toISOString() }, secret);
  /** Where the contact's screen shows the caller, and the first words of each message. */
  const shown = async (contactId: string) => {
    const { contact, messages } = await detail(contactId);
    return { lat: contact.place?.lat ?? null, messages: messages.map((m) => m.body.split(':')[0]) };
  };

  /** The phone contacts of the caller, oldest first, as stored. */
  const contactsOf = (number: string) =>
    withSystem(w.app.database.db, (tx) =>
      tx
        .selectFrom('contacts')
        .select(['id', 'force_id', 'thread_key', 'status', 'summary', 'priority', 'queue_id'])
        .where('channel', '=', 'phone')
        .where(sql<boolean>`meta -> 'sender' ->> 'value' = ${number}`)
        .orderBy('received_at')
        .execute(),
    );
  /** What the console's contact (and call) screen reads. */
  const detail = async (contactId: string): Promise<Detail> => {
    const response = await w.get(w.handler, `/api/contacts/${contactId}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Detail>();
  };
  const onlyContactOf = async (number: string) => {
    const contacts = await contactsOf(number);
    expect(contacts, number).toHaveLength(1);
    return contacts[0] as (typeof contacts)[number];
  };

  it('puts a call presented after its AML into the AML\'s contact: the call screen shows the handset\'s position', async () => {
    const number = '+447700900201';
    const fix = amlOf(number, 51.5001);
    await aml(number, fix);
    w.clock.advance(20_000);
    for (const event of ['offered', 'answered', 'ended']) {
      await call('aml-first-1', number, event);
      w.clock.advance(30_000);
    }
    // A later fix joins the same call, as it always has.
    await aml(number, amlOf(number, 51.5002));

    const contact = await onlyContactOf(number);
    // The contact is the call's now: its later events, and its callback requests, find it.
    expect(contact.thread_key).toBe('call:aml-first-1');
    expect(contact.summary).toBe('999 call offered on queue Emergency from +447700900201');
    const { contact: shown, messages } = await detail(contact.id);
    expect(shown.place).toEqual({ lat: 51.5002, lon: -3.1791, radiusMetres: 15, source: 'aml', at: new Date(Number(fix.time) + 110_000).toISOString() });
    expect(messages.map((m) => m.body.split(':')[0])).toEqual([
      'AML location for 999 call from +447700900201',
      '999 call offered on queue Emergency from +447700900201',
      '999 call answered on queue Emergency',
      '999 call ended after 0s',
      'AML location for 999 call from +447700900201',
    ]);
    // A 999 call: the contact is as urgent as the call, in the queue a 999 call goes to.
    await call('aml-first-compare', '+447700900299');
    const callAlone = await onlyContactOf('+447700900299');
    expect(contact.priority).toBe(1);
    expect(contact.queue_id).toBe(callAlone.queue_id);
    // One contact received, and one event for each message after it: no second contact.
    const types = (await w.events(contact.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'contact.received')).toHaveLength(1);
    expect(types.filter((t) => t === 'contact.message_received')).toHaveLength(4);
    // The take-over is recorded once, when the call's first event arrives, naming the threads' kinds, not the number.
    const takenOver = (await w.events(contact.id)).filter((e) => e.type === 'contact.taken_over');
    expect(takenOver.map((e) => e.data)).toEqual([{ channel: 'phone', messageId: expect.any(String), from: 'aml', to: 'call' }]);
    expect(JSON.stringify(takenOver)).not.toContain(number);
    expect(types.indexOf('contact.taken_over')).toBeLessThan(types.lastIndexOf('contact.message_received'));
    const { timeline } = await detail(contact.id);
    expect(timeline.filter((entry) => entry.type === 'contact.taken_over').map((entry) => entry.summary)).toEqual([
      "The 999 call joined this contact: the handset's location came first",
    ]);
  });

  it('still shows the position before the call is answered, on the screen the call is offered to', async () => {
    const number = '+447700900202';
    await aml(number, amlOf(number, 52.6278));
    w.clock.advance(5_000);
    await call('aml-first-2', number);
    const { contact } = await detail((await onlyContactOf(number)).id);
    expect(contact.place).toMatchObject({ lat: 52.6278, lon: -3.1791, source: 'aml' });
    expect(contact.summary).toContain('999 call offered');
  });

  it('joins a call presented up to ten minutes after the handset\'s latest fix, and not a moment later', async () => {
    await aml('+447700900203');
    w.clock.advance(10 * MINUTE);
    await call('aml-window-in', '+447700900203');
    expect((await onlyContactOf('+447700900203')).thread_key).toBe('call:aml-window-in');

    await aml('+447700900204');
    w.clock.advance(10 * MINUTE + 1);
    await call('aml-window-out', '+447700900204');
    const [amlOnly, callOwn] = await contactsOf('+447700900204');
    expect(amlOnly?.thread_key).toBe('aml:+447700900204');
    expect(callOwn?.thread_key).toBe('call:aml-window-out');
    expect((await detail(callOwn?.id ?? '')).contact.place).toBeNull();

    // A call that never reached the force, then the caller dialling again: the new fix counts.
    await aml('+447700900209');
    w.clock.advance(30 * MINUTE);
    await aml('+447700900209');
    w.clock.advance(MINUTE);
    await call('aml-redialled', '+447700900209');
    const redialled = await onlyContactOf('+447700900209');
    expect(redialled.thread_key).toBe('call:aml-redialled');
    expect((await detail(redialled.id)).messages).toHaveLength(3);
  });

  it('triages a location whose call never arrives as the 999 contact it is, on the line the handset dialled', async () => {
    // The call dropped before the platform presented it: the handset's fix is all the force has.
    const number = '+447700900210';
    await aml(number);
    const alone = await onlyContactOf(number);
    expect(alone.priority).toBe(1);
    const { triage } = await detail(alone.id);
    expect(triage?.explanation.join(' ')).toContain('the 999 emergency line');

    await aml('+447700900211', { ...amlOf('+447700900211'), emergency_number: '112' });
    const { triage: dialled112 } = await detail((await onlyContactOf('+447700900211')).id);
    expect(dialled112?.explanation.join(' ')).toContain('the 112 emergency line');
  });

  it('never puts a second call into a contact that already holds a call', async () => {
    const number = '+447700900205';
    await aml(number);
    w.clock.advance(10_000);
    await call('aml-two-calls-1', number);
    w.clock.advance(60_000);
    await call('aml-two-calls-2', number);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => c.thread_key)).toEqual(['call:aml-two-calls-1', 'call:aml-two-calls-2']);
    expect((await detail(contacts[0]?.id ?? '')).messages).toHaveLength(2);
    expect((await detail(contacts[1]?.id ?? '')).messages).toHaveLength(1);
    // Only the first call took a contact over.
    expect((await w.events(contacts[0]?.id ?? '', 'contact.taken_over')).length).toBe(1);
    expect((await w.events(contacts[1]?.id ?? '', 'contact.taken_over')).length).toBe(0);
  });

  it('leaves a closed AML contact closed: the call is a contact of its own', async () => {
    const number = '+447700900206';
    await aml(number);
    const amlOnly = await onlyContactOf(number);
    const closed = await w.post(w.supervisor, `/api/contacts/${amlOnly.id}/close`, { outcome: 'no_further_action' });
    expect(closed.statusCode, closed.body).toBe(200);
    w.clock.advance(30_000);
    await call('aml-closed', number);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.thread_key, c.status])).toEqual([
      ['aml:+447700900206', 'closed'],
      ['call:aml-closed', 'open'],
    ]);
    for (const contact of contacts) expect(await w.events(contact.id, 'contact.taken_over')).toEqual([]);
  });

  it('never joins another force\'s AML, from the same number', async () => {
    const number = '+447700900207';
    await aml(number);
    w.clock.advance(10_000);
    await call('aml-other-force', number, 'offered', OTHER_SECRET);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.force_id, c.thread_key])).toEqual([
      [w.forceId, 'aml:+447700900207'],
      [otherForceId, 'call:aml-other-force'],
    ]);
  });

  it('stores a retried AML or call event once, whichever arrived first, and retries after the join add nothing', async () => {
    const number = '+447700900208';
    const fix = amlOf(number);
    await aml(number, fix);
    await aml(number, fix);
    w.clock.advance(10_000);
    await call('aml-retried', number);
    await call('aml-retried', number);
    await aml(number, fix);
    const contact = await onlyContactOf(number);
    expect(contact.thread_key).toBe('call:aml-retried');
    expect((await detail(contact.id)).messages).toHaveLength(2);
  });

  it('makes one contact when the AML and the call arrive at the same moment', async () => {
    for (let i = 0; i < 4; i += 1) {
      const number = `+4477009003${String(i).padStart(2, '0')}`;
      const fix = amlOf(number);
      await Promise.all([aml(number, fix), call(`aml-together-${i}`, number), aml(number, fix), call(`aml-together-${i}`, number)]);
      const contact = await onlyContactOf(number);
      expect(contact.thread_key).toBe(`call:aml-together-${i}`);
      expect((await detail(contact.id)).contact.place).toMatchObject({ source: 'aml' });
    }
  });
  it('gives the fix of a call just dialled to that call, not to the caller\'s earlier call still open', async () => {
    const number = '+447700900220';
    await callStarted('redial-1', number, w.clock.now());
    w.clock.advance(15_000);
    await aml(number, fixAt(number, w.clock.now(), 51.51));
    // The first call is over but its contact is still open (nobody has closed it), and the caller
    // dials 999 again: the handset's fix for the new call reaches the force before the call does.
    w.clock.advance(20 * MINUTE);
    const redialled = w.clock.now();
    w.clock.advance(12_000);
    await aml(number, fixAt(number, w.clock.now(), 51.52));
    w.clock.advance(8_000);
    await callStarted('redial-2', number, redialled);

    const [earlier, later] = await contactsOf(number);
    expect([earlier?.thread_key, later?.thread_key]).toEqual(['call:redial-1', 'call:redial-2']);
    // The new call's screen shows where the caller is now; the earlier call keeps its own fix.
    expect(await shown(later?.id ?? '')).toEqual({ lat: 51.52, messages: ['AML location for 999 call from +447700900220', '999 call offered on queue Emergency from +447700900220'] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.51, messages: ['999 call offered on queue Emergency from +447700900220', 'AML location for 999 call from +447700900220'] });
    // The new call took over its fix's contact as any call whose fix came first does.
    const { timeline } = await detail(later?.id ?? '');
    expect(timeline.filter((entry) => entry.type === 'contact.taken_over').map((entry) => entry.summary)).toEqual([
      "The 999 call joined this contact: the handset's location came first",
    ]);

    // The new call's next fix joins it, and not the earlier call.
    w.clock.advance(40_000);
    await aml(number, fixAt(number, w.clock.now(), 51.53));
    expect((await shown(later?.id ?? '')).lat).toBe(51.53);
    expect((await shown(earlier?.id ?? '')).messages).toHaveLength(2);
  });

  it('gives a late fix to the earlier of two open calls when it was taken before the later call began', async () => {
    const number = '+447700900221';
    await callStarted('both-open-1', number, w.clock.now());
    w.clock.advance(15_000);
    // Taken now, but held up in the network until after the caller's next call.
    const firstFix = fixAt(number, w.clock.now(), 52.01);
    w.clock.advance(MINUTE);
    await callStarted('both-open-2', number, w.clock.now());
    w.clock.advance(10_000);
    await aml(number, fixAt(number, w.clock.now(), 52.02));
    w.clock.advance(30_000);
    await aml(number, firstFix);

    const [first, second] = await contactsOf(number);
    expect(await shown(first?.id ?? '')).toEqual({ lat: 52.01, messages: ['999 call offered on queue Emergency from +447700900221', 'AML location for 999 call from +447700900221'] });
    expect(await shown(second?.id ?? '')).toEqual({ lat: 52.02, messages: ['999 call offered on queue Emergency from +447700900221', 'AML location for 999 call from +447700900221'] });
  });

  it('joins a call that began up to five minutes before the fix, and otherwise waits for the call to come', async () => {
    const inside = '+447700900222';
    const began = w.clock.now();
    await callStarted('fix-window-in', inside, began);
    w.clock.advance(5 * MINUTE);
    await aml(inside, fixAt(inside, w.clock.now(), 53.01));
    expect((await contactsOf(inside)).map((c) => c.thread_key)).toEqual(['call:fix-window-in']);

    const outside = '+447700900223';
    await callStarted('fix-window-out', outside, w.clock.now());
    w.clock.advance(5 * MINUTE + 1);
    await aml(outside, fixAt(outside, w.clock.now(), 53.02));
    expect((await contactsOf(outside)).map((c) => c.thread_key)).toEqual(['call:fix-window-out', 'aml:+447700900223']);
    // The call it was sent for takes it over when the platform presents it, as ever.
    w.clock.advance(20_000);
    await callStarted('fix-window-next', outside, new Date(w.clock.now().getTime() - 30_000));
    const [earlier, next] = await contactsOf(outside);
    expect([earlier?.thread_key, next?.thread_key]).toEqual(['call:fix-window-out', 'call:fix-window-next']);
    expect((await shown(next?.id ?? '')).lat).toBe(53.02);
    expect((await shown(earlier?.id ?? '')).lat).toBeNull();
  });

  it('takes a fix stamped later than it arrived, or not stamped at all, as taken when it arrived', async () => {
    // A handset whose clock is wrong: the fix cannot have been taken after it reached the force.
    const number = '+447700900224';
    await callStarted('fix-clock-ahead', number, w.clock.now());
    w.clock.advance(20_000);
    await aml(number, fixAt(number, new Date('2099-12-31T23:00:00Z'), 54.01));
    w.clock.advance(10_000);
    const { time: _time, location_time: _locationTime, ...unstamped } = fixAt(number, w.clock.now(), 54.02);
    await aml(number, unstamped);
    const contact = await onlyContactOf(number);
    expect(await shown(contact.id)).toEqual({
      lat: 54.02,
      messages: ['999 call offered on queue Emergency from +447700900224', 'AML location for 999 call from +447700900224', 'AML location for 999 call from +447700900224'],
    });
  });

  it('never gives a fix to another force\'s call from the same number, begun just before it', async () => {
    const number = '+447700900225';
    await callStarted('fix-other-force', number, w.clock.now(), OTHER_SECRET);
    w.clock.advance(10_000);
    await aml(number, fixAt(number, w.clock.now(), 55.01));
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.force_id, c.thread_key])).toEqual([
      [otherForceId, 'call:fix-other-force'],
      [w.forceId, 'aml:+447700900225'],
    ]);
    // The other force's fix from that handset is its own call's.
    await aml(number, fixAt(number, w.clock.now(), 55.02), OTHER_SECRET);
    const messages = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('messages').select(['contact_id', 'force_id']).where('contact_id', 'in', contacts.map((c) => c.id)).orderBy('created_at').execute(),
    );
    expect(messages.map((m) => [m.force_id, m.contact_id])).toEqual([
      [otherForceId, contacts[0]?.id],
      [w.forceId, contacts[1]?.id],
      [otherForceId, contacts[0]?.id],
    ]);
  });
});
