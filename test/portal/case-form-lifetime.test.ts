// The case page's form names its case and victim, sealed (decision 0142). That token used to be good
// for ever: a page kept open, or copied, could post to the case long after its sign-in ended, the
// words sent by themselves at the next sign-in; a victim since removed from the case still had the
// words held; and a page of one case posted while signed in to another sent its words to the other.
// Now the form lasts as long as its sign-in and the half hour a message is held after it; past that
// the words are kept, sealed, to check and send after signing in again, in English and Welsh. It
// is refused once its victim is removed, and written for another case it is held for that case
// alone (decision 0146). Without JavaScript throughout: these are the forms a browser posts.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { hidden, casePageReads, reportedCase, victimOnCasePage, type Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { PORTAL_COOKIES } from '../../src/portal/security.ts';

const MINUTE = 60 * 1000;

describe(`the case page's form runs out with its sign-in (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-03-09T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const staff = (email: string) => signIn(app, email);
  const { storedMessages, caseReference, latestCode } = casePageReads(() => app);

  async function openCase(lang: 'en' | 'cy' = 'en') {
    visitors += 1;
    const { visitor, caseId } = await victimOnCasePage(app, await staff('handler@demo.police.uk'), { ip: `10.47.0.${visitors}`, email: `form.lifetime.${visitors}@example.org`, lang });
    const page = await visitor.open(`/check/case?lang=${lang}`);
    return { visitor, caseId, submissionId: hidden(page.body, 'submissionId'), caseToken: hidden(page.body, 'caseToken') };
  }

  async function signInAgain(visitor: Visitor, caseId: string, heldMessage: string) {
    const { reference } = await caseReference(caseId);
    const codeForm = await visitor.post('/check', { reference, heldMessage });
    expect(codeForm.statusCode, codeForm.body).toBe(200);
    const answer = await visitor.post('/check/code', { code: await latestCode(caseId), heldMessage });
    return { codeForm, answer };
  }

  it('keeps-the-words-of-a-page-that-has-run-out-to-check-and-send-not-sending-them', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    const marker = `ran-out-${randomUUID()}`;
    // The sign-in ended after 30 minutes and the page's half hour after it has gone too.
    clock.advance(61 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: `The car was outside again ${marker}`, submissionId, caseToken });
    expect(lapsed.statusCode, lapsed.body).toBe(200);
    expect(lapsed.body).toContain('action="/check"');
    expect(lapsed.body).toContain('This page was open for too long, so your message has not been sent. Sign in again within 30 minutes and your message will be on your case page for you to check and send.');
    expect(lapsed.body).not.toContain(marker);
    const heldMessage = hidden(lapsed.body, 'heldMessage');
    expect(heldMessage).toMatch(/^v2\./);

    const { codeForm, answer } = await signInAgain(visitor, caseId, heldMessage);
    expect(codeForm.body).toContain('When you enter the code, your message will be on your case page for you to check and send.');
    // Signed in again, the words are in the box to check and send; nothing was sent by itself.
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.body).toContain('You signed in again. Your message has not been sent yet: check it and send it.');
    expect(answer.body).toContain(`The car was outside again ${marker}`);
    expect(await storedMessages(marker)).toBe(0);
    const sent = await visitor.post('/check/case/message', { message: `The car was outside again ${marker}`, submissionId: hidden(answer.body, 'submissionId'), caseToken: hidden(answer.body, 'caseToken') });
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('says-so-in-welsh', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase('cy');
    const marker = `cy-${randomUUID()}`;
    clock.advance(90 * 24 * 60 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: `Roedd y car tu allan eto ${marker}`, submissionId, caseToken });
    expect(lapsed.body).toContain('<html lang="cy"');
    expect(lapsed.body).toContain('Roedd y dudalen hon ar agor yn rhy hir, felly nid yw eich neges wedi’i hanfon.');
    const { codeForm, answer } = await signInAgain(visitor, caseId, hidden(lapsed.body, 'heldMessage'));
    expect(codeForm.body).toContain('Pan fyddwch yn rhoi’r cod, bydd eich neges ar dudalen eich achos i chi ei gwirio a’i hanfon.');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('Rydych wedi mewngofnodi eto. Nid yw eich neges wedi’i hanfon eto');
    expect(await storedMessages(marker)).toBe(0);
  });

  it('still-sends-words-written-in-the-half-hour-after-the-sign-in-lapsed', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    const marker = `in-time-${randomUUID()}`;
    clock.advance(59 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: `Any news ${marker}`, submissionId, caseToken });
    expect(lapsed.body).toContain('You were signed out after 30 minutes, so your message has not been sent yet.');
    const { answer } = await signInAgain(visitor, caseId, hidden(lapsed.body, 'heldMessage'));
    expect(answer.headers.location).toBe('/check/case?sent=held#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('refuses-the-form-of-a-victim-since-removed-from-the-case', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    const investigator = await staff('investigator@demo.police.uk');
    const people = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers })).json<{ case: { people: { id: string; role: string }[] } }>().case.people;
    const victimId = people.find((person) => person.role === 'victim')?.id ?? '';
    expect((await app.inject({ method: 'DELETE', url: `/api/cases/${caseId}/people/${victimId}`, headers: investigator.headers })).statusCode).toBe(200);
    const marker = `removed-${randomUUID()}`;

    // Still signed in: nothing is sent, the sign-in is ended, the page says why (decision 0155).
    const signedIn = await visitor.post('/check/case/message', { message: `Hello ${marker}`, submissionId, caseToken });
    expect(signedIn.statusCode, signedIn.body).toBe(403);
    expect(signedIn.body).toContain('You have been taken off this case');
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);

    // After the sign-in lapsed, the page's token holds nothing for them.
    clock.advance(31 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: `Hello ${marker}`, submissionId, caseToken });
    expect(lapsed.statusCode).toBe(403);
    expect(lapsed.body).not.toContain('name="heldMessage"');
    expect(await storedMessages(marker)).toBe(0);
  });

  it('holds-words-written-on-another-cases-page-for-that-case-alone', async () => {
    // A victim of two cases: the first case's page is open in a tab, then they sign in to the second.
    const first = await openCase();
    const second = await reportedCase(app, await staff('handler@demo.police.uk'), `second.case.${randomUUID()}@example.org`);
    expect((await first.visitor.signInToCase(second)).headers.location).toBe('/check/case');
    const marker = `first-case-${randomUUID()}`;
    const posted = await first.visitor.post('/check/case/message', { message: `About the first case ${marker}`, submissionId: first.submissionId, caseToken: first.caseToken });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.body).toContain('it was written on the page of a different case from the one you are signed in to now');
    expect(posted.body).not.toContain(marker);
    expect(await storedMessages(marker)).toBe(0);
    // Signing in to the first case sends it there (a minute on, so its code is the newest).
    clock.advance(MINUTE);
    const { answer } = await signInAgain(first.visitor, first.caseId, hidden(posted.body, 'heldMessage'));
    expect(answer.statusCode, answer.body.slice(0, 3000)).toBe(303);
    expect(answer.headers.location).toBe('/check/case?sent=held#messages');
    const onFirst = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('messages as m').innerJoin('contacts as c', 'c.id', 'm.contact_id').select(sql<string>`c.meta->>'caseId'`.as('caseId')).where('m.body', 'like', `%${marker}%`).execute(),
    );
    expect(onFirst).toEqual([{ caseId: first.caseId }]);
  });
});
