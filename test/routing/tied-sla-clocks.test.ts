// Decision 0178. A message that raises a contact's priority stops its clocks and starts them again
// at one time, so a contact raised in the instant it arrived (always, on a clock that stands still)
// has two clocks of each kind started at one time. Its clocks were listed by start, then kind: the
// two of one kind came back in whatever order PostgreSQL met them. And a contact's next due clock
// (the queue lists) was taken by due time alone, so of two due at once either could show.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';
import { FIGHT, THREAT, createRoutingWorld, type RoutingWorld } from './routing-kit.ts';

describe(`a contact's clocks started at one time come back in the order they were started (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  /** A message from the public on the generic API channel, all in one conversation. */
  const inbound = async (messageId: string, body: string) => {
    const response = await w.app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, threadId: 'tied-clocks', from: { email: 'tied@example.org', name: 'Tam' }, body }),
    });
    expect(response.statusCode, response.body).toBe(202);
    const row = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow(),
    );
    return row.contact_id;
  };

  it('lists the clocks a raised priority restarted in the same instant after the ones it stopped', async () => {
    const id = await inbound('tied-1', FIGHT);
    // In the same instant, a threat to life: priority 1, its clocks stopped and started again.
    expect(await inbound('tied-2', THREAT)).toBe(id);
    const clocksNow = async () => (await w.detail(id)).routing.clocks;
    const started = await clocksNow();
    const now = w.clock.now().toISOString();
    expect(started.map((k) => [k.kind, k.priority, k.stopReason, k.startedAt === now])).toEqual([
      ['first_response', 3, 'reprioritised', true],
      ['first_response', 1, null, true],
      ['resolution', 3, 'reprioritised', true],
      ['resolution', 1, null, true],
    ]);

    // PostgreSQL stores a row's new version wherever it finds room, so tied rows come back in an
    // order that has nothing to do with the contact's. Here each stopped clock's row is moved past
    // the others, as a change to it and its undoing do.
    const storeApart = (clockId: string) =>
      withSystem(w.app.database.db, async (tx) => {
        await tx.updateTable('sla_clocks').set({ stopped_at: sql`stopped_at + interval '1 second'` }).where('id', '=', clockId).execute();
        await tx.updateTable('sla_clocks').set({ stopped_at: sql`stopped_at - interval '1 second'` }).where('id', '=', clockId).execute();
      });
    for (const stopped of started.filter((k) => k.stopReason !== null)) await storeApart(stopped.id);
    expect((await clocksNow()).map((k) => k.id)).toEqual(started.map((k) => k.id));
    expect((await clocksNow()).map((k) => k.id)).toEqual(started.map((k) => k.id));
  });

  it("shows, of two running clocks due at one time, the first by kind as a contact's next due", async () => {
    // Every queue gives priority 3 as long to resolve as to answer: both clocks fall due at once.
    const { queues } = (await w.get(w.supervisor, '/api/queues')).json<{ queues: { id: string; sla: Record<'1' | '2' | '3' | '4', { firstResponseMinutes: number }> }[] }>();
    for (const queue of queues) {
      const sla = { ...queue.sla, '3': { ...queue.sla['3'], resolutionMinutes: queue.sla['3'].firstResponseMinutes } };
      const changed = await w.post(w.supervisor, `/api/queues/${queue.id}`, { sla });
      expect(changed.statusCode, changed.body).toBe(200);
    }
    const id = await w.report(FIGHT);
    const running = (await w.detail(id)).routing.clocks;
    expect(running.map((k) => [k.kind, k.dueAt === running[0]?.dueAt, k.stoppedAt])).toEqual([
      ['first_response', true, null],
      ['resolution', true, null],
    ]);
    const nextDue = async () => {
      const listed = await w.get(w.handler, '/api/contacts?status=open');
      expect(listed.statusCode, listed.body).toBe(200);
      return listed.json<{ contacts: ContactSummary[] }>().contacts.find((c) => c.id === id)?.sla?.kind;
    };
    expect(await nextDue()).toBe('first_response');
    // The first-response clock's row moved past the other's, as a change to it and its undoing do.
    await withSystem(w.app.database.db, async (tx) => {
      for (const shift of [sql<Date>`due_at + interval '1 second'`, sql<Date>`due_at - interval '1 second'`]) {
        await tx.updateTable('sla_clocks').set({ due_at: shift }).where('id', '=', running[0]?.id ?? '').execute();
      }
    });
    expect(await nextDue()).toBe('first_response');
    expect(await nextDue()).toBe('first_response');
  });

  it('lists tied clocks stored before their seq in one fixed order, by id', async () => {
    const id = await inbound('tied-before-seq-1', FIGHT);
    expect(await inbound('tied-before-seq-2', THREAT)).toBe(id);
    // Stored before migration 0096: no clock of the contact has a seq, so seq settles no tie.
    await withSystem(w.app.database.db, (tx) => sql`update sla_clocks set seq = null where contact_id = ${id}`.execute(tx));
    const started = (await w.detail(id)).routing.clocks;
    const byId = [...started].sort((a, b) => a.kind.localeCompare(b.kind) || (a.id < b.id ? -1 : 1)).map((k) => k.id);
    // Each row moved past the others, the highest id first, as a change to it and its undoing do.
    await withSystem(w.app.database.db, async (tx) => {
      for (const clockId of [...byId].sort().reverse()) {
        await tx.updateTable('sla_clocks').set({ due_at: sql`due_at + interval '1 second'` }).where('id', '=', clockId).execute();
        await tx.updateTable('sla_clocks').set({ due_at: sql`due_at - interval '1 second'` }).where('id', '=', clockId).execute();
      }
    });
    expect((await w.detail(id)).routing.clocks.map((k) => k.id)).toEqual(byId);
    expect((await w.detail(id)).routing.clocks.map((k) => k.id)).toEqual(byId);
  });
});
