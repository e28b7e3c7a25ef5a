// The portal asks no one to prove the email address they give, and acknowledges each report by
// email to it. Without an allowance one visitor could make the force's mail server send any
// stranger as many "we have received your report" emails as they had reports to post. Each report
// is still stored and shown with its reference; only the acknowledgements past the allowance are
// not sent (decision 0162).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { ACKNOWLEDGEMENTS_PER_ADDRESS } from '../../src/capabilities/contacts/acknowledgement.service.ts';

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
