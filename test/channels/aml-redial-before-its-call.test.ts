// A caller whose earlier call is still open (its `ended` never reached us, or nobody closed it)
// dials again, and the handset's fix for the new call reaches us before the platform presents the
// call: nothing yet says another call has begun, so the fix joins the earlier call. When the new
// call's first event arrives, a fix that by its own times is the new call's is copied onto it, so
// the operator on the new call sees the position; the earlier call keeps it, and its history says
// whose it is. A fix the earlier call could have made stays only there (decision 0120).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { storeRejectedRequest } from '../../src/capabilities/channels/inbound-requests.service.ts';
import { MINUTE, type RoutingWorld } from '../routing/routing-kit.ts';
import { SECOND, OFFERED, ANSWERED, FIX, amlKit, amlWorld } from './aml-kit.ts';

const OTHER_SECRET = 'other-force-telephony-secret-0120';

describe(`AML of a redial that reaches us before the redial's call (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    ({ w } = await amlWorld(OTHER_SECRET));
  });
  afterAll(() => w.close());
  const { now, plus, send, elsForm, postEls, smsBody, postSms, callEvent, unendedCall, contactsOf, shown } = amlKit(() => w);

  it('gives the new call the SMS fix that came before it, and the earlier call says where it went', async () => {
    const number = '+447700900701';
    const first = now();
    await unendedCall('redial-a-1', number, first);
    w.clock.advance(12 * SECOND);
    await postSms(number, now(), 51.1);
    // The `ended` is lost; two minutes on, the caller dials again and the fix comes before the call.
    w.clock.advance(2 * MINUTE);
    const redial = now();
    w.clock.advance(12 * SECOND);
    await postSms(number, now(), 51.2);
    w.clock.advance(15 * SECOND);
    await callEvent('redial-a-2', number, 'offered', { startedAt: plus(redial, 20 * SECOND) });

    const [earlier, newer, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:redial-a-1', 'call:redial-a-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.2, messages: [FIX, OFFERED] });
    // Nothing leaves the earlier call's screen.
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.2, messages: [OFFERED, ANSWERED, FIX, FIX] });
    const copied = await w.events(earlier?.id ?? '', 'contact.message_copied');
    expect(copied.map((e) => e.data)).toEqual([{ channel: 'phone', messageId: expect.any(String), toContactId: newer?.id }]);
    expect(JSON.stringify(copied)).not.toContain(number);
    // The call began its contact (`contact.received`); the copy arrives on it as one message.
    expect((await w.events(newer?.id ?? '', 'contact.message_received')).map((e) => e.data)).toEqual([{ channel: 'phone', messageId: expect.any(String) }]);
    const detail = await w.get(w.handler, `/api/contacts/${earlier?.id ?? ''}`);
    const timeline = detail.json<{ timeline: { type: string; summary: string }[] }>().timeline;
    expect(timeline.filter((entry) => entry.type === 'contact.message_copied').map((entry) => entry.summary)).toEqual([
      "The caller's newer call was given this location: it was fixed after that call was dialled",
    ]);

    // A retry of the fix is stored once, and the call's next event copies nothing again.
    w.clock.advance(5 * SECOND);
    await postSms(number, plus(redial, 12 * SECOND), 51.2);
    await callEvent('redial-a-2', number, 'answered', { startedAt: plus(redial, 20 * SECOND) });
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.2, messages: [FIX, OFFERED, ANSWERED] });
    expect((await shown(earlier?.id ?? '')).messages).toEqual([OFFERED, ANSWERED, FIX, FIX]);
  });

  it('does the same for an ELS fix, whose `time` says when the new call was dialled', async () => {
    const number = '+447700900702';
    const first = now();
    await unendedCall('redial-b-1', number, first);
    w.clock.advance(3 * MINUTE);
    const redial = now();
    w.clock.advance(10 * SECOND);
    await postEls(number, redial, now(), 51.3);
    w.clock.advance(20 * SECOND);
    await callEvent('redial-b-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });
    const [earlier, newer] = await contactsOf(number);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.3, messages: [FIX, OFFERED] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.3, messages: [OFFERED, ANSWERED, FIX] });
  });

  it('gives the redial the SMS fix that came before it when the earlier call ended less than a minute before', async () => {
    const number = '+447700900706';
    const first = now();
    w.clock.advance(40 * SECOND);
    const ended = now();
    await callEvent('redial-e-1', number, 'offered', { startedAt: first });
    await callEvent('redial-e-1', number, 'answered', { startedAt: first });
    await callEvent('redial-e-1', number, 'ended', { startedAt: first, endedAt: ended });
    w.clock.advance(20 * SECOND);
    const redial = now();
    w.clock.advance(15 * SECOND);
    await postSms(number, now(), 51.7);
    w.clock.advance(15 * SECOND);
    await callEvent('redial-e-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });
    const [earlier, newer] = await contactsOf(number);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:redial-e-1', 'call:redial-e-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.7, messages: [FIX, OFFERED] });
    expect((await w.events(earlier?.id ?? '', 'contact.message_copied')).length).toBe(1);
  });

  it('gives a redial that takes over the AML contact a later fix began both that fix and the copy of the one that came first', async () => {
    const number = '+447700900707';
    const first = now();
    await unendedCall('redial-f-1', number, first);
    // Four and a half minutes on (the `ended` lost), the caller dials again. The first fix, within
    // five minutes of the earlier call's start, joins that call; the second, just after, is too
    // long after it and begins the caller's AML contact. The platform presents the call after both.
    w.clock.advance(4 * MINUTE + 30 * SECOND);
    const redial = now();
    w.clock.advance(15 * SECOND);
    await postEls(number, redial, plus(now(), -5 * SECOND), 51.81);
    w.clock.advance(35 * SECOND);
    await postSms(number, plus(now(), -5 * SECOND), 51.82);
    const [, held] = await contactsOf(number);
    expect(held?.thread_key).toBe(`aml:${number}`);
    w.clock.advance(10 * SECOND);
    await callEvent('redial-f-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });

    const [earlier, newer, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    // The call took the AML contact over (the same contact, now the call's) and was given the copy.
    expect([earlier?.thread_key, newer?.id, newer?.thread_key]).toEqual(['call:redial-f-1', held?.id, 'call:redial-f-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.82, messages: [FIX, FIX, OFFERED] });
    expect((await w.events(newer?.id ?? '', 'contact.taken_over')).length).toBe(1);
    // Its first fix began it (`contact.received`); the call's record and the copy arrive as one message each.
    const received = (await w.events(newer?.id ?? '')).filter((e) => e.type === 'contact.received' || e.type === 'contact.message_received');
    expect(received.map((e) => e.type)).toEqual(['contact.received', 'contact.message_received', 'contact.message_received']);
    // The earlier call keeps its position, and says once where it went.
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.81, messages: [OFFERED, ANSWERED, FIX] });
    const copied = await w.events(earlier?.id ?? '', 'contact.message_copied');
    expect(copied.map((e) => e.data)).toEqual([{ channel: 'phone', messageId: expect.any(String), toContactId: newer?.id }]);

    // The call's next event, and the fixes' retries, copy and move nothing.
    w.clock.advance(5 * SECOND);
    await callEvent('redial-f-2', number, 'answered', { startedAt: plus(redial, 25 * SECOND) });
    await postEls(number, redial, plus(redial, 10 * SECOND), 51.81);
    await postSms(number, plus(redial, 45 * SECOND), 51.82);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.82, messages: [FIX, FIX, OFFERED, ANSWERED] });
    expect((await shown(earlier?.id ?? '')).messages).toEqual([OFFERED, ANSWERED, FIX]);
    expect((await w.events(earlier?.id ?? '', 'contact.message_copied')).length).toBe(1);
  });

  it('matches a fix again with the rule that joined it: one that reads minutes early goes to the latest call begun when it reached us', async () => {
    const number = '+447700900708';
    const first = now();
    await unendedCall('redial-g-1', number, first);
    // The call drops; the caller dials again a minute on, from a handset whose clock is three
    // minutes behind. The platform has begun the new call when its fix reaches us, but presents
    // it only after: the fix reads too early for any call by its own time, so it joins the call
    // that had begun when it reached us, the only one known then (decision 0113).
    w.clock.advance(MINUTE);
    const redial = now();
    w.clock.advance(10 * SECOND);
    await postEls(number, plus(redial, -3 * MINUTE), plus(now(), -3 * MINUTE - 2 * SECOND), 51.91);
    w.clock.advance(10 * SECOND);
    await callEvent('redial-g-2', number, 'offered', { startedAt: plus(redial, 5 * SECOND) });
    const [earlier, newer] = await contactsOf(number);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:redial-g-1', 'call:redial-g-2']);
    // Had the call reached us first, the same rule would have given the fix to it, the latest begun.
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.91, messages: [FIX, OFFERED] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.91, messages: [OFFERED, ANSWERED, FIX] });
    expect((await w.events(earlier?.id ?? '', 'contact.message_copied')).length).toBe(1);
  });

  it("leaves a fix that read early where it is when the new call had not begun by the time it reached us", async () => {
    const number = '+447700900709';
    const first = now();
    await unendedCall('redial-h-1', number, first);
    // The earlier call's own fix, from a handset three minutes behind, reaches us during it.
    w.clock.advance(15 * SECOND);
    await postEls(number, plus(first, -3 * MINUTE), plus(now(), -3 * MINUTE), 51.92);
    w.clock.advance(MINUTE);
    await callEvent('redial-h-2', number, 'offered', { startedAt: plus(now(), -10 * SECOND) });
    const [earlier, newer] = await contactsOf(number);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: null, messages: [OFFERED] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.92, messages: [OFFERED, ANSWERED, FIX] });
    expect(await w.events(earlier?.id ?? '', 'contact.message_copied')).toEqual([]);
  });

  it("leaves the earlier call's own late fix, and a fix made too long before the new call began, where they are", async () => {
    const number = '+447700900703';
    const first = now();
    await unendedCall('redial-c-1', number, first);
    w.clock.advance(15 * SECOND);
    const late = elsForm(number, first, now(), 51.41);
    // The earlier call's fix, held up in the network, arrives after the caller has dialled again.
    w.clock.advance(2 * MINUTE);
    const redial = now();
    await send('aml', late, 'application/x-www-form-urlencoded');
    // And one whose own time is more than the tolerance before the new call reached the platform.
    w.clock.advance(5 * SECOND);
    await postSms(number, plus(redial, -70 * SECOND), 51.42);
    w.clock.advance(10 * SECOND);
    await callEvent('redial-c-2', number, 'offered', { startedAt: plus(redial, 5 * SECOND) });
    const [earlier, newer] = await contactsOf(number);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: null, messages: [OFFERED] });
    expect((await shown(earlier?.id ?? '')).messages).toEqual([OFFERED, ANSWERED, FIX, FIX]);
    expect(await w.events(earlier?.id ?? '', 'contact.message_copied')).toEqual([]);
  });

  it('copies nothing a call that began long after the fix reached us', async () => {
    const number = '+447700900704';
    await unendedCall('redial-d-1', number, now());
    w.clock.advance(2 * MINUTE);
    await postSms(number, now(), 51.5);
    // The platform presents a call eleven minutes later, saying it began just after the fix.
    w.clock.advance(11 * MINUTE);
    await callEvent('redial-d-2', number, 'offered', { startedAt: plus(now(), -11 * MINUTE + 20 * SECOND) });
    const [, newer] = await contactsOf(number);
    expect((await shown(newer?.id ?? '')).lat).toBeNull();
  });

  it('counts a fix replayed from the rejected-request log from when it first reached us, and stores a retry once', async () => {
    const number = '+447700900705';
    const admin = await signIn(w.app, w.emailOf('admin@demo.police.uk'));
    const channels = await w.get(admin, '/api/channels');
    const phone = channels.json<{ accounts: { id: string; channel: string }[] }>().accounts.find((account) => account.channel === 'phone');
    if (!phone) throw new Error('no telephony platform connected');
    // A fix the parser of the day refused, kept for a replay; staff replay it twenty minutes later.
    const sms = smsBody(number, now(), 51.6);
    const rejectedId = await storeRejectedRequest(w.app.deps, w.forceId, {
      channel: 'phone',
      channelAccountId: phone.id,
      request: { method: 'POST', url: 'https://bluelamp.test/webhooks/telephony/aml', path: '/webhooks/telephony/aml', query: {}, headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(sms), receivedAt: now() },
    }, 'malformed AML');
    w.clock.advance(20 * MINUTE);
    const replayed = await w.post(admin, `/api/channels/inbound/${rejectedId}/replay`);
    expect(replayed.statusCode, replayed.body).toBe(200);
    expect(replayed.json()).toEqual({ stored: 1, duplicates: 0 });
    // A call a minute after the replay is not the call of a fix that reached us 21 minutes ago.
    w.clock.advance(MINUTE);
    await callEvent('replayed-1', number, 'offered', { startedAt: plus(now(), -20 * SECOND) });
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => c.thread_key)).toEqual([`aml:${number}`, 'call:replayed-1']);
    expect((await shown(contacts[1]?.id ?? '')).lat).toBeNull();
    expect((await shown(contacts[0]?.id ?? '')).lat).toBe(51.6);
    // The provider's retry of the same fix is stored once and moves nothing.
    await send('aml', sms, 'application/json');
    expect((await contactsOf(number)).map((c) => c.thread_key)).toEqual([`aml:${number}`, 'call:replayed-1']);
    expect(await shown(contacts[0]?.id ?? '')).toEqual({ lat: 51.6, messages: [FIX] });
  });
});
