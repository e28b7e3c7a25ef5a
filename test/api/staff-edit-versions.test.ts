import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestStaff, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// A supervisor and an admin (or two admins) with the same member of staff open: the one who saves
// second, from the version both opened, is refused and told who changed it and when, and nothing
// of theirs is applied, so neither silently replaces the other (decision 0085). The role and the
// routing profile (skills and capacity) count their changes apart; presence, password resets,
// deactivation and reactivation are no change to either. A save without a version is not checked.

type Routing = { skills: string[]; capacity: Record<string, number>; version: number };
type Member = { id: string; name: string; role: string; roleVersion: number; routing: Routing | null };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };
type Session = Awaited<ReturnType<typeof signIn>>;

describe('staff roles and routing profiles changed from the version opened', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const start = new Date('2026-05-06T09:00:00Z');
  const clock = fixedClock(start);
  let app: TestApp;
  let admin: Session;
  let secondAdmin: Session;
  let supervisor: Session;
  let people = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    admin = await signIn(app, 'admin@demo.police.uk');
    secondAdmin = await signIn(app, 'second.admin@demo.police.uk', 'second-password');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  /** A new call handler of the demo force, each test its own. */
  const newHandler = async () => {
    people += 1;
    const email = `handler.${people}@demo.police.uk`;
    const id = await addTestStaff(app, app.demoForceId, { email, name: `Hal Handler ${people}`, role: 'call_handler', skills: ['welsh'], password: 'handler-password' });
    return { id, email };
  };
  const memberOf = async (id: string, session: Session = admin) => {
    const listed = await app.inject({ method: 'GET', url: '/api/staff', headers: session.headers });
    const found = listed.json<{ staff: Member[] }>().staff.find((s) => s.id === id);
    if (!found) throw new Error(`no member of staff ${id}`);
    return found;
  };
  const saveProfile = (id: string, payload: object, session: Session = admin) =>
    app.inject({ method: 'POST', url: `/api/routing/staff/${id}/profile`, headers: session.headers, payload });
  const changeRole = (id: string, payload: object, session: Session = admin) => app.inject({ method: 'POST', url: `/api/staff/${id}/role`, headers: session.headers, payload });
  const editsOf = (id: string) =>
    withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('events')
        .select(['type', 'actor_id'])
        .where('subject_id', '=', id)
        .where('type', 'in', ['staff.routing_changed', 'staff.role_changed'])
        .orderBy('seq')
        .execute(),
    );

  it('refuses-the-second-of-two-profile-saves-from-the-same-version-naming-who-and-when-and-saves-nothing', async () => {
    const { id } = await newHandler();
    const opened = await memberOf(id);
    expect(opened.routing).toMatchObject({ skills: ['welsh'], version: 1 });

    clock.set(start);
    const first = await saveProfile(id, { skills: ['welsh', 'bsl'], version: 1 }, supervisor);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ routing: Routing }>().routing).toMatchObject({ skills: ['bsl', 'welsh'], version: 2 });

    clock.set(new Date('2026-05-06T09:20:00Z'));
    const second = await saveProfile(id, { skills: ['welsh'], capacity: { call: 2 }, version: 1 });
    expect(second.statusCode, second.body).toBe(409);
    const refused = second.json<ErrorBody>().error;
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      `Hal Handler ${people}'s routing profile was changed by someone else after you opened it: Sue Supervisor changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the routing profile as it is now, then make your change again.`,
    );
    expect(refused.fields?.map((f) => f.path)).toEqual(['body.version']);

    // Nothing of the second save: the profile and the log are as the supervisor left them.
    expect((await memberOf(id)).routing).toEqual({ ...opened.routing, skills: ['bsl', 'welsh'], version: 2 });
    expect(await editsOf(id)).toEqual([{ type: 'staff.routing_changed', actor_id: supervisor.user.id }]);

    // Saved again from the version now shown, the admin's change goes in.
    const again = await saveProfile(id, { skills: ['welsh'], capacity: { call: 2 }, version: 2 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ routing: Routing }>().routing).toMatchObject({ skills: ['welsh'], version: 3 });
    expect(again.json<{ routing: Routing }>().routing.capacity.call).toBe(2);
  });

  it('refuses-a-role-change-from-a-stale-version-before-saying-the-role-is-already-so-and-names-the-admin-s-own-other-window', async () => {
    const { id } = await newHandler();
    const opened = await memberOf(id);
    expect(opened).toMatchObject({ role: 'call_handler', roleVersion: 1 });

    clock.set(start);
    const first = await changeRole(id, { role: 'digital_desk_operator', version: 1 }, secondAdmin);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ staff: Member }>().staff).toMatchObject({ role: 'digital_desk_operator', roleVersion: 2 });

    // Another admin, from the version both opened: told who, even though the role asked for is the one it has.
    const stale = await changeRole(id, { role: 'digital_desk_operator', version: 1 });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json<ErrorBody>().error.message).toBe(
      `Hal Handler ${people}'s role was changed by someone else after you opened it: Bea Second changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Their role was not changed. Check the role as it is now, then make your change again.`,
    );
    expect(stale.json<ErrorBody>().error.fields?.map((f) => f.path)).toEqual(['body.version']);

    // The same admin again from the form they first saved from: their own change, in another window.
    const own = await changeRole(id, { role: 'call_handler', version: 1 }, secondAdmin);
    expect(own.statusCode).toBe(409);
    expect(own.json<ErrorBody>().error.message).toContain('you changed it in another window or tab on Wednesday 6 May 2026 at 10:00');
    expect(await memberOf(id)).toMatchObject({ role: 'digital_desk_operator', roleVersion: 2 });
    expect(await editsOf(id)).toEqual([{ type: 'staff.role_changed', actor_id: secondAdmin.user.id }]);
  });

  it('counts-the-role-and-the-profile-apart-and-never-counts-presence-resets-or-deactivation', async () => {
    const { id, email } = await newHandler();
    const opened = await memberOf(id);
    const person = await signIn(app, email, 'handler-password');

    // A working day: they sign on and off, a supervisor signs them off, the console beats.
    expect((await app.inject({ method: 'POST', url: '/api/me/presence', headers: person.headers, payload: { presence: 'available' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/me/heartbeat', headers: person.headers })).statusCode).toBe(204);
    const signedOff = await app.inject({ method: 'POST', url: `/api/routing/staff/${id}/presence`, headers: supervisor.headers, payload: { presence: 'offline' } });
    expect(signedOff.statusCode, signedOff.body).toBe(200);
    // An admin resets their password, deactivates them and lets them back.
    for (const action of ['reset-password', 'deactivate', 'reactivate']) {
      const done = await app.inject({ method: 'POST', url: `/api/staff/${id}/${action}`, headers: secondAdmin.headers, ...(action === 'deactivate' ? { payload: {} } : {}) });
      expect(done.statusCode, `${action}: ${done.body}`).toBe(200);
    }
    expect(await memberOf(id)).toMatchObject({ roleVersion: 1, routing: { version: 1 } });

    // A profile change leaves the role's count alone, and a role change the profile's.
    expect((await saveProfile(id, { capacity: { chat: 3 }, version: opened.routing?.version }, supervisor)).statusCode).toBe(200);
    const role = await changeRole(id, { role: 'digital_desk_operator', version: opened.roleVersion });
    expect(role.statusCode, role.body).toBe(200);
    expect(await memberOf(id)).toMatchObject({ roleVersion: 2, routing: { version: 2 } });

    // The supervisor's board, which they change profiles from, shows the same count.
    const board = await app.inject({ method: 'GET', url: '/api/routing/board', headers: supervisor.headers });
    expect(board.json<{ staff: { id: string; profileVersion: number }[] }>().staff.find((s) => s.id === id)?.profileVersion).toBe(2);
  });

  it('keeps-saves-without-a-version-working', async () => {
    const { id } = await newHandler();
    expect((await saveProfile(id, { skills: ['bsl'] }, supervisor)).statusCode).toBe(200);
    const unchecked = await saveProfile(id, { skills: ['hate_crime'] });
    expect(unchecked.statusCode, unchecked.body).toBe(200);
    expect(unchecked.json<{ routing: Routing }>().routing).toMatchObject({ skills: ['hate_crime'], version: 3 });
    expect((await changeRole(id, { role: 'dispatcher' }, secondAdmin)).statusCode).toBe(200);
    const role = await changeRole(id, { role: 'supervisor' });
    expect(role.statusCode, role.body).toBe(200);
    expect(role.json<{ staff: Member }>().staff.roleVersion).toBe(3);
  });

  it('refuses-a-version-that-is-not-one-with-400-and-changes-nothing', async () => {
    const { id } = await newHandler();
    const opened = await memberOf(id);
    for (const version of ['one', 0, -1, 1.5, null, '1', 2]) {
      const profile = await saveProfile(id, { skills: ['bsl'], version });
      expect(profile.statusCode, `profile ${JSON.stringify(version)}: ${profile.body}`).toBe(400);
      const role = await changeRole(id, { role: 'dispatcher', version });
      expect(role.statusCode, `role ${JSON.stringify(version)}: ${role.body}`).toBe(400);
    }
    const wrongType = await saveProfile(id, { skills: ['bsl'], version: 'one' });
    expect(wrongType.json<ErrorBody>().error.fields?.[0]?.sentence).toBe("Version must be the routing profile's version as you read it, a whole number");
    const future = await changeRole(id, { role: 'dispatcher', version: 7 });
    expect(future.json<ErrorBody>().error.message).toContain(`is 7, a version Hal Handler ${people}'s role has never had: it is at version 1`);
    expect(await memberOf(id)).toEqual(opened);
    expect(await editsOf(id)).toEqual([]);
  });

  it('answers-another-force-404-and-the-wrong-role-403-whatever-version-is-sent', async () => {
    const { id } = await newHandler();
    const opened = await memberOf(id);
    const other = await createOtherForce(app, ['force_admin', 'supervisor']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const otherSupervisor = await signIn(app, other.emails.supervisor ?? '', 'other-password');
    for (const version of [1, 2, undefined]) {
      const profile = await saveProfile(id, { skills: ['bsl'], version }, otherSupervisor);
      expect(profile.statusCode, profile.body).toBe(404);
      const role = await changeRole(id, { role: 'dispatcher', version }, otherAdmin);
      expect(role.statusCode, role.body).toBe(404);
    }
    const handler = await signIn(app, 'handler@demo.police.uk');
    expect((await saveProfile(id, { skills: ['bsl'], version: 1 }, handler)).statusCode).toBe(403);
    expect((await changeRole(id, { role: 'dispatcher', version: 1 }, supervisor)).statusCode).toBe(403);
    expect(await memberOf(id)).toEqual(opened);
    expect(await editsOf(id)).toEqual([]);
  });
});
