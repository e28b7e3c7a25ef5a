// What the operator must see and what counts as a response: where and when (in the reporter's
// words and as a channel's position), the reporter's language, a call's own record kept apart
// from the caller's words, and an answered 999 call as the first response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ENGINE } from '../helpers.ts';
import type { contactDetail } from '../../src/capabilities/contacts/contacts.schema.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';
import { MINUTE, createRoutingWorld, type RoutingWorld } from '../routing/routing-kit.ts';

type Detail = z.infer<typeof contactDetail>;
const TELEPHONY = { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' };

describe(`where, when and calls on the contact screen (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  const detail = async (id: string): Promise<Detail> => {
    const response = await w.get(w.supervisor, `/api/contacts/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Detail>();
  };
  const call = async (callId: string, event: string, extra: Record<string, string> = {}) => {
    const response = await w.app.inject({
      method: 'POST',
      url: '/webhooks/telephony/calls',
      headers: TELEPHONY,
      payload: JSON.stringify({
        callId,
        line: '999',
        callerNumber: extra.callerNumber ?? '+447700900555',
        calledNumber: '999',
        queue: extra.queue ?? 'Emergency',
        startedAt: w.clock.now().toISOString(),
        event,
        ...(event === 'answered' ? { answeredAt: w.clock.now().toISOString() } : {}),
        ...(event === 'ended' ? { answeredAt: w.clock.now().toISOString(), endedAt: w.clock.now().toISOString() } : {}),
      }),
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const callContact = async (number: string) => {
    const contacts = (await w.get(w.supervisor, '/api/contacts')).json<{ contacts: ContactSummary[] }>().contacts;
    const found = contacts.filter((c) => c.channel === 'phone' && c.summary.includes(number));
    expect(found, number).toHaveLength(1);
    return found[0] as ContactSummary;
  };
  const runJobs = () => {
    if (!w.app.runner) throw new Error('no job runner');
    return w.app.runner.runDue();
  };

  it('gives a portal report its place, time and the language the reporter chose', async () => {
    const id = await w.report('Mae rhywun wedi torri ffenest fy nghar', { language: 'cy' });
    const { contact, messages } = await detail(id);
    expect(contact).toMatchObject({ location: 'High Street', occurredText: 'last night', language: 'cy', place: null });
    expect(messages.map((m) => m.author)).toEqual(['public']);
  });

  it('shows a handset position (AML) on the call it belongs to, and says where it came from', async () => {
    await call('where-call-1', 'offered', { callerNumber: '+447700900123' });
    const aml = await w.app.inject({
      method: 'POST',
      url: '/webhooks/telephony/aml',
      headers: TELEPHONY,
      payload: JSON.stringify({
        v: '1',
        emergency_number: '999',
        time: String(w.clock.now().getTime()),
        location_latitude: '51.4816',
        location_longitude: '-3.1791',
        location_time: String(w.clock.now().getTime()),
        location_source: 'gps',
        location_accuracy: '15',
        device_number: '+447700900123',
      }),
    });
    expect(aml.statusCode, aml.body).toBe(200);
    const { contact, messages } = await detail((await callContact('+447700900123')).id);
    expect(contact.place).toEqual({ lat: 51.4816, lon: -3.1791, radiusMetres: 15, source: 'aml', at: w.clock.now().toISOString() });
    // The call's record and the handset's fix are the system's words, not the caller's.
    expect(messages.map((m) => m.author)).toEqual(['system', 'system']);
  });

  it('does not triage what the telephony platform wrote: a queue named "Knife crime" is not a knife', async () => {
    await call('where-call-2', 'offered', { callerNumber: '+447700900777', queue: 'Knife crime' });
    const { triage, messages } = await detail((await callContact('+447700900777')).id);
    expect(messages[0]?.body).toContain('Knife crime');
    expect(triage?.matches).toEqual([]);
    expect(triage?.contributions.map((c) => c.label).join(' ')).not.toMatch(/knife/i);
  });

  it('counts an answered 999 call as the first response: no breach, no alert, and the call ending starts no new clock', async () => {
    await call('where-call-3', 'offered', { callerNumber: '+447700900888' });
    const { id } = await callContact('+447700900888');
    w.clock.advance(20_000);
    await call('where-call-3', 'answered', { callerNumber: '+447700900888' });
    w.clock.advance(4 * MINUTE);
    await call('where-call-3', 'ended', { callerNumber: '+447700900888' });

    const { routing } = await detail(id);
    const first = routing.clocks.find((k) => k.kind === 'first_response');
    expect(first).toMatchObject({ stopReason: 'responded' });
    expect(routing.clocks.filter((k) => k.stoppedAt === null).map((k) => k.kind)).toEqual(['resolution']);

    // Long past the first-response target: its checks run and find nothing to report.
    w.clock.advance(10 * MINUTE);
    await runJobs();
    expect(await w.events(id, 'sla.breached')).toEqual([]);
    expect((await detail(id)).routing.alerts).toEqual([]);
  });

  it('refuses a written reply to a call, and shows whoever makes the callback the note left for them', async () => {
    await call('where-call-4', 'offered', { callerNumber: '+447700900444' });
    const { id } = await callContact('+447700900444');
    const written = await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'We will ring you.' });
    expect(written.statusCode).toBe(409);
    expect((await detail(id)).contact.canReplyInWriting).toBe(false);

    const asked = await w.post(w.handler, `/api/contacts/${id}/callback`, { note: 'Ask for Mrs Evans; speaks Welsh; do not leave a message' });
    expect(asked.statusCode, asked.body).toBe(201);
    const callbackId = asked.json<{ callback: { id: string } }>().callback.id;
    const callback = await detail(callbackId);
    expect(callback.contact.canReplyInWriting).toBe(false);
    expect(callback.routing.callback).toMatchObject({ number: '+447700900444', note: 'Ask for Mrs Evans; speaks Welsh; do not leave a message' });
  });

  it('lists only contacts received before this one as earlier contacts', async () => {
    const first = await w.report('My bike was stolen from the station', { email: 'history@example.org' });
    const second = await w.report('I have found my bike near the park', { email: 'history@example.org' });
    expect((await detail(first)).person?.earlierContacts).toEqual([]);
    expect((await detail(second)).person?.earlierContacts.map((c) => c.id)).toEqual([first]);
  });
});
