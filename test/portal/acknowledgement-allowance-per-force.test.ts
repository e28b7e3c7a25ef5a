// A third-party reporting centre (a charity reporting hate crime for its victims, a school's
// safeguarding lead, a housing association) gives one address for many portal reports a day, and
// needs the acknowledgement of each for its reference. A force sets how many acknowledgements one
// address is sent a day, and trusts its reporting centres' addresses with more; each change is
// made by a force admin and recorded with who made it (decision 0166).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type TrustedAddress = { id: string; address: string; addedAt: string; addedBy: { id: string; name: string } };
type Page = { addresses: TrustedAddress[]; total: number; allowance: { perAddress: number; trustedPerAddress: number } };
type Refusal = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

const HOUR = 60 * 60 * 1000;

describe(`a force's acknowledgement allowance and trusted reporting addresses (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-12-08T09:00:00Z'));
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;
  let handler: Session;
  let otherAdmin: Session;
  let reports = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['force_admin']);
    otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
  });
  afterAll(() => app.close());

  const report = (email: string) => {
    reports += 1;
    return submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `ack-force-allowance-${reports}`,
      whatHappened: `Reported for someone else, number ${reports}`,
      where: '1 High Street, Demoton',
      when: 'This morning',
      name: null,
      email,
    });
  };
  const reportTimes = async (email: string, times: number) => {
    for (let i = 0; i < times; i += 1) await report(email);
  };
  const acknowledgementsTo = async (recipient: string) => {
    await app.runner?.runDue();
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('recipient').where('purpose', '=', 'acknowledgement').where(sql<string>`lower(recipient)`, '=', recipient).execute(),
    );
    return rows.length;
  };
  const changeSettings = (session: Session, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/force/settings', headers: session.headers, payload });
  const trust = (session: Session, address: string) => app.inject({ method: 'POST', url: '/api/force/trusted-addresses', headers: session.headers, payload: { address } });
  const untrust = (session: Session, address: string) => app.inject({ method: 'POST', url: '/api/force/trusted-addresses/remove', headers: session.headers, payload: { address } });
  const list = (session: Session, query = '') => app.inject({ method: 'GET', url: `/api/force/trusted-addresses${query}`, headers: session.headers });
  const eventsOf = (types: string[]) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'actor_type', 'actor_id', 'subject_type', 'subject_id', 'data']).where('type', 'in', types).orderBy('seq').execute(),
    );

  it('stops-acknowledging-an-address-after-the-allowance-the-force-set', async () => {
    const changed = await changeSettings(admin, { acknowledgementsPerAddress: 2 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<{ settings: { acknowledgementsPerAddress?: number } }>().settings.acknowledgementsPerAddress).toBe(2);
    const [event] = await eventsOf(['force.settings_changed']);
    expect(event).toMatchObject({ actor_type: 'staff', actor_id: admin.user.id, data: { changes: { acknowledgementsPerAddress: 2 } } });

    await reportTimes('neighbour@example.org', 4);
    expect(await acknowledgementsTo('neighbour@example.org')).toBe(2);
    // Every report is stored all the same, each with its own reference.
    const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').select('reference').where('summary', 'like', 'Reported for someone else, %').execute());
    expect(new Set(stored.map((c) => c.reference)).size).toBe(4);
    const page = (await list(admin)).json<Page>();
    expect(page.allowance).toEqual({ perAddress: 2, trustedPerAddress: 200 });
  });

  it('refuses-an-allowance-out-of-bounds-with-the-field-and-leaves-it-as-it-was', async () => {
    for (const payload of [{ acknowledgementsPerAddress: 0 }, { acknowledgementsPerAddress: 501 }, { acknowledgementsPerAddress: 2.5 }, { trustedAcknowledgementsPerAddress: 5000 }]) {
      const refused = await changeSettings(admin, payload);
      expect(refused.statusCode).toBe(400);
      const field = Object.keys(payload)[0] ?? '';
      expect(refused.json<Refusal>().error.fields?.map((f) => f.path).join()).toContain(field);
    }
    expect((await list(admin)).json<Page>().allowance).toEqual({ perAddress: 2, trustedPerAddress: 200 });
  });

  it('sends-a-trusted-reporting-address-past-the-allowance-of-any-other', async () => {
    const added = await trust(admin, '  Safeguarding@School.Example.org ');
    expect(added.statusCode).toBe(201);
    expect(added.json<{ address: TrustedAddress; added: boolean }>()).toMatchObject({ added: true, address: { address: 'safeguarding@school.example.org', addedBy: { id: admin.user.id } } });
    await reportTimes('safeguarding@school.example.org', 4);
    await reportTimes('Safeguarding@School.example.org', 4);
    expect(await acknowledgementsTo('safeguarding@school.example.org')).toBe(8);
  });

  it('keeps-an-address-added-twice-once-and-records-it-once-with-who-added-it', async () => {
    const again = await trust(admin, 'SAFEGUARDING@school.example.org');
    expect(again.statusCode).toBe(200);
    expect(again.json<{ added: boolean }>().added).toBe(false);
    const added = await eventsOf(['trusted_address.added']);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ actor_type: 'staff', actor_id: admin.user.id, subject_type: 'trusted_address', data: { domain: 'school.example.org' } });
    // The log is kept for ever and cannot be edited: it holds no address (decision 0077), only its
    // domain; the address is in the trusted address's row, named by the event's subject.
    expect(JSON.stringify(added[0]?.data)).not.toContain('safeguarding');
    expect((await list(admin)).json<Page>().total).toBe(1);
  });

  it('does-not-apply-another-forces-trusted-addresses', async () => {
    expect((await trust(otherAdmin, 'reports@charity.example.org')).statusCode).toBe(201);
    await reportTimes('reports@charity.example.org', 4);
    expect(await acknowledgementsTo('reports@charity.example.org')).toBe(2);
    // Each force lists only its own.
    expect((await list(otherAdmin)).json<Page>().addresses.map((a) => a.address)).toEqual(['reports@charity.example.org']);
    expect((await list(admin)).json<Page>().addresses.map((a) => a.address)).toEqual(['safeguarding@school.example.org']);
  });

  it('refuses-an-address-that-is-not-one-with-the-reason', async () => {
    const notAnAddress = await trust(admin, 'safeguarding at school');
    expect(notAnAddress.statusCode).toBe(400);
    expect(notAnAddress.json<Refusal>().error.fields).toMatchObject([{ path: 'body.address', message: 'must be an email address' }]);
    const phone = await trust(admin, '07700 900123');
    expect(phone.statusCode).toBe(400);
    expect(phone.json<Refusal>().error.fields?.[0]?.message).toMatch(/acknowledged by email only/);
    expect((await trust(admin, '')).statusCode).toBe(400);
    expect((await list(admin)).json<Page>().total).toBe(1);
  });

  it('refuses-staff-who-are-not-force-admins', async () => {
    for (const session of [supervisor, handler]) {
      expect((await list(session)).statusCode).toBe(403);
      expect((await trust(session, 'someone@example.org')).statusCode).toBe(403);
      expect((await untrust(session, 'safeguarding@school.example.org')).statusCode).toBe(403);
      expect((await changeSettings(session, { acknowledgementsPerAddress: 50 })).statusCode).toBe(403);
    }
    expect((await list(admin)).json<Page>()).toMatchObject({ total: 1, allowance: { perAddress: 2 } });
  });

  it('lists-the-trusted-addresses-a-page-at-a-time-newest-first', async () => {
    for (const address of ['one@centre.example.org', 'two@centre.example.org']) {
      clock.advance(60_000);
      expect((await trust(admin, address)).statusCode).toBe(201);
    }
    const first = (await list(admin, '?limit=2')).json<Page>();
    expect(first.total).toBe(3);
    expect(first.addresses.map((a) => a.address)).toEqual(['two@centre.example.org', 'one@centre.example.org']);
    const second = (await list(admin, '?limit=2&offset=2')).json<Page>();
    expect(second.addresses.map((a) => a.address)).toEqual(['safeguarding@school.example.org']);
    expect((await list(admin, '?limit=0')).statusCode).toBe(400);
  });

  it('gives-an-address-no-longer-trusted-the-allowance-of-any-other-and-records-who-removed-it', async () => {
    clock.advance(24 * HOUR + 1);
    admin = await signIn(app, 'admin@demo.police.uk');
    const removed = await untrust(admin, 'Safeguarding@School.Example.org');
    expect(removed.statusCode).toBe(200);
    expect(removed.json<{ address: string }>().address).toBe('safeguarding@school.example.org');
    const [event] = await eventsOf(['trusted_address.removed']);
    expect(event).toMatchObject({ actor_type: 'staff', actor_id: admin.user.id, subject_type: 'trusted_address', subject_id: (await eventsOf(['trusted_address.added']))[0]?.subject_id, data: { domain: 'school.example.org' } });
    expect(JSON.stringify(event?.data)).not.toContain('safeguarding');
    await reportTimes('safeguarding@school.example.org', 4);
    expect(await acknowledgementsTo('safeguarding@school.example.org')).toBe(8 + 2);
    // Removing it again: nothing to remove.
    expect((await untrust(admin, 'safeguarding@school.example.org')).statusCode).toBe(409);
    expect(await eventsOf(['trusted_address.removed'])).toHaveLength(1);
  });

  it('never-sends-a-trusted-address-more-than-the-trusted-allowance', async () => {
    expect((await changeSettings(admin, { trustedAcknowledgementsPerAddress: 3 })).statusCode).toBe(200);
    await reportTimes('one@centre.example.org', 5);
    expect(await acknowledgementsTo('one@centre.example.org')).toBe(3);
  });
});
