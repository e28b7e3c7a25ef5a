// The SLA check locks a batch of clocks in id order. A batch of inbound messages holds its
// contacts first, in id order (decision 0198), then stops and re-starts their clocks message by
// message, in the provider's order: it could hold one contact's clock while the check, holding
// another's, waited for it, and then want the check's. The check now holds the clocks' contacts
// first, in id order (decision 0200), so the two take turns. Only PostgreSQL runs two transactions
// at once; PGlite runs one at a time and can never deadlock, so the race is PostgreSQL's only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { toJob } from '../../src/platform/jobs/job-types.ts';
import type { InboundMessage } from '../../src/capabilities/intake/intake.schema.ts';
import { SLA_CHECK_JOB } from '../../src/capabilities/queue/queue.events.ts';
import { createSlaCheckHandler } from '../../src/capabilities/queue/sla.service.ts';
import { FIGHT, createRoutingWorld, openRoutingApp, recordBatch, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

/** Raises a priority-3 fight to priority 1 (a threat to life): its clocks stop and start again. */
const RAISE = 'He came back and says he is going to kill me';

let sent = 0;
/** A message on the generic API channel from the email address `from`, on thread `thread`. */
const message = (from: string, thread: string, body: string): InboundMessage => {
  sent += 1;
  return { providerMessageId: `sla-check-held-${sent}`, threadKey: thread, sender: { kind: 'email', value: from, displayName: null }, body, sentAt: null };
};


/** The contact's running first-response clock. */
async function firstResponseClock(w: RoutingWorld, contactId: string): Promise<string> {
  const row = await withSystem(w.app.database.db, (tx) =>
    tx.selectFrom('sla_clocks').select('id').where('contact_id', '=', contactId).where('kind', '=', 'first_response').where('stopped_at', 'is', null).executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** The pending warning checks of these clocks, as the worker would claim them. */
async function warningChecks(w: RoutingWorld, clockIds: readonly string[]) {
  const rows = await withSystem(w.app.database.db, (tx) =>
    tx
      .selectFrom('jobs')
      .selectAll()
      .where('force_id', '=', w.forceId)
      .where('type', '=', SLA_CHECK_JOB)
      .where(sql<boolean>`payload->>'stage' = 'warn'`)
      .where(sql<boolean>`payload->>'clockId' in (${sql.join(clockIds)})`)
      .execute(),
  );
  expect(rows).toHaveLength(clockIds.length);
  return rows.map(toJob);
}

/** What a run came to: `done`, or the error that rolled it back (a deadlock PostgreSQL broke). */
const outcomeOf = (run: () => Promise<unknown>) => () =>
  run().then(
    () => 'done',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

describe(`the SLA check holds its clocks' contacts first (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld(shared);
  });
  afterAll(() => w.close());

  it.skipIf(ENGINE !== 'postgres')('a-batch-restarting-two-contacts-clocks-and-the-check-of-those-clocks-both-finish', async () => {
    const from = 'pat@example.org';
    const [x, y] = await recordBatch(w, [message(from, 'x', `pat: ${FIGHT}`), message(from, 'y', `pat: ${FIGHT}`)]);
    if (!x || !y || x === y) throw new Error('expected two contacts');
    const clockOfX = await firstResponseClock(w, x);
    const clockOfY = await firstResponseClock(w, y);
    // The batch reaches first the contact whose clock the check locks last.
    const [first, second] = clockOfX > clockOfY ? [x, y] : [y, x];
    const threadOf = (contactId: string) => (contactId === x ? 'x' : 'y');
    const checks = await warningChecks(w, [clockOfX, clockOfY]);
    w.clock.advance(60_000);

    // Between its two contacts the batch begins a new one, which takes the force's reference
    // counter: someone holds that, so the batch waits there holding the first contact's clocks;
    // the check then comes (before this change, it locked the second contact's clock and waited
    // for the first's). Once let go, the batch wanted the second contact's clock.
    const batch = [message(from, threadOf(first), `pat: ${RAISE}`), message('newcomer@example.org', 'n', 'newcomer: a new contact'), message(from, threadOf(second), `pat: ${RAISE}`)];
    const check = createSlaCheckHandler({ clock: w.clock, maxBatch: 10 });
    const holdCounter = `select last_value from reference_counters where force_id = '${w.forceId}' for update`;
    const outcomes = await heldTogether(w.app, holdCounter, [
      outcomeOf(() => recordBatch(w, batch)),
      outcomeOf(() => withForce(w.app.database.db, w.forceId, (tx) => check.run({ forceId: w.forceId, jobs: checks, tx }))),
    ]);
    expect(outcomes).toEqual(['done', 'done']);

    // The batch went first: the check found both clocks stopped by the raised priority, and warned of neither.
    const clocks = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('sla_clocks').select(['id', 'stop_reason', 'warned_at']).where('id', 'in', [clockOfX, clockOfY]).orderBy('id').execute(),
    );
    expect(clocks.map((k) => [k.stop_reason, k.warned_at])).toEqual([
      ['reprioritised', null],
      ['reprioritised', null],
    ]);
    for (const contactId of [x, y]) expect(await w.events(contactId, 'sla.warning')).toEqual([]);
    expect(await w.events(first, 'sla.started')).toHaveLength(1);
    expect(await w.events(second, 'sla.started')).toHaveLength(1);
  });
});
