// A case page's sign-in and its form's token named only the case and the victim (decisions 0142,
// 0146): a victim taken off the case and added again within the page's lifetime found the old
// cookie and the old page working again, as if never removed. Now both name the victim row and the
// sign-in they were granted under, checked on every request: a victim taken off the case loses the
// page at once, and added again (a new row) must sign in again; the old page never works again
// (decision 0155). Without JavaScript throughout: these are the forms a browser posts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { hidden, casePageReads, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { PORTAL_COOKIES } from '../../src/portal/security.ts';

const MINUTE = 60 * 1000;
type CasePerson = { id: string; role: string; personId: string | null };

describe(`a victim taken off a case, and added again, signs in again (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-05-11T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const staff = (email: string) => signIn(app, email);
  const { storedMessages, caseReference } = casePageReads(() => app);

  async function openCase(lang: 'en' | 'cy' = 'en') {
    visitors += 1;
    const email = `added.again.${visitors}@example.org`;
    const { visitor, caseId } = await victimOnCasePage(app, await staff('handler@demo.police.uk'), { ip: `10.48.0.${visitors}`, email, lang });
    const page = await visitor.open(`/check/case?lang=${lang}`);
    return { visitor, caseId, email, submissionId: hidden(page.body, 'submissionId'), caseToken: hidden(page.body, 'caseToken') };
  }

  async function victimRow(caseId: string) {
    const investigator = await staff('investigator@demo.police.uk');
    const people = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers })).json<{ case: { people: CasePerson[] } }>().case.people;
    const victim = people.find((person) => person.role === 'victim');
    expect(victim?.personId).toEqual(expect.any(String));
    return { investigator, victimId: victim?.id ?? '', personId: victim?.personId ?? '' };
  }

  async function takeOff(caseId: string) {
    const { investigator, victimId, personId } = await victimRow(caseId);
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${caseId}/people/${victimId}`, headers: investigator.headers });
    expect(removed.statusCode, removed.body).toBe(200);
    return { investigator, personId };
  }

  async function takeOffAndAddAgain(caseId: string, email: string) {
    const { investigator, personId } = await takeOff(caseId);
    const added = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/people`, headers: investigator.headers, payload: { role: 'victim', personId, name: 'Vic Tim', email } });
    expect(added.statusCode, added.body).toBe(201);
  }

  it('refuses-the-old-sign-in-and-page-of-a-victim-taken-off-and-added-again-and-lets-a-fresh-sign-in-in', async () => {
    const { visitor, caseId, email, submissionId, caseToken } = await openCase();
    await takeOffAndAddAgain(caseId, email);
    clock.advance(5 * MINUTE);
    const marker = `added-again-${randomUUID()}`;

    // The old sign-in: the page says they were taken off the case and gives their words back as text, unsent.
    const posted = await visitor.post('/check/case/message', { message: `<b>Still there ${marker}</b>`, submissionId, caseToken });
    expect(posted.statusCode, posted.body).toBe(403);
    expect(posted.body).toContain('You can no longer see this case');
    expect(posted.body).toContain('You have been taken off this case, so you cannot see it or send messages about it here any more.');
    expect(posted.body).toContain('Your message has not been sent. You can copy it from here to keep it.');
    expect(posted.body).toContain(`&lt;b&gt;Still there ${marker}&lt;/b&gt;`);
    expect(posted.body).not.toContain('<b>Still');
    expect(posted.body).not.toContain('name="heldMessage"');
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
    expect(await storedMessages(marker)).toBe(0);

    // Signed out, the old page's token holds nothing for the row they are on now.
    const again = await visitor.post('/check/case/message', { message: `Once more ${marker}`, submissionId, caseToken });
    expect(again.statusCode, again.body).toBe(403);
    expect(again.body).not.toContain('name="heldMessage"');
    expect((await visitor.get('/check/case')).headers.location).toBe('/check');

    // A fresh sign-in opens the case; the old page still cannot post, its words kept in the box.
    expect((await visitor.signInToCase({ id: caseId, reference: (await caseReference(caseId)).reference })).headers.location).toBe('/check/case');
    const page = await visitor.open('/check/case');
    expect(page.statusCode).toBe(200);
    const stale = await visitor.post('/check/case/message', { message: `Old page ${marker}`, submissionId, caseToken });
    expect(stale.statusCode, stale.body).toBe(400);
    expect(stale.body).toContain('Your message has not been sent: it was written on a page from before you were taken off this case.');
    expect(stale.body).toContain(`Old page ${marker}`);
    expect(await storedMessages(marker)).toBe(0);
    const sent = await visitor.post('/check/case/message', { message: `New page ${marker}`, submissionId: hidden(stale.body, 'submissionId'), caseToken: hidden(stale.body, 'caseToken') });
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('does-not-send-words-held-from-the-old-page-by-themselves-after-signing-in-on-the-new-row', async () => {
    const { visitor, caseId, email, submissionId, caseToken } = await openCase();
    const marker = `held-across-${randomUUID()}`;
    // The sign-in lapses; words written on the page are held for the next sign-in.
    clock.advance(40 * MINUTE);
    const lapsed = await visitor.post('/check/case/message', { message: `Written before ${marker}`, submissionId, caseToken });
    expect(lapsed.body).toContain('You were signed out after 30 minutes, so your message has not been sent yet.');
    const heldMessage = hidden(lapsed.body, 'heldMessage');
    await takeOffAndAddAgain(caseId, email);
    clock.advance(MINUTE);
    const { reference } = await caseReference(caseId);
    await visitor.post('/check', { reference, heldMessage });
    const { latestCode } = casePageReads(() => app);
    const answer = await visitor.post('/check/code', { code: await latestCode(caseId), heldMessage });
    // On the new row they see their words to check and send; nothing went by itself.
    expect(answer.statusCode, answer.body.slice(0, 2000)).toBe(400);
    expect(answer.body).toContain('You signed in again. Your message has not been sent yet: check it and send it.');
    expect(answer.body).toContain(`Written before ${marker}`);
    expect(await storedMessages(marker)).toBe(0);
  });

  it('says-so-in-welsh', async () => {
    const { visitor, caseId, email } = await openCase('cy');
    await takeOffAndAddAgain(caseId, email);
    const page = await visitor.get('/check/case?lang=cy');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Ni allwch weld yr achos hwn mwyach');
    expect(page.body).toContain('Rydych wedi cael eich tynnu oddi ar yr achos hwn');
  });

  it('ends-the-sign-in-of-a-victim-taken-off-the-case-at-once-on-every-page', async () => {
    const { visitor, caseId } = await openCase();
    const { personId } = await takeOff(caseId);
    expect(personId).not.toBe('');
    for (const url of ['/check/case', '/check/case/preferences']) {
      const fresh = await openCase();
      await takeOff(fresh.caseId);
      const refused = await fresh.visitor.get(url);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.body, url).toContain('You can no longer see this case');
      expect(fresh.visitor.cookies.has(PORTAL_COOKIES.caseAccess), url).toBe(false);
    }
    const survey = await visitor.post('/check/case/survey', { score: '5' });
    expect(survey.statusCode).toBe(403);
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
    expect((await visitor.get('/check/case')).headers.location).toBe('/check');
  });
});
