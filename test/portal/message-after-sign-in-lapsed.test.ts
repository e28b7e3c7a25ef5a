// A victim writes to their officer from the case page after the 30-minute sign-in has lapsed.
// The post used to answer with a redirect to /check and the words (up to 5,000 characters) were
// gone without a word said. Now the reference form comes back saying the message has not been
// sent, carrying it sealed (unreadable on the device) for that case and victim alone; once the
// code is entered it is sent, and the case page says so, in English and Welsh (decision 0142).
// Without JavaScript throughout: these are the forms a browser posts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, hidden, casePageReads, reportedCase, victimOnCasePage } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { PORTAL_COOKIES } from '../../src/portal/security.ts';

const MINUTE = 60 * 1000;
const HOSTILE = (marker: string) => `He came back last night <script>alert("${marker}")</script> & took the car keys. ${marker}`;

describe(`a case message written after the sign-in lapsed (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  const victim = (lang: 'en' | 'cy' = 'en') => {
    visitors += 1;
    return victimOnCasePage(app, handler, { ip: `10.9.0.${visitors}`, email: `lapsed.victim.${visitors}@example.org`, lang });
  };
  const { storedMessages, caseReference, latestCode } = casePageReads(() => app);

  /** Writes `message` on the open case page, `minutes` after it was shown; the answer to the post. */
  async function writeAfterLapse(visitor: Visitor, page: { submissionId: string; caseToken: string }, message: string, minutes = 31) {
    clock.advance(minutes * MINUTE);
    return visitor.post('/check/case/message', { message, submissionId: page.submissionId, caseToken: page.caseToken });
  }

  /** Signs in to `caseId` again from the reference form just shown, the held message going along. */
  async function signInAgain(visitor: Visitor, caseId: string, heldMessage: string) {
    const { reference } = await caseReference(caseId);
    const codeForm = await visitor.post('/check', { reference, heldMessage });
    expect(codeForm.statusCode, codeForm.body).toBe(200);
    expect(hidden(codeForm.body, 'heldMessage')).toBe(heldMessage);
    const answer = await visitor.post('/check/code', { code: await latestCode(caseId), heldMessage });
    return { codeForm, answer };
  }

  async function openCase(lang: 'en' | 'cy' = 'en') {
    const { visitor, caseId, submissionId } = await victim(lang);
    const page = await visitor.get(`/check/case?lang=${lang}`);
    return { visitor, caseId, submissionId, caseToken: hidden(page.body, 'caseToken') };
  }

  it('sends-the-message-once-the-victim-signs-in-again-and-says-so', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    expect(caseToken).not.toBe('');
    const marker = `keys-${randomUUID()}`;

    const lapsed = await writeAfterLapse(visitor, { submissionId, caseToken }, HOSTILE(marker));
    expect(lapsed.statusCode, lapsed.body).toBe(200);
    expect(lapsed.body).toContain('action="/check"');
    expect(lapsed.body).toContain('You were signed out after 30 minutes, so your message has not been sent yet.');
    // Nothing of the words is readable on the page or in a cookie: only sealed.
    expect(lapsed.body).not.toContain(marker);
    for (const cookie of lapsed.cookies) expect(cookie.value).not.toContain(marker);
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
    const heldMessage = hidden(lapsed.body, 'heldMessage');
    expect(heldMessage).toMatch(/^v2\./);
    expect(await storedMessages(marker)).toBe(0);

    const { codeForm, answer } = await signInAgain(visitor, caseId, heldMessage);
    expect(codeForm.body).toContain('When you enter the code, we will send the message you wrote.');
    expect(codeForm.body).not.toContain(marker);
    expect(answer.statusCode, answer.body).toBe(303);
    expect(answer.headers.location).toBe('/check/case?sent=held#messages');
    expect(await storedMessages(marker)).toBe(1);

    const shown = await visitor.get('/check/case?sent=held');
    expect(shown.body).toContain('You signed in again and your message has been sent.');
    expect(shown.body).toContain(`&lt;script&gt;alert(&quot;${marker}&quot;)&lt;/script&gt;`);
    expect(shown.body).not.toContain('<script>alert');
  });

  it('tells-the-victim-in-welsh', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase('cy');
    const marker = `cy-${randomUUID()}`;
    const lapsed = await writeAfterLapse(visitor, { submissionId, caseToken }, `Daeth yn ôl neithiwr ${marker}`);
    expect(lapsed.body).toContain('<html lang="cy"');
    expect(lapsed.body).toContain('Cawsoch eich allgofnodi ar ôl 30 munud');
    const { codeForm, answer } = await signInAgain(visitor, caseId, hidden(lapsed.body, 'heldMessage'));
    expect(codeForm.body).toContain('byddwn yn anfon y neges a ysgrifennoch');
    const shown = await visitor.get(answer.headers.location ?? '');
    expect(shown.body).toContain('Rydych wedi mewngofnodi eto ac mae eich neges wedi’i hanfon.');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('denies-a-held-message-to-a-sign-in-to-another-case', async () => {
    // Two victims share a device: the first one's words must never reach, or show on, the second's case.
    const first = await openCase();
    const marker = `other-${randomUUID()}`;
    const lapsed = await writeAfterLapse(first.visitor, first, HOSTILE(marker));
    const heldMessage = hidden(lapsed.body, 'heldMessage');

    const second = await reportedCase(app, handler, `second.victim.${randomUUID()}@example.org`);
    const { answer } = await signInAgain(first.visitor, second.id, heldMessage);
    expect(answer.statusCode, answer.body).toBe(303);
    expect(answer.headers.location).toBe('/check/case?sent=held-elsewhere#messages');
    const shown = await first.visitor.get(answer.headers.location ?? '');
    // The reason given is the true one, not the 30 minutes, and it says nothing of the other case.
    expect(shown.body).toContain('Your message was not sent: it was written on a different case page. Write it again here if it is for this case.');
    expect(shown.body).not.toContain('more than 30 minutes had passed');
    expect(shown.body).not.toContain(marker);
    expect(shown.body).not.toContain((await caseReference(first.caseId)).reference);
    expect(await storedMessages(marker)).toBe(0);
    const welsh = await first.visitor.get('/check/case?sent=held-elsewhere&lang=cy');
    expect(welsh.body).toContain('Ni chafodd eich neges ei hanfon: cafodd ei hysgrifennu ar dudalen achos arall.');
  });

  it('tells-the-victim-signed-in-with-the-report-reference-that-the-message-was-not-sent', async () => {
    // The victim types the reference they were given when they reported, not the case's: the code
    // opens the report's page, which is not the case, so the message cannot go. They are told so
    // there, and how to send it, in English and Welsh.
    for (const lang of ['en', 'cy'] as const) {
      const { visitor, caseId, submissionId, caseToken } = await openCase(lang);
      const marker = `report-${randomUUID()}`;
      const lapsed = await writeAfterLapse(visitor, { submissionId, caseToken }, HOSTILE(marker));
      const heldMessage = hidden(lapsed.body, 'heldMessage');
      const report = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('cases as c').innerJoin('contacts as k', 'k.id', 'c.contact_id').select(['k.id', 'k.reference']).where('c.id', '=', caseId).executeTakeFirstOrThrow(),
      );
      const codeForm = await visitor.post('/check', { reference: report.reference, heldMessage });
      expect(codeForm.statusCode, codeForm.body).toBe(200);
      const mail = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('outbox').select('body').where('contact_id', '=', report.id).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
      );
      const code = /(?:is|yw) (\d{6})/.exec(mail.body)?.[1] ?? '';
      const answer = await visitor.post('/check/code', { code, heldMessage });
      expect(answer.statusCode, answer.body).toBe(303);
      expect(answer.headers.location).toBe('/check/report?sent=held-report');
      // The report's sign-in opens the report alone, never the case.
      expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
      const shown = await visitor.get(answer.headers.location ?? '');
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.body).toContain('data-testid="held-notice"');
      expect(shown.body).toContain(
        lang === 'en'
          ? 'Your message to your officer was not sent. You signed in with the reference for your report, which shows your report only.'
          : 'Ni chafodd eich neges at eich swyddog ei hanfon.',
      );
      expect(shown.body).not.toContain(marker);
      expect(await storedMessages(marker)).toBe(0);
      // Without the note, the report page says nothing of a message.
      expect((await visitor.get('/check/report')).body).not.toContain('data-testid="held-notice"');
    }
  });

  it('denies-a-held-message-after-thirty-minutes-and-one-altered', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    const marker = `late-${randomUUID()}`;
    const lapsed = await writeAfterLapse(visitor, { submissionId, caseToken }, HOSTILE(marker));
    const heldMessage = hidden(lapsed.body, 'heldMessage');
    clock.advance(31 * MINUTE);
    const { answer } = await signInAgain(visitor, caseId, heldMessage);
    expect(answer.headers.location).toBe('/check/case?sent=held-lost#messages');
    expect(await storedMessages(marker)).toBe(0);

    // A sealed value altered in the page opens to nothing.
    const fresh = await openCase();
    const again = await writeAfterLapse(fresh.visitor, fresh, HOSTILE(marker));
    const sealed = hidden(again.body, 'heldMessage');
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    const { answer: tampered } = await signInAgain(fresh.visitor, fresh.caseId, altered);
    expect(tampered.headers.location).toBe('/check/case?sent=held-lost#messages');
    expect(await storedMessages(marker)).toBe(0);
  });

  it('shows-a-held-message-without-its-submission-id-in-the-box-to-send-not-sending-it', async () => {
    const { visitor, caseId, caseToken } = await openCase();
    const marker = `noid-${randomUUID()}`;
    clock.advance(31 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: HOSTILE(marker), caseToken });
    const { answer } = await signInAgain(visitor, caseId, hidden(lapsed.body, 'heldMessage'));
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.body).toContain('You signed in again. Your message has not been sent yet: check it and send it.');
    expect(answer.body).toContain(`&lt;script&gt;alert(&quot;${marker}&quot;)&lt;/script&gt;`);
    expect(hidden(answer.body, 'submissionId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await storedMessages(marker)).toBe(0);
    // Signed in by that answer: the box's form sends it.
    const sent = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId: hidden(answer.body, 'submissionId') });
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('denies-holding-words-posted-without-the-case-form', async () => {
    // No case page behind the post (or its token forged): the reference form, as before, holding nothing.
    const visitor = new Visitor(app, '10.9.1.1');
    await visitor.open('/check');
    const forged = await visitor.post('/check/case/message', { message: 'Hello', submissionId: randomUUID(), caseToken: 'v2.a.b.c.d' });
    expect(forged.statusCode).toBe(303);
    expect(forged.headers.location).toBe('/check');
  });

  it('leaves-nothing-readable-after-the-quick-exit', async () => {
    const { visitor, submissionId, caseToken } = await openCase();
    const marker = `exit-${randomUUID()}`;
    const lapsed = await writeAfterLapse(visitor, { submissionId, caseToken }, HOSTILE(marker));
    expect(lapsed.body).not.toContain(marker);
    await visitor.get('/exit');
    // Every portal cookie but the language is gone, and none ever held the words.
    expect([...visitor.cookies.keys()].filter((name) => name !== PORTAL_COOKIES.lang)).toEqual([]);
    const back = await visitor.get('/check/case');
    expect(back.headers.location).toBe('/check');
  });
});
