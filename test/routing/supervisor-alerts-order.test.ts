import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { raiseAlert } from '../../src/capabilities/queue/alerts.service.ts';
import { raiseCaseAlert } from '../../src/capabilities/queue/case-alerts.service.ts';
import { CALM, createRoutingWorld, type RoutingWorld } from './routing-kit.ts';

// The supervisors' list (GET /api/alerts) merges alerts about contacts, incidents and cases. Of
// alerts raised at the same time, whatever their kind, the first stored comes first (decision
// 0157), as in each kind's own list: the merged list has one order, not one that follows which
// kind's rows were read first.

let w: RoutingWorld;
beforeAll(async () => {
  w = await createRoutingWorld();
});
afterAll(() => w.close());

/** A contact's missed first-response target, raised now. */
async function missedTarget(contactId: string): Promise<void> {
  const clock = await withSystem(w.app.database.db, (tx) => tx.selectFrom('sla_clocks').select('id').where('contact_id', '=', contactId).executeTakeFirstOrThrow());
  await withForce(w.app.database.db, w.forceId, (tx) => raiseAlert(tx, w.forceId, w.clock, { kind: 'sla_breach', contactId, clockId: clock.id, message: 'Target missed' }));
}

describe(`the supervisors' alerts raised at the same time (${ENGINE})`, () => {
  it('lists-alerts-of-different-kinds-raised-at-once-in-the-order-stored-at-every-read', async () => {
    const first = await w.report(CALM);
    const last = await w.report(CALM);
    const forCase = await w.report(CALM);
    const made = await w.post(w.handler, `/api/contacts/${forCase}/case`);
    expect(made.statusCode, made.body).toBe(201);
    const caseId = made.json<{ case: { id: string } }>().case.id;

    // The clock stands still: a contact's alert, a case's, then another contact's, all at one instant.
    await missedTarget(first);
    const raised = await withForce(w.app.database.db, w.forceId, (tx) => raiseCaseAlert(tx, w.forceId, w.clock, { caseId, message: "The Victims' Code clocks could not be opened" }));
    if (!raised) throw new Error('the case alert was not raised');
    await missedTarget(last);

    const reads: string[][] = [];
    for (let read = 0; read < 3; read += 1) {
      const response = await w.get(w.supervisor, '/api/alerts');
      expect(response.statusCode, response.body).toBe(200);
      const alerts = response.json<{ alerts: { id: string; raisedAt: string; contactId?: string; caseId?: string }[] }>().alerts;
      reads.push(alerts.filter((alert) => alert.raisedAt === w.clock.now().toISOString()).map((alert) => alert.contactId ?? alert.caseId ?? alert.id));
    }
    expect(reads[0]).toEqual([first, caseId, last]);
    expect(reads[1]).toEqual(reads[0]);
    expect(reads[2]).toEqual(reads[0]);
  });
});
