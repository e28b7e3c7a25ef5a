// What a member of the public types is kept even when it holds a character PostgreSQL will not
// store (a NUL, a lone surrogate): the portal's forms store it with U+FFFD in its place, where
// the check made for staff JSON refused the whole post with an error page that lost the text.
// A percent escape that is no UTF-8 (which no browser sends for typed text) is read as a browser
// reads it, U+FFFD for the bytes it cannot decode, rather than leaving the whole field undecoded.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, hidden } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { reportedCase } from '../journeys/journey-kit.ts';

describe(`portal forms keep text holding a NUL or a lone surrogate, made storable (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  const storedBodies = (marker: string) =>
    withSystem(app.database.db, async (tx) => (await sql<{ body: string }>`select body from messages where channel = 'portal' and body like ${`%${marker}%`}`.execute(tx)).rows.map((row) => row.body));
  const storedContacts = (marker: string) =>
    withSystem(app.database.db, async (tx) =>
      (await sql<{ location: string; summary: string }>`select c.location, c.summary from contacts c join messages m on m.contact_id = c.id where m.body like ${`%${marker}%`}`.execute(tx)).rows,
    );

  it('stores-a-report-with-nul-and-lone-surrogates-replaced', async () => {
    const visitor = new Visitor(app, '10.44.0.1');
    const form = await visitor.open('/report/details');
    const marker = `nul-${randomUUID()}`;
    const sent = await visitor.post('/report/details', {
      submissionId: hidden(form.body, 'submissionId'),
      whatHappened: `My bike\u0000 was taken \ud800 from the rack ${marker}`,
      where: 'Library\u0000 car park',
      when: 'Yesterday',
      name: 'Sam\u0000 Public',
      email: 'sam.nul@example.org',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toMatch(/data-testid="reference">DEMO-/);
    await app.reports.settled();

    expect(await storedBodies(marker)).toEqual([`My bike\uFFFD was taken \uFFFD from the rack ${marker}`]);
    expect(await storedContacts(marker)).toEqual([expect.objectContaining({ location: 'Library\uFFFD car park' })]);
  });

  it('answers-a-reference-holding-a-nul-as-any-unknown-reference', async () => {
    const visitor = new Visitor(app, '10.44.0.2');
    await visitor.open('/check');
    const asked = await visitor.post('/check', { reference: 'DEMO-\u00001' });
    expect(asked.statusCode, asked.body).toBe(303);
    expect(asked.headers.location).toBe('/check/code');
  });

  it('stores-a-case-page-message-with-nul-and-lone-surrogates-replaced', async () => {
    const theCase = await reportedCase(app, handler);
    const visitor = new Visitor(app, '10.44.0.3');
    expect((await visitor.signInToCase({ id: theCase.caseId, reference: theCase.reference })).headers.location).toBe('/check/case');
    const page = await visitor.open('/check/case');
    const marker = `nul-${randomUUID()}`;

    const sent = await visitor.post('/check/case/message', { message: `Any news\u0000 on \udc00 the CCTV? ${marker}`, submissionId: hidden(page.body, 'submissionId') });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(await storedBodies(marker)).toEqual([`Any news\uFFFD on \uFFFD the CCTV? ${marker}`]);
  });

  it('stores-a-report-whose-percent-escapes-are-not-utf-8-with-those-bytes-replaced', async () => {
    const visitor = new Visitor(app, '10.44.0.4');
    const form = await visitor.open('/report/details');
    const marker = `escape-${randomUUID()}`;
    const fields = [
      `csrfToken=${encodeURIComponent(visitor.csrfFrom)}`,
      `submissionId=${encodeURIComponent(hidden(form.body, 'submissionId'))}`,
      `whatHappened=My+bike+%3Cb%3Ewas%3C%2Fb%3E+taken%FF+from+the+rack+${marker}`,
      'where=Library%C3%A9%FE+car+park',
      'when=Yesterday',
      'email=sam.escape%40example.org',
    ];
    const cookie = [...visitor.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const sent = await app.inject({
      method: 'POST',
      url: '/report/details',
      remoteAddress: '10.44.0.4',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: fields.join('&'),
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toMatch(/data-testid="reference">DEMO-/);
    await app.reports.settled();

    expect(await storedBodies(marker)).toEqual([`My bike <b>was</b> taken\uFFFD from the rack ${marker}`]);
    expect(await storedContacts(marker)).toEqual([expect.objectContaining({ location: 'Library\u00e9\uFFFD car park' })]);
  });
});
