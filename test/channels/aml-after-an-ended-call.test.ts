// A caller's 999 call ends, they dial again, and the handset's fix for the new call reaches the
// force before the platform presents that call. The fix is not the ended call's: it waits, as any
// fix that comes before its call does, on a contact of its own that the new call takes over; and if
// no call comes it is a 999 contact on its own. A fix taken during a call, or stamped a little after
// it ended (a late fix, or a handset's clock ahead of the platform's), is still that call's
// (decision 0107). The fixes are in the wire formats handsets send: Google's ELS HTTPS form, where
// `time` is when the call began and `location_time` when the position was fixed, and the AML SMS,
// whose `top` is when the position was fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { MINUTE, type RoutingWorld } from '../routing/routing-kit.ts';
import { TOLERANCE, SECOND, OFFERED, ANSWERED, ENDED, FIX, amlKit, amlWorld } from './aml-kit.ts';

const OTHER_SECRET = 'other-force-telephony-secret-0107';

describe(`AML of a call dialled again after an ended one (${ENGINE})`, () => {
  let w: RoutingWorld;
  let otherForceId: ForceId;
  beforeAll(async () => {
    ({ w, otherForceId } = await amlWorld(OTHER_SECRET));
  });
  afterAll(() => w.close());
  const { now, plus, send, elsForm, postEls, postSms, callEvent, endedCall, contactsOf, shown } = amlKit(() => w);

  it('gives the fix of a call dialled again to that call when it is presented, not to the ended call', async () => {
    const number = '+447700900501';
    const first = now();
    await postEls(number, first, plus(first, 15 * SECOND), 51.1);
    w.clock.advance(60 * SECOND);
    await endedCall('redial-a-1', number, first, now());
    // The caller dials again two minutes later; the handset's fix beats the call's signalling.
    w.clock.advance(2 * MINUTE);
    const second = now();
    w.clock.advance(15 * SECOND);
    await postEls(number, second, now(), 51.2);
    const [ended, waiting] = await contactsOf(number);
    expect(ended?.thread_key).toBe('call:redial-a-1');
    expect(await shown(ended?.id ?? '')).toEqual({ lat: 51.1, messages: [FIX, OFFERED, ANSWERED, ENDED] });
    // Not lost while it waits: a 999 contact the queue shows at once.
    expect(waiting?.thread_key).toBe(`aml:${number}`);
    expect(waiting?.priority).toBe(1);

    w.clock.advance(20 * SECOND);
    await callEvent('redial-a-2', number, 'offered', { startedAt: plus(second, 2 * SECOND) });
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => c.thread_key)).toEqual(['call:redial-a-1', 'call:redial-a-2']);
    expect(await shown(contacts[1]?.id ?? '')).toEqual({ lat: 51.2, messages: [FIX, OFFERED] });
    expect(await shown(contacts[0]?.id ?? '')).toEqual({ lat: 51.1, messages: [FIX, OFFERED, ANSWERED, ENDED] });
    expect((await w.events(contacts[1]?.id ?? '', 'contact.taken_over')).length).toBe(1);
  });

  it('does the same for an SMS fix, which says only when the position was fixed', async () => {
    const number = '+447700900502';
    const first = now();
    w.clock.advance(30 * SECOND);
    await endedCall('redial-b-1', number, first, now());
    w.clock.advance(TOLERANCE + 20 * SECOND);
    await postSms(number, now(), 51.3);
    w.clock.advance(10 * SECOND);
    await callEvent('redial-b-2', number, 'offered', { startedAt: plus(now(), -25 * SECOND) });
    const [ended, redialled] = await contactsOf(number);
    expect([ended?.thread_key, redialled?.thread_key]).toEqual(['call:redial-b-1', 'call:redial-b-2']);
    expect(await shown(redialled?.id ?? '')).toEqual({ lat: 51.3, messages: [FIX, OFFERED] });
    expect((await shown(ended?.id ?? '')).lat).toBeNull();
  });

  it('joins a fix taken during a call to that call', async () => {
    const number = '+447700900503';
    const started = now();
    await callEvent('ongoing', number, 'offered', { startedAt: started });
    await callEvent('ongoing', number, 'answered', { startedAt: started });
    w.clock.advance(3 * MINUTE);
    await postSms(number, now(), 51.4);
    const [contact, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    expect(await shown(contact?.id ?? '')).toEqual({ lat: 51.4, messages: [OFFERED, ANSWERED, FIX] });
  });

  it('keeps a fix whose handset clock for the call start reset, joining it to its call by its fix time', async () => {
    const number = '+447700900520';
    const started = now();
    await callEvent('clock-reset', number, 'offered', { startedAt: started });
    w.clock.advance(20 * SECOND);
    // The handset's `time` says 1980; its position's own time is sound: the position is not lost.
    await send('aml', elsForm(number, new Date(Date.UTC(1980, 0, 1)), now(), 51.45), 'application/x-www-form-urlencoded');
    const [contact, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    expect(await shown(contact?.id ?? '')).toEqual({ lat: 51.45, messages: [OFFERED, FIX] });
  });

  it('joins a late fix to the call it was taken in, up to the tolerance after the call ended, or whenever its call began then', async () => {
    const number = '+447700900504';
    const started = now();
    w.clock.advance(10 * SECOND);
    const ended = now();
    await endedCall('late-fix', number, started, ended);
    // The handset fixed its position after the caller hung up, or its clock is ahead of the platform's.
    w.clock.advance(TOLERANCE + 5 * SECOND);
    await postSms(number, plus(ended, TOLERANCE), 51.5);
    // Google's form says when its call began: a fix of this call, however long after it ended it was fixed.
    w.clock.advance(3 * MINUTE);
    await postEls(number, plus(started, -2 * SECOND), plus(ended, 3 * MINUTE), 51.6);
    const [contact, ...others] = await contactsOf(number);
    expect(others).toEqual([]);
    expect(await shown(contact?.id ?? '')).toEqual({ lat: 51.6, messages: [OFFERED, ANSWERED, ENDED, FIX, FIX] });
  });

  it('allows the platform\'s clock to be ahead of or behind the handset\'s by up to the tolerance', async () => {
    // The handset's clock behind: its fix seems taken before the call reached the platform.
    const behind = '+447700900505';
    const started = now();
    await callEvent('skew-behind', behind, 'offered', { startedAt: started });
    w.clock.advance(20 * SECOND);
    await postSms(behind, plus(started, -TOLERANCE), 51.7);
    expect((await contactsOf(behind)).map((c) => c.thread_key)).toEqual(['call:skew-behind']);

    // Ahead: its fix seems taken after the call ended.
    const ahead = '+447700900506';
    const began = now();
    w.clock.advance(40 * SECOND);
    await endedCall('skew-ahead', ahead, began, now());
    w.clock.advance(TOLERANCE + 10 * SECOND);
    await postEls(ahead, plus(began, TOLERANCE), plus(began, TOLERANCE + 20 * SECOND), 51.8);
    const [aheadCall, ...aheadOthers] = await contactsOf(ahead);
    expect(aheadOthers).toEqual([]);
    expect((await shown(aheadCall?.id ?? '')).lat).toBe(51.8);

    // A call that began more than the tolerance after the ended one's end is another call.
    await postEls(ahead, plus(began, 40 * SECOND + TOLERANCE + SECOND), plus(began, 40 * SECOND + TOLERANCE + 9 * SECOND), 51.9);
    expect((await contactsOf(ahead)).map((c) => c.thread_key)).toEqual(['call:skew-ahead', `aml:${ahead}`]);
  });

  it('keeps a fix whose call never arrives as a 999 contact of its own with where the caller is', async () => {
    const number = '+447700900507';
    const started = now();
    w.clock.advance(45 * SECOND);
    await endedCall('never-again', number, started, now());
    w.clock.advance(2 * MINUTE);
    await postEls(number, now(), plus(now(), 12 * SECOND), 52.1);
    w.clock.advance(30 * MINUTE);
    const [ended, alone] = await contactsOf(number);
    expect(ended?.thread_key).toBe('call:never-again');
    expect((await shown(ended?.id ?? '')).lat).toBeNull();
    expect(alone?.thread_key).toBe(`aml:${number}`);
    expect(alone?.priority).toBe(1);
    expect(await shown(alone?.id ?? '')).toEqual({ lat: 52.1, messages: [FIX] });
  });

  it('keeps two callers apart when their redials and fixes arrive interleaved', async () => {
    const [a, b] = ['+447700900508', '+447700900509'];
    const start = now();
    w.clock.advance(30 * SECOND);
    await endedCall('mixed-a-1', a, start, now());
    await endedCall('mixed-b-1', b, start, now());
    w.clock.advance(2 * MINUTE);
    const redial = now();
    await postEls(a, redial, plus(redial, 10 * SECOND), 52.2);
    await postSms(b, plus(redial, 12 * SECOND), 52.3);
    w.clock.advance(30 * SECOND);
    await callEvent('mixed-b-2', b, 'offered', { startedAt: plus(redial, SECOND) });
    await callEvent('mixed-a-2', a, 'offered', { startedAt: plus(redial, 2 * SECOND) });
    for (const [number, callId, lat] of [[a, 'mixed-a-2', 52.2], [b, 'mixed-b-2', 52.3]] as const) {
      const contacts = await contactsOf(number);
      expect(contacts.map((c) => c.thread_key)).toEqual([`call:${callId.replace('-2', '-1')}`, `call:${callId}`]);
      expect(await shown(contacts[1]?.id ?? '')).toEqual({ lat, messages: [FIX, OFFERED] });
      expect((await shown(contacts[0]?.id ?? '')).lat).toBeNull();
    }
  });

  it('stores a fix the provider retries once, before and after its call picks it up', async () => {
    const number = '+447700900510';
    const start = now();
    w.clock.advance(20 * SECOND);
    await endedCall('retried-1', number, start, now());
    w.clock.advance(3 * MINUTE);
    const redial = now();
    const fix = elsForm(number, redial, plus(redial, 9 * SECOND), 52.4);
    await send('aml', fix, 'application/x-www-form-urlencoded');
    await send('aml', fix, 'application/x-www-form-urlencoded');
    await callEvent('retried-2', number, 'offered', { startedAt: redial });
    await send('aml', fix, 'application/x-www-form-urlencoded');
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => c.thread_key)).toEqual(['call:retried-1', 'call:retried-2']);
    expect(await shown(contacts[1]?.id ?? '')).toEqual({ lat: 52.4, messages: [FIX, OFFERED] });
    expect((await shown(contacts[0]?.id ?? '')).messages).toEqual([OFFERED, ANSWERED, ENDED]);
  });

  it('never gives a waiting fix to another force\'s call from the same number', async () => {
    const number = '+447700900511';
    const start = now();
    w.clock.advance(20 * SECOND);
    await endedCall('forces-1', number, start, now());
    w.clock.advance(2 * MINUTE);
    await postEls(number, now(), plus(now(), 10 * SECOND), 52.5);
    w.clock.advance(20 * SECOND);
    await callEvent('forces-2', number, 'offered', { startedAt: plus(now(), -15 * SECOND) }, OTHER_SECRET);
    const contacts = await contactsOf(number);
    expect(contacts.map((c) => [c.force_id, c.thread_key])).toEqual([
      [w.forceId, 'call:forces-1'],
      [w.forceId, `aml:${number}`],
      [otherForceId, 'call:forces-2'],
    ]);
    expect((await shown(contacts[0]?.id ?? '')).lat).toBeNull();
    expect((await shown(contacts[1]?.id ?? '')).lat).toBe(52.5);
  });
});
