// A supervisor pushes a contact to a colleague at the moment an admin deactivates them or moves
// them to a role that does not work the queue. On PostgreSQL the admin's change locked the
// colleague's record and then waited for routing, while the push held routing and waited for the
// record: PostgreSQL broke the deadlock by failing one of them (a 503). The admin's change now
// takes routing first, as every move of a contact does, so the two take turns. PGlite runs one
// transaction at a time, so only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, eventTypesOf, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type ErrorBody = { error: { code: string; message: string } };

describe.skipIf(ENGINE !== 'postgres')('a contact pushed to someone an admin is taking off the queue', () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;
  let people = 0;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (session: Session, url: string, payload: object) => app.inject({ method: 'POST', url, headers: session.headers, payload });

  /** A call handler on duty, and a contact waiting for someone. */
  async function colleagueAndContact() {
    people += 1;
    const created = await post(admin, '/api/staff', { email: `leaver${people}@demo.police.uk`, name: `Lee Leaver ${people}`, role: 'call_handler' });
    expect(created.statusCode, created.body).toBe(201);
    const staffId = created.json<{ staff: { id: string } }>().staff.id;
    expect((await post(supervisor, `/api/routing/staff/${staffId}/presence`, { presence: 'available' })).statusCode).toBe(200);
    const { contactId } = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `leaver-${people}`,
      whatHappened: 'My shed was broken into',
      where: '3 Mill Lane, Demoton',
      when: 'Last night',
      name: 'Pat Example',
      email: `shed${people}@example.org`,
    });
    return { staffId, contactId };
  }
  const holderOf = async (contactId: string) =>
    (await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').select('assigned_staff_id').where('id', '=', contactId).executeTakeFirstOrThrow())).assigned_staff_id;

  it('deactivates-them-and-refuses-the-push-naming-why-instead-of-failing-one-with-503', async () => {
    const { staffId, contactId } = await colleagueAndContact();
    // The deactivation is held after locking the colleague's record, the push after taking routing.
    const [deactivated, pushed] = await heldTogether(app, 'lock table staff in share mode', [
      () => post(admin, `/api/staff/${staffId}/deactivate`, { reason: 'left the force' }),
      () => post(supervisor, `/api/contacts/${contactId}/assign`, { staffId }),
    ]);
    expect(deactivated?.statusCode, deactivated?.body).toBe(200);
    expect(pushed?.statusCode, pushed?.body).toBe(409);
    expect(pushed?.json<ErrorBody>().error.message).toBe(`Lee Leaver ${people} has been deactivated; nothing can be given to them`);
    expect(await holderOf(contactId)).toBeNull();
    expect((await eventTypesOf(app, staffId)).filter((type) => type === 'staff.deactivated')).toHaveLength(1);
    expect(await eventTypesOf(app, contactId)).not.toContain('contact.assigned');
  });

  it('moves-them-to-a-role-off-the-queue-and-refuses-the-push-instead-of-failing-one-with-503', async () => {
    const { staffId, contactId } = await colleagueAndContact();
    const [changed, pushed] = await heldTogether(app, 'lock table staff in share mode', [
      () => post(admin, `/api/staff/${staffId}/role`, { role: 'investigator' }),
      () => post(supervisor, `/api/contacts/${contactId}/assign`, { staffId }),
    ]);
    expect(changed?.statusCode, changed?.body).toBe(200);
    expect(pushed?.statusCode, pushed?.body).toBe(409);
    expect(pushed?.json<ErrorBody>().error.message).toBe(`Lee Leaver ${people} does not work the queue`);
    expect(await holderOf(contactId)).toBeNull();
    expect((await eventTypesOf(app, staffId)).filter((type) => type === 'staff.role_changed')).toHaveLength(1);
    expect(await eventTypesOf(app, contactId)).not.toContain('contact.assigned');
  });
});
