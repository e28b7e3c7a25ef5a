// A reporting centre rings the force: its reports got no references. The force trusts its address,
// or raises its allowance, and the reports the allowance held back in the last 24 hours are
// acknowledged after all: oldest first, up to the new allowance, each once, in the language it was
// made in; nobody else's, and nothing from before the day's window (decision 0171).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import type { Job } from '../../src/platform/jobs/jobs.ts';
import { createAcknowledgeHeldHandler } from '../../src/capabilities/contacts/held-acknowledgements.service.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

const HOUR = 60 * 60 * 1000;
const CENTRE = 'reports@centre.example.org';

describe(`portal reports held back by the allowance, acknowledged when it rises (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-12-09T09:00:00Z'));
  // Two reports a round, so a round that fills up is followed by another.
  const heldHandler = createAcknowledgeHeldHandler({ clock, roundSize: 2 });
  let app: TestApp;
  let admin: Session;
  let otherForceId: ForceId;
  let reports = 0;
  const contactOf = new Map<string, string>();

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, jobHandlers: new Map([['contact.acknowledge_held', heldHandler]]) } });
    admin = await signIn(app, 'admin@demo.police.uk');
    otherForceId = (await createDemoLikeForce(app)).forceId;
  });
  afterAll(() => app.close());

  /** A report named `name` (to find it by), in English unless said. */
  const report = async (email: string, name: string, options: { forceId?: ForceId; language?: string } = {}) => {
    reports += 1;
    const { contactId } = await submitPublicReport(app.deps, options.forceId ?? app.demoForceId, {
      submissionId: `held-ack-${reports}`,
      whatHappened: `Reported for someone else: ${name}`,
      where: '1 High Street, Demoton',
      when: 'This morning',
      name: null,
      email,
      ...(options.language ? { language: options.language } : {}),
    });
    contactOf.set(name, contactId);
    await app.runner?.runDue();
  };
  const id = (name: string) => contactOf.get(name) ?? '';
  /** The acknowledgement emails queued for each named report, with their subjects. */
  const mailsFor = (names: readonly string[]) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select(['contact_id', 'subject']).where('purpose', '=', 'acknowledgement').where('contact_id', 'in', names.map(id)).execute(),
    );
  const isAcknowledged = async (name: string) => {
    const events = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('id').where('type', '=', 'contact.acknowledged').where('subject_id', '=', id(name)).execute(),
    );
    const mails = await mailsFor([name]);
    // Never more than one of either.
    expect(events.length).toBe(mails.length);
    expect(mails.length).toBeLessThanOrEqual(1);
    return mails.length === 1;
  };
  const acknowledgedOf = async (names: readonly string[]) => {
    const acknowledged: string[] = [];
    for (const name of names) if (await isAcknowledged(name)) acknowledged.push(name);
    return acknowledged;
  };
  const changeSettings = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload });
  const trust = (address: string) => app.inject({ method: 'POST', url: '/api/force/trusted-addresses', headers: admin.headers, payload: { address } });
  const runHeldJob = (payload: Record<string, string>) =>
    heldHandler({ job: { forceId: app.demoForceId, payload } as unknown as Job, inForce: (work) => withForce(app.database.db, app.demoForceId, work) });

  it('acknowledges-a-newly-trusted-addresss-held-reports-of-the-day-oldest-first-up-to-its-allowance', async () => {
    expect((await changeSettings({ acknowledgementsPerAddress: 2, trustedAcknowledgementsPerAddress: 5 })).statusCode).toBe(200);
    await app.runner?.runDue();
    // A day and more ago: two sent, one held, and left so.
    for (const name of ['old-1', 'old-2', 'old-held']) await report(CENTRE, name);
    clock.advance(25 * HOUR);
    admin = await signIn(app, 'admin@demo.police.uk');
    // Today: two sent, four held (the first of them made in Welsh).
    await report(CENTRE, 'today-1');
    await report('Reports@Centre.example.org', 'today-2');
    await report(CENTRE, 'held-1', { language: 'cy' });
    for (const name of ['held-2', 'held-3', 'held-4']) {
      clock.advance(60_000);
      await report(CENTRE, name);
    }
    // Another address's held report, and the same address's in another force.
    for (const name of ['neighbour-1', 'neighbour-2', 'neighbour-held']) await report('neighbour@example.org', name);
    for (let i = 1; i <= 6; i += 1) await report(CENTRE, `other-force-${i}`, { forceId: otherForceId });
    expect(await acknowledgedOf(['old-held', 'held-1', 'held-2', 'held-3', 'held-4', 'neighbour-held', 'other-force-6'])).toEqual([]);

    const trusted = await trust('Reports@Centre.Example.org');
    expect(trusted.statusCode).toBe(201);
    await app.runner?.runDue();

    // Allowance 5 less the 2 sent today: the three oldest held, in two rounds.
    expect(await acknowledgedOf(['held-1', 'held-2', 'held-3', 'held-4'])).toEqual(['held-1', 'held-2', 'held-3']);
    const mails = await mailsFor(['held-1', 'held-2', 'held-3']);
    // In the language each was made in.
    expect(mails.find((m) => m.contact_id === id('held-1'))?.subject).toMatch(/^Rydym wedi cael eich adroddiad/);
    expect(mails.find((m) => m.contact_id === id('held-2'))?.subject).toMatch(/^We have received your report/);
    expect(await acknowledgedOf(['old-held', 'neighbour-held', 'other-force-6'])).toEqual([]);
    // The log says a round sent two and another followed, naming the trusted row and no address.
    const rounds = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['subject_type', 'data']).where('type', '=', 'acknowledgements.held_sent').orderBy('seq').execute(),
    );
    const trustedId = trusted.json<{ address: { id: string } }>().address.id;
    expect(rounds.map((r) => r.data)).toEqual([
      { count: 2, isMore: true, trustedAddressId: trustedId },
      { count: 1, isMore: false, trustedAddressId: trustedId },
    ]);
    expect(JSON.stringify(rounds)).not.toContain('reports@');
  });

  it('sends-nothing-more-when-the-job-runs-again-or-the-address-is-added-again', async () => {
    const trustedId = (await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('acknowledgement_trusted_addresses').select('id').executeTakeFirstOrThrow())).id;
    await runHeldJob({ trustedAddressId: trustedId });
    await runHeldJob({ trustedAddressId: trustedId });
    expect((await trust(CENTRE)).statusCode).toBe(200);
    await app.runner?.runDue();
    expect(await acknowledgedOf(['held-1', 'held-2', 'held-3', 'held-4'])).toEqual(['held-1', 'held-2', 'held-3']);
  });

  it('acknowledges-held-reports-of-every-address-up-to-a-raised-allowance', async () => {
    await report('neighbour@example.org', 'neighbour-held-2');
    await report('second@example.org', 'second-1');
    await report('second@example.org', 'second-2');
    await report('second@example.org', 'second-held-1');
    await report('second@example.org', 'second-held-2');
    expect(await acknowledgedOf(['neighbour-held', 'neighbour-held-2', 'second-held-1', 'second-held-2'])).toEqual([]);

    expect((await changeSettings({ acknowledgementsPerAddress: 3 })).statusCode).toBe(200);
    await app.runner?.runDue();
    // One more each, the oldest held; the trusted address's allowance (5) is spent already.
    expect(await acknowledgedOf(['neighbour-held', 'neighbour-held-2', 'second-held-1', 'second-held-2'])).toEqual(['neighbour-held', 'second-held-1']);
    expect(await acknowledgedOf(['held-4', 'old-held', 'other-force-6'])).toEqual([]);
    const [settings] = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select('data').where('type', '=', 'force.settings_changed').orderBy('seq', 'desc').limit(1).execute(),
    );
    expect(settings?.data).toEqual({ changes: { acknowledgementsPerAddress: 3 } });
  });

  it('acknowledges-nothing-when-the-allowance-is-lowered', async () => {
    expect((await changeSettings({ acknowledgementsPerAddress: 1 })).statusCode).toBe(200);
    await app.runner?.runDue();
    await runHeldJob({});
    expect(await acknowledgedOf(['neighbour-held-2', 'second-held-2', 'held-4'])).toEqual([]);
  });

  it('acknowledges-each-held-report-once-when-two-runs-go-at-once', async () => {
    await changeSettings({ acknowledgementsPerAddress: 1 });
    for (const name of ['race-1', 'race-held-1', 'race-held-2', 'race-held-3']) await report('race@example.org', name);
    expect(await acknowledgedOf(['race-1', 'race-held-1'])).toEqual(['race-1']);
    // Trusted by hand, so that only the two runs below release its reports, and with room for all
    // of them (5): the allowance stops neither run, each must see what the other acknowledged.
    const trustedId = randomUUID();
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.insertInto('acknowledgement_trusted_addresses').values({ id: trustedId, force_id: app.demoForceId, address: 'race@example.org', added_by: admin.user.id, added_at: clock.now() }).execute(),
    );
    await Promise.all([runHeldJob({ trustedAddressId: trustedId }), runHeldJob({ trustedAddressId: trustedId })]);
    // The oldest two at least (the third too, when the second run began after the first ended),
    // each once: `acknowledgedOf` fails on a second mail or event.
    expect((await acknowledgedOf(['race-held-1', 'race-held-2', 'race-held-3'])).slice(0, 2)).toEqual(['race-held-1', 'race-held-2']);
    // The round that filled up is followed by one more, if anything is left.
    await app.runner?.runDue();
    expect(await acknowledgedOf(['race-held-1', 'race-held-2', 'race-held-3'])).toEqual(['race-held-1', 'race-held-2', 'race-held-3']);
  });
});
