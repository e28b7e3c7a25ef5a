import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { CALM, THREAT, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld, type Session } from '../routing/routing-kit.ts';

// Finding contacts: pages that neither repeat nor skip, every filter, text search over each field,
// closed contacts included, another force's contacts never, and hostile search text answered safely.

type Summary = { id: string; reference: string; status: string; priority: number; channel: string; assignedToId: string | null; personName: string | null };
type Page = { contacts: Summary[]; total: number; nextCursor: string | null; previousCursor: string | null };

let shared: RoutingApp;
let w: RoutingWorld;
let other: RoutingWorld;
const ids: string[] = [];
let closedId = '';
let threatId = '';
let takenId = '';
let wildcardId = '';

beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
  for (let i = 0; i < 5; i += 1) ids.push(await w.report(CALM));
  threatId = await w.report(THREAT);
  wildcardId = await w.report('I am 100% sure the_shed door was forced with a C:\\tools\\bar');
  ids.push(threatId, wildcardId);
  closedId = ids[0] ?? '';
  const closed = await w.post(w.handler, `/api/contacts/${closedId}/close`, { outcome: 'advice_given' });
  expect(closed.statusCode, closed.body).toBe(200);
  takenId = ids[1] ?? '';
  await w.setPresence(w.desk, 'available');
  const taken = await w.post(w.desk, `/api/contacts/${takenId}/take`);
  expect(taken.statusCode, taken.body).toBe(200);
  await w.setPresence(w.desk, 'away');
  other = await createRoutingWorld(shared);
  await other.report(CALM);
});
afterAll(() => shared.close());

async function search(query: Record<string, string | number>, as: Session = w.handler): Promise<Page> {
  const response = await w.get(as, `/api/contacts/search?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}

async function searchStatus(query: string): Promise<{ status: number; body: string }> {
  const response = await w.get(w.handler, `/api/contacts/search?${query}`);
  return { status: response.statusCode, body: response.body };
}

describe(`finding contacts (${ENGINE})`, () => {
  it('lists every contact of the force, open and closed, newest first, with the total', async () => {
    const page = await search({});
    expect(page.total).toBe(7);
    expect(page.contacts.map((c) => c.id)).toEqual([...ids].reverse());
    expect(page.contacts.find((c) => c.id === closedId)?.status).toBe('closed');
    expect(page).toMatchObject({ nextCursor: null, previousCursor: null });
  });

  it('pages forward and back with no duplicates or gaps', async () => {
    const all = (await search({ limit: 100 })).contacts.map((c) => c.id);
    const forward: string[][] = [];
    let page = await search({ limit: 3 });
    expect(page.previousCursor).toBeNull();
    forward.push(page.contacts.map((c) => c.id));
    while (page.nextCursor) {
      expect(page.total).toBe(7);
      page = await search({ limit: 3, after: page.nextCursor });
      forward.push(page.contacts.map((c) => c.id));
    }
    expect(forward.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(forward.flat()).toEqual(all);

    const backward: string[][] = [page.contacts.map((c) => c.id)];
    while (page.previousCursor) {
      page = await search({ limit: 3, before: page.previousCursor });
      backward.unshift(page.contacts.map((c) => c.id));
    }
    expect(backward).toEqual(forward);
    expect(page.nextCursor).not.toBeNull();
  });

  it('keeps its place when a contact arrives between pages', async () => {
    const first = await search({ limit: 4, status: 'closed' });
    expect(first.contacts.map((c) => c.id)).toEqual([closedId]);
    const start = await search({ limit: 2 });
    const late = await w.report(CALM);
    const next = await search({ limit: 2, after: start.nextCursor ?? '' });
    expect(next.contacts.map((c) => c.id)).not.toContain(late);
    expect([...start.contacts, ...next.contacts].map((c) => c.id)).toEqual([...ids].reverse().slice(0, 4));
    // Closing it again keeps the force's count for the other tests.
    expect((await w.post(w.handler, `/api/contacts/${late}/close`, { outcome: 'duplicate' })).statusCode).toBe(200);
    ids.push(late);
  });

  it('filters by status, priority, channel, queue and holder, each with its own total', async () => {
    const closed = await search({ status: 'closed' });
    expect(closed.contacts.every((c) => c.status === 'closed')).toBe(true);
    expect(closed.contacts.map((c) => c.id)).toContain(closedId);
    const open = await search({ status: 'open' });
    expect(open.total + closed.total).toBe((await search({})).total);
    expect(open.contacts.map((c) => c.id)).not.toContain(closedId);

    const urgent = await search({ priority: 1 });
    expect(urgent.contacts.map((c) => c.id)).toEqual([threatId]);
    expect(urgent.total).toBe(1);

    expect((await search({ channel: 'portal' })).total).toBe(ids.length);
    expect((await search({ channel: 'sms' })).total).toBe(0);

    const queueId = (await w.detail(threatId)).routing.queue?.id ?? '';
    const inQueue = await search({ queue: queueId });
    expect(inQueue.contacts.map((c) => c.id)).toContain(threatId);
    expect((await search({ queue: newId() })).total).toBe(0);

    const mine = await search({ assignee: 'me' }, w.desk);
    expect(mine.contacts.map((c) => c.id)).toEqual([takenId]);
    expect((await search({ assignee: w.desk.user.id })).contacts.map((c) => c.id)).toEqual([takenId]);
    const nobody = await search({ assignee: 'unassigned', status: 'open' });
    expect(nobody.contacts.map((c) => c.id)).not.toContain(takenId);
    expect(nobody.total).toBe(open.total - 1);
  });

  it('searches the reference, the person, their email and phone, and message text', async () => {
    const threat = (await search({})).contacts.find((c) => c.id === threatId);
    if (!threat?.personName) throw new Error('the threat report has no person');
    expect((await search({ q: threat.reference.toLowerCase() })).contacts.map((c) => c.id)).toEqual([threatId]);
    expect((await search({ q: threat.personName.toUpperCase() })).contacts.map((c) => c.id)).toEqual([threatId]);

    const detail = await w.detail(threatId);
    const email = (await w.get(w.supervisor, `/api/contacts/${threatId}`)).json<{ person: { email: string } }>().person.email;
    expect(email).toMatch(/@example\.org$/);
    expect((await search({ q: email })).contacts.map((c) => c.id)).toEqual([threatId]);

    await withSystem(w.app.database.db, (tx) =>
      tx
        .insertInto('identities')
        .values({ id: newId(), force_id: w.forceId, person_id: detail.person?.id ?? '', kind: 'phone', value: '+447911123456', created_at: w.clock.now() })
        .execute(),
    );
    for (const phone of ['+447911123456', '07911 123456', '123456']) {
      expect((await search({ q: phone })).contacts.map((c) => c.id), phone).toEqual([threatId]);
    }

    const text = await search({ q: 'SHED WAS BROKEN' });
    expect(text.total).toBe(ids.length - 2);
    expect(text.contacts.map((c) => c.id)).toContain(closedId);
    expect((await search({ q: 'shed was broken', status: 'closed' })).contacts.every((c) => c.status === 'closed')).toBe(true);
  });

  it('takes wildcards, escapes and quotes in the search text literally', async () => {
    for (const q of ['%', '_', '\\', '100%', 'the_shed', 'C:\\tools']) {
      const found = await search({ q });
      expect(found.contacts.map((c) => c.id), q).toEqual([wildcardId]);
    }
    for (const q of ["' or 1=1 --", '%%%%', '\\%', '[a-z]*', '<script>alert(1)</script>', '😀', '\uD800']) {
      const found = await search({ q });
      expect(found.total, q).toBe(0);
    }
    expect((await search({ q: '   ' })).total).toBe(ids.length);
  });

  it('rejects-malformed-searches with 400 and the field, never 500', async () => {
    const cases = [
      `q=${'a'.repeat(10_000)}`,
      `q=${encodeURIComponent('%'.repeat(201))}`,
      'q=a%00b',
      'q=a%0Ab',
      'status=deleted',
      'priority=9',
      'priority=one',
      'limit=0',
      'limit=1000',
      'channel=a%20b',
      'queue=nope',
      'assignee=somebody',
      'after=nope',
      `after=${newId()}&before=${newId()}`,
    ];
    for (const query of cases) {
      const response = await searchStatus(query);
      expect(response.status, `${query.slice(0, 40)}: ${response.body.slice(0, 200)}`).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('hides-other-force-contacts from search, filters and cursors', async () => {
    const theirs = await search({}, other.handler);
    expect(theirs.total).toBe(1);
    const mine = await search({});
    const ours = new Set(mine.contacts.map((c) => c.id));
    expect(theirs.contacts.filter((c) => ours.has(c.id))).toEqual([]);
    const reference = mine.contacts[0]?.reference ?? '';
    expect((await search({ q: reference }, other.handler)).total).toBe(0);
    // A cursor from another force's page leads nowhere.
    const page = await search({ after: threatId, limit: 5 }, other.handler);
    expect(page.contacts).toEqual([]);
    const unknown = await search({ after: newId() });
    expect(unknown.contacts).toEqual([]);
  });

  it('rejects-anonymous-searches with 401', async () => {
    const response = await w.app.inject({ method: 'GET', url: '/api/contacts/search' });
    expect(response.statusCode).toBe(401);
    expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
  });
});
