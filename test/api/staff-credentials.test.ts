import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { StaffRole } from '../../src/platform/auth/permissions.ts';
import { createStaff } from '../../src/capabilities/staff/staff.service.ts';
import { distributeWaiting } from '../../src/capabilities/queue/distribution.service.ts';

/**
 * Staff credentials through the HTTP API: changing one's password (forced after a one-time
 * password), an admin's reset, deactivation and reactivation, and the events each one writes.
 * Every sign-in comes from its own address so the login limiter never gets in the way.
 */
describe('staff credentials', () => {
  let app: TestApp;
  let admin: Session;
  let other: Awaited<ReturnType<typeof createOtherForce>>;
  let counter = 0;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));

  type Session = { cookie: string; headers: Record<string, string>; user: { id: string; mustChangePassword: boolean } };
  type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

  const nextAddress = () => {
    counter += 1;
    return `10.30.${Math.floor(counter / 250)}.${(counter % 250) + 1}`;
  };
  const login = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: nextAddress() });
  async function signIn(email: string, password: string): Promise<Session> {
    const response = await login(email, password);
    expect(response.statusCode, response.body).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'bl_session');
    const body = response.json<{ csrfToken: string; user: Session['user'] }>();
    const header = `bl_session=${cookie?.value ?? ''}`;
    return { cookie: header, user: body.user, headers: { cookie: header, 'x-csrf-token': body.csrfToken } };
  }
  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const post = (session: Session, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: session.headers, payload });

  /** A new member of staff of the demo force with a known password. */
  async function addStaff(role: StaffRole, options: { mustChangePassword?: boolean } = {}) {
    counter += 1;
    const email = `person${counter}@demo.police.uk`;
    const password = `first-password-${counter}-xyz`;
    const id = await createStaff(app.database.db, clock, app.demoForceId, { email, name: `Person ${counter}`, role, password, ...options });
    return { id, email, password };
  }

  async function eventsAbout(staffId: string) {
    return withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type', 'actor_id']).where('subject_id', '=', staffId).orderBy('seq').execute(),
    );
  }

  let port = 0;
  /** Opens the live stream with a session; resolves once the server has said hello. */
  async function openLive(session: Session) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { cookie: session.cookie } });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    return { socket, closed };
  }
  async function liveRefusal(session: Session) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { cookie: session.cookie } });
    return new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  }

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await app.http?.listen({ port: 0, host: '127.0.0.1' });
    port = (app.http?.server.address() as AddressInfo).port;
    admin = await signIn('admin@demo.police.uk', 'demo-password');
    other = await createOtherForce(app, ['call_handler', 'force_admin']);
  });
  afterAll(() => app.close());

  describe('changing one own password', () => {
    it('changes-the-password-ends-other-sessions-and-records-an-event-without-the-password', async () => {
      const person = await addStaff('call_handler');
      const here = await signIn(person.email, person.password);
      const elsewhere = await signIn(person.email, person.password);
      const newPassword = 'correct horse battery staple';

      const changed = await post(here, '/api/auth/password', { currentPassword: person.password, newPassword });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toEqual({ changed: true, otherSessionsEnded: 1 });

      expect((await get(here, '/api/auth/me')).statusCode).toBe(200);
      expect((await get(elsewhere, '/api/auth/me')).statusCode).toBe(401);
      expect((await login(person.email, person.password)).statusCode).toBe(401);
      expect((await login(person.email, newPassword)).statusCode).toBe(200);

      const events = await eventsAbout(person.id);
      const event = events.find((e) => e.type === 'staff.password_changed');
      expect(event).toMatchObject({ actor_type: 'staff', actor_id: person.id, data: { wasRequired: false, otherSessionsEnded: 1 } });
      expect(JSON.stringify(events)).not.toContain(newPassword);
      expect(JSON.stringify(events)).not.toContain(person.password);
    });

    it('refuses-a-wrong-current-password-and-a-weak-new-one-field-by-field', async () => {
      const person = await addStaff('call_handler');
      const session = await signIn(person.email, person.password);

      const wrong = await post(session, '/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'a perfectly fine passphrase' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json<ErrorBody>().error.fields).toEqual([
        { path: 'body.currentPassword', message: 'is wrong', label: 'Your current password', sentence: 'Your current password is wrong' },
      ]);
      expect(wrong.json<ErrorBody>().error.message).toBe('Your password was not changed');

      const cases: [string, string][] = [
        ['short-one', 'must be at least 12 characters long'],
        [person.email.toUpperCase(), 'must not be or contain your email address'],
        ['Password1234', 'is too common; choose one that would be hard to guess, such as three random words'],
        ['aaaaaaaaaaaaaaaa', 'is too common; choose one that would be hard to guess, such as three random words'],
        [person.password, 'must be different from your current password'],
      ];
      for (const [newPassword, message] of cases) {
        const refused = await post(session, '/api/auth/password', { currentPassword: person.password, newPassword });
        expect(refused.statusCode, newPassword).toBe(400);
        const body = refused.json<ErrorBody>();
        expect(body.error.code).toBe('validation_failed');
        expect(body.error.fields).toContainEqual(expect.objectContaining({ path: 'body.newPassword', message, label: 'Your new password' }));
        expect(body.error.fields?.some((f) => f.path === 'body.currentPassword')).toBe(false);
      }
      const empty = await post(session, '/api/auth/password', { currentPassword: '', newPassword: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.json<ErrorBody>().error.fields?.map((f) => f.path).sort()).toEqual(['body.currentPassword', 'body.newPassword']);

      // Nothing changed and nothing was recorded.
      expect((await login(person.email, person.password)).statusCode).toBe(200);
      expect((await eventsAbout(person.id)).map((e) => e.type)).not.toContain('staff.password_changed');
    });

    it('refuses-without-a-session-or-csrf-token', async () => {
      const person = await addStaff('call_handler');
      const session = await signIn(person.email, person.password);
      const payload = { currentPassword: person.password, newPassword: 'another fine passphrase' };
      expect((await app.inject({ method: 'POST', url: '/api/auth/password', payload })).statusCode).toBe(401);
      const noCsrf = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: session.cookie }, payload });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json<ErrorBody>().error.code).toBe('csrf_failed');
    });
  });

  describe('a one-time password', () => {
    it('allows-only-change-password-me-and-logout-until-it-is-changed', async () => {
      const person = await addStaff('call_handler', { mustChangePassword: true });
      const session = await signIn(person.email, person.password);
      expect(session.user.mustChangePassword).toBe(true);
      expect(await liveRefusal(session)).toBe(403);

      const me = await get(session, '/api/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
      for (const [method, url] of [
        ['GET', '/api/contacts?status=open'],
        ['GET', '/api/me/routing'],
        ['POST', '/api/me/presence'],
        ['POST', '/api/me/heartbeat'],
      ] as const) {
        const refused =
          method === 'GET' ? await get(session, url) : await post(session, url, url.endsWith('presence') ? { presence: 'available' } : {});
        expect(refused.statusCode, url).toBe(403);
        expect(refused.json<ErrorBody>().error).toMatchObject({
          code: 'password_change_required',
          message: 'Change your one-time password before you do anything else.',
        });
      }

      const newPassword = 'my own passphrase now';
      const changed = await post(session, '/api/auth/password', { currentPassword: person.password, newPassword });
      expect(changed.statusCode, changed.body).toBe(200);
      expect((await get(session, '/api/contacts?status=open')).statusCode).toBe(200);
      expect((await get(session, '/api/auth/me')).json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(false);
      const event = (await eventsAbout(person.id)).find((e) => e.type === 'staff.password_changed');
      expect(event?.data).toMatchObject({ wasRequired: true });
    });

    it('lets-a-session-with-a-one-time-password-sign-out', async () => {
      const person = await addStaff('supervisor', { mustChangePassword: true });
      const session = await signIn(person.email, person.password);
      expect((await post(session, '/api/auth/logout')).statusCode).toBe(204);
      expect((await get(session, '/api/auth/me')).statusCode).toBe(401);
    });
  });

  describe('an admin reset', () => {
    it('issues-a-one-time-password-ends-sessions-at-once-and-forces-a-change', async () => {
      const person = await addStaff('call_handler');
      const oldSession = await signIn(person.email, person.password);
      const live = await openLive(oldSession);
      const bystander = await openLive(admin);

      const reset = await post(admin, `/api/staff/${person.id}/reset-password`);
      expect(reset.statusCode, reset.body).toBe(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      const { oneTimePassword, sessionsEnded } = reset.json<{ oneTimePassword: string; sessionsEnded: number }>();
      expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
      expect(sessionsEnded).toBe(1);

      expect((await get(oldSession, '/api/auth/me')).statusCode).toBe(401);
      // Their live stream of the force's queue closes too; nobody else's does.
      expect(await live.closed).toBe(4401);
      expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
      bystander.socket.close();
      expect((await login(person.email, person.password)).statusCode).toBe(401);
      const fresh = await signIn(person.email, oneTimePassword);
      expect(fresh.user.mustChangePassword).toBe(true);
      expect((await get(fresh, '/api/contacts?status=open')).json<ErrorBody>().error.code).toBe('password_change_required');

      const events = await eventsAbout(person.id);
      expect(events.find((e) => e.type === 'staff.password_reset')).toMatchObject({
        actor_type: 'staff',
        actor_id: admin.user.id,
        data: { sessionsEnded: 1, returnedContacts: 0 },
      });
      expect(JSON.stringify(events)).not.toContain(oneTimePassword);
      const listed = await get(admin, '/api/staff');
      expect(listed.json<{ staff: { id: string; mustChangePassword: boolean }[] }>().staff.find((s) => s.id === person.id)?.mustChangePassword).toBe(true);
    });

    it('refuses-a-non-admin-another-forces-staff-and-oneself', async () => {
      const person = await addStaff('call_handler');
      const supervisor = await signIn('supervisor@demo.police.uk', 'demo-password');
      const notAdmin = await post(supervisor, `/api/staff/${person.id}/reset-password`);
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json<ErrorBody>().error.code).toBe('forbidden');

      const otherStaff = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('staff').select('id').where('email', '=', other.emails.call_handler ?? '').executeTakeFirstOrThrow(),
      );
      const elsewhere = await post(admin, `/api/staff/${otherStaff.id}/reset-password`);
      expect(elsewhere.statusCode).toBe(404);
      // The other force's member of staff still signs in with their own password.
      expect((await login(other.emails.call_handler ?? '', 'other-password')).statusCode).toBe(200);

      const self = await post(admin, `/api/staff/${admin.user.id}/reset-password`);
      expect(self.statusCode).toBe(409);
      expect(self.json<ErrorBody>().error.message).toBe('You cannot reset the password of your own account; ask another force admin.');
      expect((await get(admin, '/api/auth/me')).statusCode).toBe(200);

      expect((await post(admin, '/api/staff/not-a-uuid/reset-password')).statusCode).toBe(400);
      expect((await eventsAbout(person.id)).map((e) => e.type)).not.toContain('staff.password_reset');
    });
  });

  describe('deactivation', () => {
    it('refuses-sign-in-ends-sessions-and-returns-open-contacts-to-the-queue', async () => {
      const person = await addStaff('call_handler');
      const session = await signIn(person.email, person.password);
      expect((await post(session, '/api/me/presence', { presence: 'available' })).statusCode).toBe(200);
      const report = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: `cred-${counter}`,
        whatHappened: 'My shed was broken into last night',
        where: 'Mill Lane',
        when: 'last night',
        name: 'Pat Example',
        email: 'pat@example.org',
      });
      await distributeWaiting(app.deps, app.demoForceId);
      const assignedTo = () =>
        withSystem(app.database.db, (tx) =>
          tx.selectFrom('contacts').select('assigned_staff_id').where('id', '=', report.contactId).executeTakeFirstOrThrow(),
        );
      expect((await assignedTo()).assigned_staff_id).toBe(person.id);

      const deactivated = await post(admin, `/api/staff/${person.id}/deactivate`, { reason: 'left the force' });
      expect(deactivated.statusCode, deactivated.body).toBe(200);
      expect(deactivated.json()).toEqual({ sessionsEnded: 1, returnedContacts: 1 });

      expect((await get(session, '/api/auth/me')).statusCode).toBe(401);
      const refused = await login(person.email, person.password);
      expect(refused.statusCode).toBe(403);
      expect(refused.json<ErrorBody>().error).toEqual({
        code: 'account_deactivated',
        message: 'This account has been deactivated. Ask your force admin if you think this is wrong.',
      });
      // A wrong password says only that it is wrong.
      expect((await login(person.email, 'a wrong password')).statusCode).toBe(401);

      // The contact is back in the queue and is not given to them again.
      expect((await assignedTo()).assigned_staff_id).toBeNull();
      await distributeWaiting(app.deps, app.demoForceId);
      expect((await assignedTo()).assigned_staff_id).toBeNull();
      const presence = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('staff_routing').select('presence').where('staff_id', '=', person.id).executeTakeFirstOrThrow(),
      );
      expect(presence.presence).toBe('offline');
      const unassigned = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('events').select('data').where('subject_id', '=', report.contactId).where('type', '=', 'contact.unassigned').execute(),
      );
      expect(unassigned.map((e) => e.data)).toEqual([{ staffId: person.id, reason: 'deactivated' }]);

      const events = await eventsAbout(person.id);
      expect(events.find((e) => e.type === 'staff.deactivated')).toMatchObject({
        actor_id: admin.user.id,
        data: { reason: 'left the force', sessionsEnded: 1, returnedContacts: 1 },
      });
      const listed = await get(admin, '/api/staff');
      expect(listed.json<{ staff: { id: string; isActive: boolean }[] }>().staff.find((s) => s.id === person.id)?.isActive).toBe(false);

      // Deactivating twice is refused; reactivating lets them sign in again.
      expect((await post(admin, `/api/staff/${person.id}/deactivate`)).statusCode).toBe(409);
      const reactivated = await post(admin, `/api/staff/${person.id}/reactivate`);
      expect(reactivated.statusCode, reactivated.body).toBe(200);
      expect((await login(person.email, person.password)).statusCode).toBe(200);
      expect((await eventsAbout(person.id)).map((e) => e.type)).toContain('staff.reactivated');
      expect((await post(admin, `/api/staff/${person.id}/reactivate`)).statusCode).toBe(409);
    });

    it('refuses-self-deactivation-a-non-admin-and-another-forces-staff', async () => {
      const self = await post(admin, `/api/staff/${admin.user.id}/deactivate`);
      expect(self.statusCode).toBe(409);
      expect(self.json<ErrorBody>().error.message).toBe('You cannot deactivate your own account; ask another force admin.');
      expect((await get(admin, '/api/auth/me')).statusCode).toBe(200);

      const person = await addStaff('call_handler');
      const handler = await signIn('handler@demo.police.uk', 'demo-password');
      expect((await post(handler, `/api/staff/${person.id}/deactivate`)).statusCode).toBe(403);
      expect((await get(handler, '/api/staff')).statusCode).toBe(403);

      const otherAdmin = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('staff').select('id').where('email', '=', other.emails.force_admin ?? '').executeTakeFirstOrThrow(),
      );
      expect((await post(admin, `/api/staff/${otherAdmin.id}/deactivate`)).statusCode).toBe(404);
      expect((await post(admin, `/api/staff/${otherAdmin.id}/reactivate`)).statusCode).toBe(404);
      expect((await login(other.emails.force_admin ?? '', 'other-password')).statusCode).toBe(200);
      expect((await login(person.email, person.password)).statusCode).toBe(200);
    });

    it('lists-only-the-admins-own-force-without-password-hashes', async () => {
      const listed = await get(admin, '/api/staff');
      expect(listed.statusCode).toBe(200);
      const staff = listed.json<{ staff: { email: string }[] }>().staff;
      expect(staff.map((s) => s.email)).toContain('handler@demo.police.uk');
      expect(staff.some((s) => s.email.endsWith('@other.police.uk'))).toBe(false);
      expect(listed.body).not.toContain('argon2');
    });
  });
});
