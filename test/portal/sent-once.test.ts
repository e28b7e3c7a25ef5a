// A message from the case page, or a report, sent again (a double click, a browser retrying after a
// timeout, a form from before the submission id existed, a client that drops the hidden field) is
// stored once. A post with its form's submission id is stored once however often it arrives; a post
// without a valid one is stored not at all: the person gets the form back with what they wrote, a
// fresh id and an error summary asking them to send it again (decision 0119).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, hidden, victimOnCasePage as victimOnOwnCasePage } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';

const HOSTILE = (marker: string) => `Any news on the <script>alert("${marker}")</script> CCTV & the "side" door?`;
const HOSTILE_ESCAPED = (marker: string) => `Any news on the &lt;script&gt;alert(&quot;${marker}&quot;)&lt;/script&gt; CCTV &amp; the &quot;side&quot; door?</textarea>`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a post can carry instead of its form's submission id. */
const NOT_AN_ID: { name: string; fields: Record<string, string | string[]> }[] = [
  { name: 'no field', fields: {} },
  { name: 'an empty field', fields: { submissionId: '' } },
  { name: 'not an id', fields: { submissionId: 'not-an-id' } },
  { name: 'two ids', fields: { submissionId: [randomUUID(), randomUUID()] } },
];

describe('a message or report from the public, sent again, is stored once', () => {
  let app: TestApp;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let visitors = 0;

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  /** A victim signed in to a case of their own, on the case page in `lang`. */
  const victimOnCasePage = (lang: 'en' | 'cy' = 'en') => {
    visitors += 1;
    return victimOnOwnCasePage(app, handler, { ip: `10.9.0.${visitors}`, email: `sent.once.${visitors}@example.org`, lang });
  };

  const storedMessages = (marker: string) =>
    withSystem(app.database.db, async (tx) => Number((await sql<{ n: number }>`select count(*)::int as n from messages where body like ${`%${marker}%`}`.execute(tx)).rows[0]?.n));
  const messagesSentOnCase = async (caseId: string) =>
    (await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('id').where('subject_id', '=', caseId).where('type', '=', 'portal.case_message_sent').execute())).length;

  it('stores a case message sent twice with its form’s submission id once, one after the other or both at once', async () => {
    const { visitor, caseId, submissionId } = await victimOnCasePage();
    const marker = `twice-${randomUUID()}`;
    for (let i = 0; i < 2; i += 1) {
      const sent = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
      expect(sent.statusCode, sent.body).toBe(303);
      expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    }
    expect(await storedMessages(marker)).toBe(1);
    expect(await messagesSentOnCase(caseId)).toBe(1);

    // Two of the same post racing (a double click that got past the button's guard): still one.
    const page = await visitor.open('/check/case');
    const raced = `raced-${randomUUID()}`;
    const both = await Promise.all([1, 2].map(() => visitor.post('/check/case/message', { message: raced, submissionId: hidden(page.body, 'submissionId') })));
    expect(both.map((r) => r.statusCode)).toEqual([303, 303]);
    expect(await storedMessages(raced)).toBe(1);
    expect(await messagesSentOnCase(caseId)).toBe(2);
  });

  for (const { name, fields } of NOT_AN_ID) {
    it(`stores nothing from a case message posted twice with ${name} as its submission id, and gives it back to send once`, async () => {
      const { visitor, caseId, submissionId: shown } = await victimOnCasePage();
      const marker = `no-id-${randomUUID()}`;
      const answers = [];
      for (let i = 0; i < 2; i += 1) answers.push(await visitor.post('/check/case/message', { message: HOSTILE(marker), ...fields }));
      expect(await storedMessages(marker)).toBe(0);
      expect(await messagesSentOnCase(caseId)).toBe(0);
      const fresh = new Set<string>();
      for (const answer of answers) {
        expect(answer.statusCode, answer.body).toBe(400);
        expect(answer.headers['cache-control']).toBe('no-store');
        // The GOV.UK error summary, linked to the message box, the box's own error, and the words kept as text.
        expect(answer.body).toContain('<title>Error: ');
        expect(answer.body).toContain('govuk-error-summary');
        expect(answer.body).toContain('There is a problem');
        expect(answer.body).toContain('href="#message"');
        expect(answer.body).toContain('Your message has not been sent. Check it and select ‘Send message’ again');
        expect(answer.body).toContain('id="message-error"');
        expect(answer.body).toContain(HOSTILE_ESCAPED(marker));
        expect(answer.body).not.toContain('<script>alert');
        // A fresh id of its own in the form: not the one posted, not the one shown before.
        const id = hidden(answer.body, 'submissionId');
        expect(id).toMatch(UUID);
        expect(id).not.toBe(shown);
        fresh.add(id);
      }
      expect(fresh.size).toBe(2);

      // Sent from the form given back (twice, as people do): stored, once.
      const id = hidden(answers[1]?.body ?? '', 'submissionId');
      for (let i = 0; i < 2; i += 1) expect((await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId: id })).statusCode).toBe(303);
      expect(await storedMessages(marker)).toBe(1);
      expect(await messagesSentOnCase(caseId)).toBe(1);
    });
  }

  it('asks in Welsh to send a Welsh visitor’s message again, and an empty message is still asked for first', async () => {
    const { visitor } = await victimOnCasePage('cy');
    const marker = `cymraeg-${randomUUID()}`;
    const answer = await visitor.post('/check/case/message', { message: `Unrhyw newyddion? ${marker}` });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('<html lang="cy"');
    expect(answer.body).toContain('Nid yw eich neges wedi’i hanfon. Gwiriwch hi a dewiswch ‘Anfon neges’ eto');
    expect(answer.body).toContain(`Unrhyw newyddion? ${marker}</textarea>`);
    expect(await storedMessages(marker)).toBe(0);

    const empty = await visitor.post('/check/case/message', { message: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Rhowch eich neges');
    expect(empty.body).not.toContain('Nid yw eich neges wedi’i hanfon');
  });

  const REPORT = { where: 'Library, Demoton', when: 'Yesterday about 3pm', name: 'Sam Public', email: 'sam.public@example.org' };

  for (const { name, fields } of NOT_AN_ID) {
    it(`stores nothing from a report posted twice with ${name} as its submission id, and gives it back to send once`, async () => {
      visitors += 1;
      const visitor = new Visitor(app, `10.9.1.${visitors}`);
      const form = await visitor.open('/report/details');
      const marker = `report-${randomUUID()}`;
      const answers = [];
      for (let i = 0; i < 2; i += 1) answers.push(await visitor.post('/report/details', { whatHappened: HOSTILE(marker), ...REPORT, ...fields }));
      await app.reports.settled();
      expect(await storedMessages(marker)).toBe(0);
      for (const answer of answers) {
        expect(answer.statusCode, answer.body).toBe(400);
        expect(answer.body).toContain('govuk-error-summary');
        expect(answer.body).toContain('href="#whatHappened"');
        expect(answer.body).toContain('Your report has not been sent. Check it and select ‘Send report’ again');
        expect(answer.body).toContain(HOSTILE_ESCAPED(marker));
        expect(answer.body).not.toContain('<script>alert');
        expect(answer.body).toContain('value="Library, Demoton"');
        const id = hidden(answer.body, 'submissionId');
        expect(id).toMatch(UUID);
        expect(id).not.toBe(hidden(form.body, 'submissionId'));
      }

      const id = hidden(answers[1]?.body ?? '', 'submissionId');
      const references = [];
      for (let i = 0; i < 2; i += 1) {
        const sent = await visitor.post('/report/details', { whatHappened: HOSTILE(marker), ...REPORT, submissionId: id });
        expect(sent.statusCode, sent.body).toBe(200);
        references.push(/data-testid="reference">([^<]+)</.exec(sent.body)?.[1]);
      }
      await app.reports.settled();
      expect(references[0]).toMatch(/^DEMO-/);
      expect(references[1]).toBe(references[0]);
      expect(await storedMessages(marker)).toBe(1);
    });
  }

  it('asks in Welsh to send a Welsh visitor’s report again', async () => {
    const visitor = new Visitor(app, '10.9.1.2');
    await visitor.open('/report/details?lang=cy');
    const answer = await visitor.post('/report/details', { whatHappened: 'Cafodd fy meic ei ddwyn', ...REPORT });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('<html lang="cy"');
    expect(answer.body).toContain('Nid yw eich adroddiad wedi’i anfon. Gwiriwch ef a dewiswch ‘Anfon adroddiad’ eto');
  });
});
