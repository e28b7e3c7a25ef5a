import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { createDemoLikeForce } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { WEBHOOKS } from '../../src/capabilities/channels/registry.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { AML_CLOCK_TOLERANCE_SECONDS } from '../../src/capabilities/channels/telephony/telephony.channel.ts';
import { createRoutingWorld, type RoutingWorld } from '../routing/routing-kit.ts';

// Shared by the tests of which 999 call a handset's location (AML) joins: the fixes and the call
// events in the wire formats the fixtures hold (Google's ELS HTTPS form, where `time` is when the
// call began and `location_time` when the position was fixed; the AML SMS, whose `top` is when the
// position was fixed; the telephony platform's call records), posted to the webhooks as they come.

export const DEMO_SECRET = 'demo-telephony-secret';
export const TOLERANCE = AML_CLOCK_TOLERANCE_SECONDS * 1000;
export const SECOND = 1000;
/** The first words of each kind of message on the call handler's screen. */
export const OFFERED = '999 call offered';
export const ANSWERED = '999 call answered';
export const ENDED = '999 call ended';
export const FIX = 'AML location';

const fixture = (name: string) => readFileSync(new URL(`../../src/capabilities/channels/telephony/fixtures/${name}`, import.meta.url), 'utf8');

/** Another force like the demo one, with a telephony platform of its own posting with `secret`. */
async function otherForceWithTelephony(w: RoutingWorld, secret: string): Promise<ForceId> {
  const { forceId } = await createDemoLikeForce(w.app);
  const phone = WEBHOOKS.find((mount) => mount.adapter.name === 'phone')?.adapter;
  if (!phone) throw new Error('no phone channel');
  await connectChannelAccount({ ...w.app.deps, secrets: new SecretBox(w.app.config.secretsKey) }, forceId, phone, {
    label: 'Other telephony platform',
    config: { secret },
    actor: { type: 'system', id: null },
  });
  return forceId;
}

/** A routing world for an AML test, and another force with its own telephony platform posting with `otherSecret`. */
export async function amlWorld(otherSecret: string): Promise<{ w: RoutingWorld; otherForceId: ForceId }> {
  const w = await createRoutingWorld();
  return { w, otherForceId: await otherForceWithTelephony(w, otherSecret) };
}

/** The posts and reads of an AML test, on the world `world()` gives once its `beforeAll` has run. */
export function amlKit(world: () => RoutingWorld) {
  const now = () => world().clock.now();
  const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);
  const send = async (path: 'aml' | 'calls', body: string, contentType: string, secret = DEMO_SECRET) => {
    const response = await world().app.inject({
      method: 'POST',
      url: `/webhooks/telephony/${path}`,
      headers: { 'x-bluelamp-telephony-secret': secret, 'content-type': contentType },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  /** Google's ELS HTTPS form from the fixture: its call began at `callAt`, its position fixed at `fixAt` (handset clock). */
  const elsForm = (number: string, callAt: Date, fixAt: Date, lat: number) => {
    const form = new URLSearchParams(fixture('aml-https-els-call.form'));
    form.set('device_number', number);
    form.set('time', String(callAt.getTime()));
    form.set('location_time', String(fixAt.getTime()));
    form.set('location_latitude', lat.toFixed(5));
    return form.toString();
  };
  const postEls = (number: string, callAt: Date, fixAt: Date, lat: number, secret = DEMO_SECRET) =>
    send('aml', elsForm(number, callAt, fixAt, lat), 'application/x-www-form-urlencoded', secret);
  /** The AML SMS from the fixture, as the platform relays it: its position fixed at `fixAt` (`top`, whole seconds). */
  const smsBody = (number: string, fixAt: Date, lat: number) => {
    const top = fixAt.toISOString().replace(/\D/g, '').slice(0, 14);
    const sms = fixture('aml-sms-els-located.txt').trim().replace(/top=\d{14}/, `top=${top}`).replace(/lt=[^;]+/, `lt=+${lat.toFixed(5)}`);
    return JSON.stringify({ sms, from: number });
  };
  const postSms = (number: string, fixAt: Date, lat: number) => send('aml', smsBody(number, fixAt, lat), 'application/json');
  /** One event of a call, from the fixtures' call record, as the platform posts it. */
  const callEvent = (callId: string, number: string, event: 'offered' | 'answered' | 'ended', times: { startedAt: Date; endedAt?: Date }, secret = DEMO_SECRET) => {
    const name = event === 'offered' ? 'call-999-offered.json' : event === 'answered' ? 'call-999-answered.json' : 'call-999-ended.json';
    const record = JSON.parse(fixture(name)) as Record<string, unknown>;
    const body = {
      ...record,
      callId,
      callerNumber: number,
      startedAt: times.startedAt.toISOString(),
      ...(event !== 'offered' ? { answeredAt: plus(times.startedAt, 4 * SECOND).toISOString() } : {}),
      ...(event === 'ended' ? { endedAt: (times.endedAt ?? now()).toISOString() } : {}),
    };
    return send('calls', JSON.stringify(body), 'application/json', secret);
  };
  /** A call the platform presented and answered, whose `ended` event never reached us (a lost webhook). */
  const unendedCall = async (callId: string, number: string, startedAt: Date) => {
    await callEvent(callId, number, 'offered', { startedAt });
    await callEvent(callId, number, 'answered', { startedAt });
  };
  /** A whole call: offered and answered at `startedAt`, ended at `endedAt`. */
  const endedCall = async (callId: string, number: string, startedAt: Date, endedAt: Date) => {
    await unendedCall(callId, number, startedAt);
    await callEvent(callId, number, 'ended', { startedAt, endedAt });
  };
  /** The number's phone contacts in every force, oldest first. */
  const contactsOf = (number: string) =>
    withSystem(world().app.database.db, (tx) =>
      tx
        .selectFrom('contacts')
        .select(['id', 'force_id', 'thread_key', 'status', 'priority'])
        .where('channel', '=', 'phone')
        .where(sql<boolean>`meta -> 'sender' ->> 'value' = ${number}`)
        .orderBy('received_at')
        .execute(),
    );
  /** What the call handler's screen shows: where the caller is, and the first words of each message. */
  const shown = async (contactId: string) => {
    const w = world();
    const response = await w.get(w.handler, `/api/contacts/${contactId}`);
    expect(response.statusCode, response.body).toBe(200);
    const { contact, messages } = response.json<{ contact: { place: { lat: number } | null }; messages: { body: string }[] }>();
    return { lat: contact.place?.lat ?? null, messages: messages.map((m) => m.body.split(/ (?:on|from|after|for)\b/)[0]) };
  };
  return { now, plus, send, elsForm, postEls, smsBody, postSms, callEvent, unendedCall, endedCall, contactsOf, shown };
}
