// The report form posted while the database cannot take it (its connection lost, its disk full):
// the person gets the form back with everything they wrote, as when the post is shed under load
// (test/api/load-shedding.test.ts), instead of an error page that loses it.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { watchEngineCalls } from '../engine-calls.ts';
import { Visitor, hidden } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';

/** A terminated backend, as a failover or a restart of PostgreSQL ends a connection. */
const connectionLost = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
/** A full disk (SQLSTATE class 53, out of resources). */
const diskFull = () => Object.assign(new Error('could not extend file "base/16384/16385": No space left on device'), { code: '53100' });

describe('the report form posted while the database cannot take it', () => {
  let app: TestApp;
  let restoreEngine: (() => void) | null = null;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterEach(() => {
    restoreEngine?.();
    restoreEngine = null;
  });
  afterAll(() => app.close());

  /** Every statement storing a received report fails with `failure`, as the engine would answer it. */
  function failStoringReports(failure: () => Error): void {
    restoreEngine = watchEngineCalls((text, call) => (/insert into "received_reports"/i.test(text) ? Promise.reject(failure()) : call()));
  }

  const storedReports = (marker: string) =>
    withSystem(app.database.db, async (tx) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from messages where channel = 'portal' and body like ${`%${marker}%`}`.execute(tx)).rows[0]?.n),
    );

  it('gives-the-form-back-with-what-was-typed-and-its-submission-id-when-the-connection-is-lost', async () => {
    const visitor = new Visitor(app);
    const form = await visitor.open('/report/details');
    const submissionId = hidden(form.body, 'submissionId');
    const marker = `bike-${randomUUID()}`;
    const fields = {
      submissionId,
      whatHappened: `My bike was stolen from outside the "library" <b>${marker}</b> & nobody saw it`,
      where: 'Library, Demoton',
      when: 'Yesterday about 3pm',
      name: 'Sam Public',
      email: 'sam.public@example.org',
    };

    failStoringReports(connectionLost);
    const refused = await visitor.post('/report/details', fields);
    restoreEngine?.();
    restoreEngine = null;

    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.body).toContain('<html lang="en"');
    expect(refused.body).toContain('<title>');
    expect(refused.body).toContain('data-testid="busy"');
    expect(refused.body).toContain('your report has not been sent yet. We have kept what you wrote: check it and send it again in a minute.');
    // The person's words come back in the form, escaped, with the same submission id and token.
    expect(refused.body).toContain(`My bike was stolen from outside the &quot;library&quot; &lt;b&gt;${marker}&lt;/b&gt; &amp; nobody saw it</textarea>`);
    expect(refused.body).toContain('value="Library, Demoton"');
    expect(refused.body).toContain('value="Yesterday about 3pm"');
    expect(refused.body).toContain('value="Sam Public"');
    expect(refused.body).toContain('value="sam.public@example.org"');
    expect(hidden(refused.body, 'submissionId')).toBe(submissionId);
    expect(hidden(refused.body, 'csrfToken')).toBe(visitor.csrfFrom);
    expect(refused.body).toContain('action="/report/details"');
    expect(await storedReports(marker)).toBe(0);

    // Sent again once the database is back: stored, once.
    const sent = await visitor.post('/report/details', fields);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toMatch(/data-testid="reference">DEMO-/);
    await app.reports.settled();
    expect(await storedReports(marker)).toBe(1);
  });

  it('gives-the-form-back-in-welsh-when-the-disk-is-full', async () => {
    const visitor = new Visitor(app);
    const form = await visitor.open('/report/details?lang=cy');
    const marker = `beic-${randomUUID()}`;

    failStoringReports(diskFull);
    const refused = await visitor.post('/report/details', {
      submissionId: hidden(form.body, 'submissionId'),
      whatHappened: `Cafodd fy meic ei ddwyn y tu allan i’r llyfrgell ${marker}`,
      where: 'Llyfrgell, Demoton',
      when: 'Ddoe',
      email: 'sam@example.org',
    });

    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toContain('<html lang="cy"');
    expect(refused.body).toContain('nid yw eich adroddiad wedi’i anfon eto. Rydym wedi cadw’r hyn a ysgrifennoch chi');
    expect(refused.body).toContain(`Cafodd fy meic ei ddwyn y tu allan i’r llyfrgell ${marker}</textarea>`);
    expect(refused.body).toContain('value="Llyfrgell, Demoton"');
    expect(await storedReports(marker)).toBe(0);
  });
});
