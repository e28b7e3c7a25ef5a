import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, submitPublicReport } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { raiseAlert } from '../../src/capabilities/queue/alerts.service.ts';
import { CALM, THREAT, createRoutingWorld, openRoutingApp, storedBeforeSeq, type RoutingApp, type RoutingWorld, type SeqTable } from '../routing/routing-kit.ts';

// Decisions 0157 and 0168, for the supervisors' and admins' lists: alerts, jobs and a channel's
// inbound requests. A row stored before its table had a `seq` has none, and was stored before
// any row that has one: of rows that share their time it comes first going up, and last going
// down (newest first). PostgreSQL sorts a missing value last going up and first going down, the
// other way round, on both engines. The clock stands still here, so the rows of each test share
// their time; the first stored of each pair is made a row stored before `seq`.

let shared: RoutingApp;
let w: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

/** The ids of this force's jobs, or its rejected inbound requests, in the order they were stored. */
async function idsInStoredOrder(table: Extract<SeqTable, 'inbound_requests' | 'jobs'>): Promise<string[]> {
  const rows = await withSystem(w.app.database.db, (tx) =>
    table === 'jobs'
      ? tx.selectFrom('jobs').select('id').where('force_id', '=', w.forceId).orderBy('seq').execute()
      : tx.selectFrom('inbound_requests').select('id').where('force_id', '=', w.forceId).where('status', '=', 'rejected').orderBy('seq').execute(),
  );
  return rows.map((row) => row.id);
}

let threats = 0;
/** A threat to life reported through the portal at the clock's time: it raises an alert. */
async function threatReport(): Promise<string> {
  threats += 1;
  const report = await submitPublicReport(w.app.deps, w.forceId, { submissionId: `threat-${threats}`, whatHappened: THREAT, where: 'High Street', when: 'now', name: `Threatened ${threats}`, email: `threatened${threats}@example.org` });
  return report.contactId;
}

describe(`alerts, jobs and inbound requests stored before their table had a seq (${ENGINE})`, () => {
  it("lists the supervisors' open alerts oldest first, the one raised before seq above one raised since at the same time", async () => {
    const before = await threatReport();
    const since = await threatReport();
    await storedBeforeSeq(w, 'alerts', { contact_id: before });

    const response = await w.get(w.supervisor, '/api/alerts');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response
      .json<{ alerts: { contactId?: string }[] }>()
      .alerts.map((alert) => alert.contactId)
      .filter((id) => id === before || id === since);
    expect(listed).toEqual([before, since]);
  });

  it("shows a contact's alerts newest first, the one raised before seq below one raised since at the same time", async () => {
    const contactId = await threatReport();
    const clocks = await withSystem(w.app.database.db, (tx) => tx.selectFrom('sla_clocks').select('id').where('contact_id', '=', contactId).execute());
    const clockId = clocks[0]?.id;
    if (!clockId) throw new Error('the contact has no clock');
    // A missed target found in the same instant the threat was raised.
    await withForce(w.app.database.db, w.forceId, (tx) => raiseAlert(tx, w.forceId, w.clock, { kind: 'sla_breach', contactId, clockId, message: 'Target missed' }));
    await storedBeforeSeq(w, 'alerts', { contact_id: contactId });

    const { routing } = await w.detail(contactId);
    expect(routing.alerts.map((alert) => alert.kind)).toEqual(['sla_breach', 'threat_to_life']);
  });

  it('lists jobs newest first, the one queued before seq below one queued since at the same time', async () => {
    const admin = await w.addStaff('Jo Early', 'force_admin');
    const earlier = new Set(await idsInStoredOrder('jobs'));
    const contactId = await w.report(CALM);
    for (const body of ['Queued before seq', 'Queued since']) {
      const response = await w.post(w.handler, `/api/contacts/${contactId}/replies`, { body });
      expect(response.statusCode, response.body).toBe(201);
    }
    const queued = (await idsInStoredOrder('jobs')).filter((id) => !earlier.has(id));
    expect(queued.length).toBeGreaterThanOrEqual(2);
    await storedBeforeSeq(w, 'jobs', { id: queued[0] ?? '' });

    const response = await w.get(admin, '/api/jobs?state=pending');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response
      .json<{ jobs: { id: string }[] }>()
      .jobs.map((job) => job.id)
      .filter((id) => queued.includes(id));
    expect(listed).toEqual([...queued.slice(1).reverse(), queued[0]]);
  });

  it("lists a channel's rejected requests newest first, the one kept before seq below one kept since at the same time", async () => {
    const admin = await w.addStaff('Ira Early', 'force_admin');
    for (const body of ['{"messageId": ', '{"text": ']) {
      const response = await w.app.inject({ method: 'POST', url: '/api/channels/api/messages', headers: { authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' }, payload: body });
      expect(response.statusCode, response.body).toBe(400);
    }
    const kept = await idsInStoredOrder('inbound_requests');
    expect(kept).toHaveLength(2);
    await storedBeforeSeq(w, 'inbound_requests', { id: kept[0] ?? '' });

    const response = await w.get(admin, '/api/channels/inbound?status=rejected');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ requests: { id: string }[] }>().requests.map((request) => request.id)).toEqual([...kept].reverse());
  });
});
