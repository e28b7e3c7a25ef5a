// The portal asks no one to prove the email address they give, and acknowledges each report by
// email to it. Without an allowance one visitor could make the force's mail server send any
// stranger as many "we have received your report" emails as they had reports to post. Each report
// is still stored and shown with its reference; only the acknowledgements past the allowance are
// not sent (decision 0162).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { createAcknowledgementHandler } from '../../src/capabilities/contacts/acknowledgement.service.ts';
import { ACKNOWLEDGEMENT_ALLOWANCE } from '../../src/capabilities/contacts/acknowledgement-allowance.schema.ts';
import type { Job } from '../../src/platform/jobs/jobs.ts';

/** The allowance of a force that set none (decision 0162). */
const ACKNOWLEDGEMENTS_PER_ADDRESS = ACKNOWLEDGEMENT_ALLOWANCE.default;

const HOUR = 60 * 60 * 1000;

describe('acknowledgements by email to one address', () => {
  const clock = fixedClock(new Date('2026-03-09T09:00:00Z'));
  let app: TestApp;
  let reports = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const report = (email: string) => {
    reports += 1;
    return submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `ack-allowance-${reports}`,
      whatHappened: `Report number ${reports}`,
      where: '1 High Street, Demoton',
      when: 'This morning',
      name: null,
      email,
    });
  };
  const acknowledgementsTo = async (recipient: string) => {
    await app.runner?.runDue();
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('recipient').where('purpose', '=', 'acknowledgement').where(sql<string>`lower(recipient)`, '=', recipient).execute(),
    );
    return rows.length;
  };

  it('sends-one-address-no-more-than-its-allowance-however-many-reports-name-it', async () => {
    for (let i = 0; i < ACKNOWLEDGEMENTS_PER_ADDRESS + 3; i += 1) await report(i % 2 === 0 ? 'stranger@example.org' : 'Stranger@Example.org');
    expect(await acknowledgementsTo('stranger@example.org')).toBe(ACKNOWLEDGEMENTS_PER_ADDRESS);
    // Every report is stored all the same, each with its own reference.
    const contacts = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('contacts').select('reference').where('channel', '=', 'portal').where('summary', 'like', 'Report number %').execute(),
    );
    expect(new Set(contacts.map((c) => c.reference)).size).toBe(ACKNOWLEDGEMENTS_PER_ADDRESS + 3);
  });

  it('leaves-other-addresses-their-own-allowance', async () => {
    await report('someone.else@example.org');
    expect(await acknowledgementsTo('someone.else@example.org')).toBe(1);
  });

  it('gives-the-address-its-allowance-again-a-day-later', async () => {
    clock.advance(24 * HOUR + 1);
    await report('stranger@example.org');
    expect(await acknowledgementsTo('stranger@example.org')).toBe(ACKNOWLEDGEMENTS_PER_ADDRESS + 1);
  });
});

// Two batches of one force's acknowledgements may run at once (on two nodes, or two slots of one):
// each must count the other's mails to an address, or both see the allowance unspent and send.
describe.runIf(ENGINE === 'postgres')('acknowledgements to one address from batches running at once', () => {
  const clock = fixedClock(new Date('2026-03-10T09:00:00Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('sends-one-address-no-more-than-its-allowance-when-two-batches-count-it-at-once', async () => {
    const recipient = 'raced@example.org';
    for (let i = 0; i <= ACKNOWLEDGEMENTS_PER_ADDRESS; i += 1) {
      await submitPublicReport(app.deps, app.demoForceId, { submissionId: `ack-race-${i}`, whatHappened: `Raced report ${i}`, where: '1 High Street, Demoton', when: 'This morning', name: null, email: recipient });
    }
    const contacts = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('contacts').select('id').where('summary', 'like', 'Raced report %').orderBy('reference').execute(),
    );
    expect(contacts).toHaveLength(ACKNOWLEDGEMENTS_PER_ADDRESS + 1);
    const jobsOf = (ids: readonly { id: string }[]) => ids.map(({ id }) => ({ payload: { contactId: id } }) as unknown as Job);
    const handler = createAcknowledgementHandler({ clock, maxBatch: 50 });
    const db = app.database.db;

    // The first batch counts and queues its five, and has not committed when the second counts.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let counted!: () => void;
    const firstCounted = new Promise<void>((resolve) => (counted = resolve));
    const first = withSystem(db, async (tx) => {
      await handler.run({ forceId: app.demoForceId, jobs: jobsOf(contacts.slice(0, ACKNOWLEDGEMENTS_PER_ADDRESS)), tx });
      counted();
      await held;
    });
    await firstCounted;
    let secondDone = false;
    const second = withSystem(db, (tx) => handler.run({ forceId: app.demoForceId, jobs: jobsOf(contacts.slice(ACKNOWLEDGEMENTS_PER_ADDRESS)), tx })).then(() => {
      secondDone = true;
    });
    // The second either finishes at once or waits for the first's lock.
    const waiting = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db)).rows[0]?.n ?? 0) > 0;
    await expect.poll(async () => secondDone || (await waiting()), { timeout: 20_000 }).toBe(true);
    release();
    await Promise.all([first, second]);

    const sent = await withSystem(db, (tx) => tx.selectFrom('outbox').select('id').where('purpose', '=', 'acknowledgement').where('recipient', '=', recipient).execute());
    expect(sent).toHaveLength(ACKNOWLEDGEMENTS_PER_ADDRESS);
  });
});
