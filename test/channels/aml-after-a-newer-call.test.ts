// A handset cannot be on two 999 calls at once: once the platform has presented a newer call from
// the number, the caller's earlier call is over for AML, whether or not its `ended` event ever
// arrived. A fix made after the newer call began (allowing for the clocks) goes to the newer call,
// even when the platform's start of it is a little later than the fix; a late fix of the earlier
// call, or one made too long before the newer call reached the platform to tell, stays where it
// went before. The take-over window of a fix that came first is measured on our clock, from when
// the fix reached us, whatever the handset's clock says (decision 0113).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { AML_BEFORE_CALL_MINUTES } from '../../src/capabilities/channels/telephony/telephony.channel.ts';
import { MINUTE, type RoutingWorld } from '../routing/routing-kit.ts';
import { TOLERANCE, SECOND, OFFERED, ANSWERED, ENDED, FIX, amlKit, amlWorld } from './aml-kit.ts';

const OTHER_SECRET = 'other-force-telephony-secret-0113';

describe(`AML once a newer call from the number has begun (${ENGINE})`, () => {
  let w: RoutingWorld;
  let otherForceId: ForceId;
  beforeAll(async () => {
    ({ w, otherForceId } = await amlWorld(OTHER_SECRET));
  });
  afterAll(() => w.close());
  const { now, plus, send, elsForm, postEls, postSms, callEvent, unendedCall, contactsOf, shown } = amlKit(() => w);

  it('gives a fix made as the newer call began to that call, not to the earlier call the platform never ended', async () => {
    const number = '+447700900601';
    const first = now();
    await unendedCall('unended-a-1', number, first);
    w.clock.advance(12 * SECOND);
    await postEls(number, first, now(), 51.1);
    // The call drops and its `ended` never reaches us; the caller dials again. The handset fixes its
    // position ten seconds in, before the platform presents the call, but the fix arrives after it.
    w.clock.advance(90 * SECOND);
    const redial = now();
    w.clock.advance(10 * SECOND);
    const fixed = now();
    w.clock.advance(25 * SECOND);
    await callEvent('unended-a-2', number, 'offered', { startedAt: plus(redial, 30 * SECOND) });
    w.clock.advance(5 * SECOND);
    await postEls(number, redial, fixed, 51.2);

    const [earlier, newer, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:unended-a-1', 'call:unended-a-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.2, messages: [OFFERED, FIX] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.1, messages: [OFFERED, ANSWERED, FIX] });
  });

  it('does the same for an SMS fix, which says only when the position was fixed', async () => {
    const number = '+447700900602';
    const first = now();
    await unendedCall('unended-b-1', number, first);
    w.clock.advance(2 * MINUTE);
    const redial = now();
    w.clock.advance(15 * SECOND);
    const fixed = now();
    w.clock.advance(20 * SECOND);
    await callEvent('unended-b-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });
    w.clock.advance(5 * SECOND);
    await postSms(number, fixed, 51.3);

    const [earlier, newer] = await contactsOf(number);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:unended-b-1', 'call:unended-b-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.3, messages: [OFFERED, FIX] });
    expect((await shown(earlier?.id ?? '')).lat).toBeNull();
  });

  it('still gives the earlier call its own late fixes, and a fix made too long before the newer call began to tell', async () => {
    const number = '+447700900603';
    const first = now();
    await unendedCall('unended-c-1', number, first);
    w.clock.advance(15 * SECOND);
    // Taken now, both forms, but held up in the network until after the caller's next call.
    const lateEls = elsForm(number, first, now(), 51.41);
    const lateSmsAt = now();
    w.clock.advance(MINUTE);
    await callEvent('unended-c-2', number, 'offered', { startedAt: now() });
    w.clock.advance(10 * SECOND);
    await send('aml', lateEls, 'application/x-www-form-urlencoded');
    await postSms(number, lateSmsAt, 51.42);
    const [earlier, newer] = await contactsOf(number);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:unended-c-1', 'call:unended-c-2']);
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: 51.42, messages: [OFFERED, ANSWERED, FIX, FIX] });
    expect(await shown(newer?.id ?? '')).toEqual({ lat: null, messages: [OFFERED] });

    // A third call reached the platform over a minute after it was dialled: its fix, made more than
    // the tolerance before that, could as well be a slow fix of the second call, which keeps it as before.
    w.clock.advance(3 * MINUTE);
    const redial = now();
    w.clock.advance(10 * SECOND);
    const fixed = now();
    w.clock.advance(80 * SECOND);
    await callEvent('unended-c-3', number, 'offered', { startedAt: plus(fixed, TOLERANCE + SECOND) });
    await postEls(number, redial, fixed, 51.43);
    const calls = await contactsOf(number);
    expect(calls.map((c) => c.thread_key)).toEqual(['call:unended-c-1', 'call:unended-c-2', 'call:unended-c-3']);
    expect((await shown(calls[1]?.id ?? '')).lat).toBe(51.43);
    expect((await shown(calls[2]?.id ?? '')).lat).toBeNull();
  });

  it('counts a newer call whose contact staff have closed: the fix waits on a contact of its own', async () => {
    const number = '+447700900604';
    const first = now();
    await unendedCall('unended-d-1', number, first);
    w.clock.advance(2 * MINUTE);
    const redial = now();
    w.clock.advance(10 * SECOND);
    const fixed = now();
    w.clock.advance(20 * SECOND);
    await callEvent('unended-d-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });
    const newer = (await contactsOf(number))[1];
    const closed = await w.post(w.supervisor, `/api/contacts/${newer?.id ?? ''}/close`, { outcome: 'no_further_action' });
    expect(closed.statusCode, closed.body).toBe(200);
    w.clock.advance(5 * SECOND);
    await postEls(number, redial, fixed, 51.5);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.thread_key, c.status])).toEqual([
      ['call:unended-d-1', 'open'],
      ['call:unended-d-2', 'closed'],
      [`aml:${number}`, 'open'],
    ]);
    expect(contacts[2]?.priority).toBe(1);
    expect(await shown(contacts[2]?.id ?? '')).toEqual({ lat: 51.5, messages: [FIX] });
  });

  it('never counts another force\'s call from the same number', async () => {
    const number = '+447700900605';
    const first = now();
    await unendedCall('unended-e-1', number, first);
    w.clock.advance(2 * MINUTE);
    const redial = now();
    w.clock.advance(10 * SECOND);
    const fixed = now();
    w.clock.advance(20 * SECOND);
    await callEvent('unended-e-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) }, OTHER_SECRET);
    w.clock.advance(5 * SECOND);
    await postSms(number, fixed, 51.6);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.force_id, c.thread_key])).toEqual([
      [w.forceId, 'call:unended-e-1'],
      [otherForceId, 'call:unended-e-2'],
    ]);
    expect((await shown(contacts[0]?.id ?? '')).lat).toBe(51.6);
  });

  it('gives an SMS fix made within the tolerance of an ended call\'s end to the redial, when the redial reached us first', async () => {
    const number = '+447700900606';
    const first = now();
    w.clock.advance(40 * SECOND);
    const ended = now();
    await callEvent('redial-f-1', number, 'offered', { startedAt: first });
    await callEvent('redial-f-1', number, 'answered', { startedAt: first });
    await callEvent('redial-f-1', number, 'ended', { startedAt: first, endedAt: ended });
    w.clock.advance(20 * SECOND);
    const redial = now();
    w.clock.advance(15 * SECOND);
    const fixed = now();
    w.clock.advance(15 * SECOND);
    await callEvent('redial-f-2', number, 'offered', { startedAt: plus(redial, 25 * SECOND) });
    w.clock.advance(5 * SECOND);
    await postSms(number, fixed, 51.7);
    const [earlier, newer] = await contactsOf(number);
    expect([earlier?.thread_key, newer?.thread_key]).toEqual(['call:redial-f-1', 'call:redial-f-2']);
    expect(await shown(newer?.id ?? '')).toEqual({ lat: 51.7, messages: [OFFERED, FIX] });
    expect(await shown(earlier?.id ?? '')).toEqual({ lat: null, messages: [OFFERED, ANSWERED, ENDED] });
  });

  it('gives a fix that reaches us during its call to that call, though its own time reads minutes before the call began', async () => {
    // A handset clock seven minutes behind the platform's: the call is up, the fix arrives 15 s in.
    const behind = '+447700900611';
    const callAt = now();
    await unendedCall('behind-1', behind, callAt);
    w.clock.advance(15 * SECOND);
    await postEls(behind, plus(callAt, -7 * MINUTE), plus(callAt, -7 * MINUTE + 12 * SECOND), 52.1);
    const [call, ...others] = await contactsOf(behind);
    expect(others).toEqual([]);
    expect(call?.thread_key).toBe('call:behind-1');
    expect(await shown(call?.id ?? '')).toEqual({ lat: 52.1, messages: [OFFERED, ANSWERED, FIX] });

    // A correct clock, but the call reached the force 90 s after it was dialled (a slow connection
    // at the national call-handling agent); the SMS says only when the position was fixed.
    const slow = '+447700900612';
    const presented = now();
    await unendedCall('slow-1', slow, presented);
    w.clock.advance(10 * SECOND);
    await postSms(slow, plus(presented, -80 * SECOND), 52.2);
    expect((await contactsOf(slow)).map((c) => c.thread_key)).toEqual(['call:slow-1']);

    // A fix of an earlier call that reaches us long after (an hour old) joins no call of today's.
    const stale = '+447700900613';
    const today = now();
    await unendedCall('stale-1', stale, today);
    w.clock.advance(10 * SECOND);
    await postEls(stale, plus(today, -60 * MINUTE), plus(today, -60 * MINUTE + 12 * SECOND), 52.3);
    expect((await contactsOf(stale)).map((c) => c.thread_key)).toEqual(['call:stale-1', `aml:${stale}`]);
  });

  it('measures the take-over window from when the fix reached us, whatever the handset\'s clock says', async () => {
    const window = AML_BEFORE_CALL_MINUTES * MINUTE;
    // A handset clock seven minutes behind: the call comes nine minutes after the fix reached us.
    const behind = '+447700900607';
    const sentBehind = plus(now(), -7 * MINUTE);
    await postEls(behind, plus(sentBehind, -10 * SECOND), sentBehind, 51.8);
    w.clock.advance(window - MINUTE);
    await callEvent('clock-behind', behind, 'offered', { startedAt: plus(now(), -20 * SECOND) });
    const [taken, ...notTaken] = await contactsOf(behind);
    expect(notTaken).toEqual([]);
    expect(taken?.thread_key).toBe('call:clock-behind');
    expect(await shown(taken?.id ?? '')).toEqual({ lat: 51.8, messages: [FIX, OFFERED] });

    // Seven minutes ahead: a call eleven minutes after the fix reached us is not the fix's.
    const ahead = '+447700900608';
    const sentAhead = plus(now(), 7 * MINUTE);
    await postEls(ahead, plus(sentAhead, -10 * SECOND), sentAhead, 51.9);
    w.clock.advance(window + MINUTE);
    await callEvent('clock-ahead', ahead, 'offered', { startedAt: plus(now(), -20 * SECOND) });
    const contacts = await contactsOf(ahead);
    expect(contacts.map((c) => c.thread_key)).toEqual([`aml:${ahead}`, 'call:clock-ahead']);
    expect((await shown(contacts[0]?.id ?? '')).lat).toBe(51.9);
    expect((await shown(contacts[1]?.id ?? '')).lat).toBeNull();

    // And the same handset, a minute inside the window on our clock, is taken over.
    const aheadIn = '+447700900609';
    const sentAheadIn = plus(now(), 7 * MINUTE);
    await postEls(aheadIn, plus(sentAheadIn, -10 * SECOND), sentAheadIn, 52.0);
    w.clock.advance(window - MINUTE);
    await callEvent('clock-ahead-in', aheadIn, 'offered', { startedAt: plus(now(), -20 * SECOND) });
    expect((await contactsOf(aheadIn)).map((c) => c.thread_key)).toEqual(['call:clock-ahead-in']);
  });
});
