import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { CALM, MINUTE, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

// One app for the file; two forces in it, so a member of one can try the other's contact.
let shared: RoutingApp;
let w: RoutingWorld;
let other: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
  other = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

async function closedContact(): Promise<string> {
  const id = await w.report(CALM);
  const closed = await w.post(w.handler, `/api/contacts/${id}/close`, { outcome: 'advice_given', note: 'Told them what to do' });
  expect(closed.statusCode, closed.body).toBe(200);
  return id;
}

describe(`re-opening a closed contact (${ENGINE})`, () => {
  it('tells staff to reopen a closed contact, lets them, and puts it back in its queue with fresh clocks', async () => {
    const id = await closedContact();
    const refused = await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'One more thing' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().error.message).toBe('this contact is closed; reopen it before replying');

    w.clock.advance(10 * MINUTE);
    const reopened = await w.post(w.handler, `/api/contacts/${id}/reopen`, { reason: 'They rang back with more to say' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<{ contact: { status: string; assignedToId: string | null } }>().contact).toMatchObject({ status: 'open', assignedToId: null });

    const [event] = await w.events(id, 'contact.reopened');
    expect(event).toMatchObject({ actor_type: 'staff', actor_id: w.handler.user.id, data: { reason: 'They rang back with more to say' } });
    const [requeued] = await w.events(id, 'contact.requeued');
    expect(requeued?.data).toMatchObject({ reason: 'reopened' });

    const detail = await w.detail(id);
    expect(detail.contact.closedAt).toBeNull();
    expect(detail.routing.queue?.key).toBe('online_report');
    const running = detail.routing.clocks.filter((k) => k.stoppedAt === null).map((k) => k.kind).sort();
    expect(running).toEqual(['first_response', 'resolution']);
    expect(detail.timeline.map((t) => t.summary)).toContain('Re-opened by Sam Handler: They rang back with more to say');

    // The new clocks' checks are jobs, created with the event that started the clocks.
    const clockIds = detail.routing.clocks.filter((k) => k.stoppedAt === null).map((k) => k.id);
    const jobs = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('jobs').select('idempotency_key').where('type', '=', 'sla.check').where('force_id', '=', w.forceId).execute(),
    );
    for (const clockId of clockIds) expect(jobs.map((j) => j.idempotency_key)).toEqual(expect.arrayContaining([`${clockId}:warn`, `${clockId}:due`]));

    const reply = await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'One more thing' });
    expect(reply.statusCode, reply.body).toBe(201);
    // It waits in the queue again: routing gives it out.
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
  });

  it('takes no reason, and refuses-reopening-an-open-contact', async () => {
    const id = await closedContact();
    expect((await w.post(w.desk, `/api/contacts/${id}/reopen`)).statusCode).toBe(200);
    expect((await w.events(id, 'contact.reopened'))[0]?.data).toEqual({ reason: null });
    const again = await w.post(w.desk, `/api/contacts/${id}/reopen`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error).toMatchObject({ code: 'conflict', message: 'this contact is already open' });
    expect(await w.events(id, 'contact.reopened')).toHaveLength(1);
  });

  it('refuses-reopening-for-a-role-that-cannot-close-contacts', async () => {
    const id = await closedContact();
    for (const email of ['dispatch@demo.police.uk', 'investigator@demo.police.uk', 'admin@demo.police.uk']) {
      const session = await signIn(w.app, w.emailOf(email), undefined, '10.9.0.1');
      const response = await w.post(session, `/api/contacts/${id}/reopen`, {});
      expect(response.statusCode).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe('forbidden');
    }
    expect((await w.detail(id)).contact.status).toBe('closed');
    expect(await w.events(id, 'contact.reopened')).toEqual([]);
  });

  it('hides-other-force-contacts: reopening another force\'s contact is not found and changes nothing', async () => {
    const id = await closedContact();
    const response = await other.post(other.supervisor, `/api/contacts/${id}/reopen`, { reason: 'not ours' });
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorBody>().error.code).toBe('not_found');
    expect((await w.detail(id)).contact.status).toBe('closed');
    expect(await w.events(id, 'contact.reopened')).toEqual([]);
  });

  it('refuses-a-reason-that-is-not-text, naming the field', async () => {
    const id = await closedContact();
    const response = await w.post(w.handler, `/api/contacts/${id}/reopen`, { reason: 42 });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.fields?.map((f) => f.path)).toEqual(['body.reason']);
  });
});
