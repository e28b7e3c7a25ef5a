import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';

// Decision 0169, after 0157 and 0168. The clock stands still here, as it does whenever two
// reports or two requests land in the same microsecond (and a provider's batch always does): the
// online-report queue and a channel's list of raw requests were ordered by time alone, so tied rows
// came back in whatever order PostgreSQL met them. Drafts are stored in the order of their
// contacts' random ids, and an update (a report processed, a request replayed) stores a row's new
// version apart from the others, so the order changed from one call to the next.

type Session = Awaited<ReturnType<typeof signIn>>;

let app: TestApp;
let supervisor: Session;
let admin: Session;
beforeAll(async () => {
  app = await createTestApp({ overrides: { clock: fixedClock(new Date('2027-03-01T10:00:00Z')) } });
  supervisor = await signIn(app, 'supervisor@demo.police.uk');
  admin = await signIn(app, 'admin@demo.police.uk');
});
afterAll(() => app.close());

async function runJobs(): Promise<void> {
  if (!app.runner) throw new Error('no job runner');
  await app.runner.runDue();
}

describe(`reports and requests that share their time come back in the order they were stored (${ENGINE})`, () => {
  it('queues online reports received at one time in the order their references were given, one classified since in its place', async () => {
    const ids: string[] = [];
    // Six of them: drafted in the order of their random ids, they would be listed in the order sent once in 720.
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const stored = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: `tied-online-${n}`,
        whatHappened: `My bike number ${n} was stolen from outside the station`,
        where: 'Station Road',
        when: 'This morning',
        name: `Tied Reporter ${n}`,
        email: `tied-online-${n}@example.org`,
      });
      ids.push(stored.contactId);
    }
    await runJobs();
    // The first processed and classified (its row rewritten apart from the others), the second processed.
    for (const step of [`${ids[0] ?? ''}/process`, `${ids[0] ?? ''}/classify`, `${ids[1] ?? ''}/process`]) {
      const done = await app.inject({ method: 'POST', url: `/api/online-reports/${step}`, headers: supervisor.headers, payload: step.endsWith('classify') ? { crimeType: 'THF-BIC' } : {} });
      expect(done.statusCode, done.body).toBe(200);
    }

    const listed = async (which: 'open' | 'all') => {
      const response = await app.inject({ method: 'GET', url: `/api/online-reports/queue?which=${which}`, headers: supervisor.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ reports: { contactId: string; contactReference: string }[] }>().reports.filter((r) => ids.includes(r.contactId));
    };
    const all = await listed('all');
    expect(all.map((r) => r.contactId)).toEqual(ids);
    expect(all.map((r) => r.contactReference)).toEqual(all.map((r) => r.contactReference).sort());
    // The open queue (the classified report has left it) and a second call agree.
    expect((await listed('open')).map((r) => r.contactId)).toEqual(ids.slice(1));
    expect((await listed('all')).map((r) => r.contactId)).toEqual(ids);
  });

  it('lists cases changed at one time newest numbered first, one changed since in its place', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const report = await submitPublicReport(app.deps, app.demoForceId, { submissionId: `tied-case-${n}`, whatHappened: `Shed number ${n} broken into`, where: 'Garden Lane', when: 'Last night', name: `Tied Victim ${n}`, email: `tied-case-${n}@example.org` });
      const created = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
      expect(created.statusCode, created.body).toBe(201);
      ids.push(created.json<{ case: { id: string } }>().case.id);
    }
    // As the records system's reference given to a case does: its row rewritten apart from the others, its time unchanged.
    await withSystem(app.database.db, (tx) => tx.updateTable('cases').set({ records_reference: `tied-${ids[5] ?? ''}` }).where('id', '=', ids[5] ?? '').execute());

    const listed = async () => {
      const response = await app.inject({ method: 'GET', url: '/api/cases?which=all', headers: supervisor.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ cases: { id: string }[] }>().cases.map((c) => c.id).filter((id) => ids.includes(id));
    };
    expect(await listed()).toEqual([...ids].reverse());
    expect(await listed()).toEqual([...ids].reverse());
  });

  it("lists a channel's rejected requests received at one time newest stored first, one replayed since in its place", async () => {
    const markers = ['tied-bad-1', 'tied-bad-2', 'tied-bad-3', 'tied-bad-4', 'tied-bad-5', 'tied-bad-6'];
    for (const messageId of markers) {
      // Signed with the account's token but with no sender: kept, rejected, for a replay once fixed.
      const response = await app.inject({
        method: 'POST',
        url: '/api/channels/api/messages',
        headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
        payload: JSON.stringify({ messageId, from: {}, body: 'Unreadable' }),
      });
      expect(response.statusCode, response.body).toBe(400);
    }
    const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('inbound_requests').select(['id', 'raw_body']).where('channel', '=', 'api').where('status', '=', 'rejected').execute());
    const idOf = (marker: string) => stored.find((row) => Buffer.from(row.raw_body).toString().includes(`"${marker}"`))?.id;
    const ids = markers.map(idOf);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    // As a replay of a batch still unreadable in part does: the row is rewritten, still rejected, with its reason.
    await withSystem(app.database.db, (tx) => tx.updateTable('inbound_requests').set({ error: 'unreadable events: still' }).where('id', '=', ids[0] ?? '').execute());

    const listed = async () => {
      const response = await app.inject({ method: 'GET', url: '/api/channels/inbound?status=rejected', headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ requests: { id: string }[] }>().requests.map((r) => r.id).filter((id) => ids.includes(id));
    };
    expect(await listed()).toEqual([...ids].reverse());
    expect(await listed()).toEqual([...ids].reverse());
  });
});
