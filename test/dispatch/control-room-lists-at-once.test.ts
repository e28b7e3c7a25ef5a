// Two force admins saving a control-room list at the same moment, one having reordered it: on
// PostgreSQL each saved its entries row by row in its own order, so each came to a row the other
// had saved and waited for it, and PostgreSQL broke the deadlock by failing one of them (a 503).
// A force's saves of one list now take turns, and the later one stands. PGlite runs one
// transaction at a time, so only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, addTestStaff, createTestApp, eventTypesOf, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Entry = { code: string; label: string; category?: string; isActive: boolean };
type Target = { grade: string; setting: string; deployMinutes: number | null; arriveMinutes: number | null };

describe.skipIf(ENGINE !== 'postgres')('a control-room list saved by two admins at once', () => {
  let app: TestApp;
  let admin: Session;
  let secondAdmin: Session;

  beforeAll(async () => {
    app = await createTestApp();
    await addTestStaff(app, app.demoForceId, { email: 'lists.admin@demo.police.uk', name: 'Bea Lists', role: 'force_admin', password: 'second-password' });
    admin = await signIn(app, 'admin@demo.police.uk');
    secondAdmin = await signIn(app, 'lists.admin@demo.police.uk', 'second-password');
  });
  afterAll(() => app.close());

  const put = (session: Session, url: string, payload: object) => app.inject({ method: 'PUT', url, headers: session.headers, payload });
  const get = <T>(url: string) => app.inject({ method: 'GET', url, headers: admin.headers }).then((answer) => answer.json<T>());
  /** Holds one row of the list, so the first save waits at it and the second, going the other way, reaches it last. */
  const holdingRow = (table: string, where: string) => `select 1 from ${table} where force_id = '${app.demoForceId}' and ${where} for update`;
  const listChanges = async () => (await eventTypesOf(app, app.demoForceId)).filter((type) => type === 'control_room.list_changed').length;

  it.each([
    ['/api/closing-codes', 'closing_codes'],
    ['/api/incident-types', 'incident_types'],
  ])('saves-both-%s-in-turn-instead-of-failing-one-with-503', async (url, table) => {
    const active = (await get<{ entries: Entry[] }>(url)).entries.filter((entry) => entry.isActive).map(({ code, label, category }) => ({ code, label, ...(category ? { category } : {}) }));
    const added = { code: 'road_closure', label: 'Road closure', ...(table === 'incident_types' ? { category: 'transport' } : {}) };
    const first = [...active, added];
    const second = [...first].reverse().map((entry) => (entry.code === added.code ? { ...entry, label: 'Road closed' } : entry));
    const changes = await listChanges();
    const answers = await heldTogether(app, holdingRow(table, `code = '${first[0]?.code ?? ''}'`), [() => put(admin, url, { entries: first }), () => put(secondAdmin, url, { entries: second })]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    // The second save went second, so its label stands.
    expect((await get<{ entries: Entry[] }>(url)).entries.find((entry) => entry.code === added.code)).toMatchObject({ label: 'Road closed', isActive: true });
    expect(await listChanges()).toBe(changes + 2);
  });

  it('saves-both-sets-of-response-targets-in-turn-instead-of-failing-one-with-503', async () => {
    const targets = (await get<{ targets: Target[] }>('/api/response-targets')).targets;
    const first = targets.map((target) => ({ ...target, arriveMinutes: target.arriveMinutes === null ? null : target.arriveMinutes + 1 }));
    const second = [...targets].reverse().map((target) => ({ ...target, arriveMinutes: target.arriveMinutes === null ? null : target.arriveMinutes + 2 }));
    const held = targets[0];
    const changes = await listChanges();
    const answers = await heldTogether(app, holdingRow('response_targets', `grade = '${held?.grade ?? ''}' and setting = '${held?.setting ?? ''}'`), [
      () => put(admin, '/api/response-targets', { targets: first }),
      () => put(secondAdmin, '/api/response-targets', { targets: second }),
    ]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    const saved = (await get<{ targets: Target[] }>('/api/response-targets')).targets;
    for (const target of second) expect(saved).toContainEqual(target);
    expect(await listChanges()).toBe(changes + 2);
  });
});
