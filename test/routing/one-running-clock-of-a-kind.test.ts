// Decision 0185. A contact holds at most one running SLA clock of each kind. The code kept to it
// by stopping a kind before starting it again and by asking whether the next-response clock runs
// before starting one; two transactions that each asked before either had committed (two
// messages on one contact at once) both started one, and its warning, breach and alert came twice.
// The database now refuses a second running clock of a kind, and a start that meets one already
// running starts nothing and records nothing.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce, withSystem, type Tx } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { loadQueues } from '../../src/capabilities/queue/queues.service.ts';
import { startClocks } from '../../src/capabilities/queue/sla.service.ts';
import { onInboundMessage } from '../../src/capabilities/queue/routing.service.ts';
import { CALM, createRoutingWorld, type RoutingWorld } from './routing-kit.ts';

describe(`a contact holds one running clock of a kind (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  const inForce = <T>(work: (tx: Tx) => Promise<T>) => withForce(w.app.database.db, w.forceId, work);
  const runningOf = (contactId: string) =>
    withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('sla_clocks').select(['kind']).where('contact_id', '=', contactId).where('stopped_at', 'is', null).orderBy('kind').execute(),
    );
  const queueOf = async (contactId: string) => {
    const row = await withSystem(w.app.database.db, (tx) => tx.selectFrom('contacts').select(['queue_id', 'reference']).where('id', '=', contactId).executeTakeFirstOrThrow());
    const { queues } = await inForce((tx) => loadQueues(tx, w.forceId, w.clock));
    const queue = queues.find((q) => q.id === row.queue_id);
    if (!queue) throw new Error('the report has no queue');
    return { queue, reference: row.reference };
  };

  it('refuses-a-second-running-clock-of-one-kind', async () => {
    const contactId = await w.report(CALM);
    const [running] = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('sla_clocks').selectAll().where('contact_id', '=', contactId).where('kind', '=', 'resolution').execute(),
    );
    if (!running) throw new Error('the report has no resolution clock');
    const { seq: _seq, ...copy } = running;
    const insertCopy = (stoppedAt: Date | null) =>
      withSystem(w.app.database.db, (tx) => tx.insertInto('sla_clocks').values({ ...copy, id: newId(), stopped_at: stoppedAt }).execute());
    await expect(insertCopy(null)).rejects.toMatchObject({ code: '23505' });
    // A stopped clock of the kind beside the running one, as every restart leaves, is allowed.
    await insertCopy(w.clock.now());
    expect(await runningOf(contactId)).toEqual([{ kind: 'first_response' }, { kind: 'resolution' }]);
  });

  it('starts-nothing-and-says-nothing-when-the-kind-already-runs', async () => {
    const contactId = await w.report(CALM);
    const { queue } = await queueOf(contactId);
    const started = await inForce((tx) => startClocks(tx, w.forceId, w.clock, { contactId, queue, priority: 3, channel: 'portal', kinds: ['first_response', 'next_response'] }));
    // The first-response clock already runs: only the next-response clock is started, and only it is returned for the event.
    expect(started.map((k) => k.kind)).toEqual(['next_response']);
    expect(await runningOf(contactId)).toEqual([{ kind: 'first_response' }, { kind: 'next_response' }, { kind: 'resolution' }]);
  });

  it.skipIf(ENGINE !== 'postgres')('starts-one-next-response-clock-and-one-event-for-two-messages-at-once', async () => {
    const contactId = await w.report(CALM);
    const { reference } = await queueOf(contactId);
    // Answered: the next message from the person starts the next-response clock.
    await withSystem(w.app.database.db, (tx) =>
      tx.updateTable('sla_clocks').set({ stopped_at: w.clock.now(), stop_reason: 'responded' }).where('contact_id', '=', contactId).where('kind', '=', 'first_response').execute(),
    );
    const facts = { contactId, reference, channel: 'portal', categories: [], priority: 3, wasReopened: false, priorityRaised: false };
    let commit = () => {};
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let started = () => {};
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const first = inForce(async (tx) => {
      const events = await onInboundMessage(tx, w.forceId, w.clock, facts);
      started();
      await committing;
      return events;
    });
    await isStarted;
    // The second asks whether the clock runs before the first has committed, and starts one: it waits for the first.
    const second = inForce((tx) => onInboundMessage(tx, w.forceId, w.clock, facts));
    // The second's insert of the clock waits on the first's row: seen, or the race was never run.
    let sawItWait = false;
    for (let look = 0; look < 10_000 && !sawItWait; look += 1) {
      const waits = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query ilike '%sla_clocks%'`.execute(w.app.database.db);
      sawItWait = (waits.rows[0]?.n ?? 0) > 0;
    }
    commit();
    expect(sawItWait).toBe(true);
    const [one, two] = await Promise.all([first, second]);
    expect(one.map((event) => event.type)).toEqual(['sla.started']);
    expect(two).toEqual([]);
    expect(await runningOf(contactId)).toEqual([{ kind: 'next_response' }, { kind: 'resolution' }]);
  });
});
