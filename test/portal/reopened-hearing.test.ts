// A case closed by mistake and reopened while its hearing is still to come lists that hearing again
// (decision 0121). On the victim's case page the reopening says only that the case was reopened;
// the hearing is its own entry, with its when and where, in English and in Welsh (decision 0127).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { milestone, reportedCase, type Session } from '../journeys/journey-kit.ts';

/** The timeline entries of a case page, each as its title and its lines of text. */
function entriesOf(html: string): { title: string; text: string }[] {
  return [...html.matchAll(/<li class="bl-timeline__item"[^>]*>([\s\S]*?)<\/li>/g)].map((match) => {
    const body = match[1] ?? '';
    const title = /bl-timeline__title">\s*([^<]*?)\s*</.exec(body)?.[1] ?? '';
    return { title, text: body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ') };
  });
}

describe(`the victim's case page after a reopening that lists the hearing again (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  it('shows the reopening without the hearing’s when and where, and the hearing as its own entry, in English and Welsh', async () => {
    const victim = await reportedCase(app, await signIn(app, 'handler@demo.police.uk'));
    const hearing = new Date(app.deps.clock.now().getTime() + 14 * 86_400_000);
    await milestone(app, investigator, victim.caseId, { type: 'suspect_identified' });
    await milestone(app, investigator, victim.caseId, { type: 'charged' });
    await milestone(app, investigator, victim.caseId, { type: 'court_date_set', at: hearing.toISOString(), place: 'Demoton Magistrates’ Court' });
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await milestone(app, investigator, victim.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });

    const visitor = new Visitor(app, '10.8.0.27');
    expect((await visitor.signInToCase({ id: victim.caseId, reference: victim.reference })).headers.location).toBe('/check/case');
    for (const [lang, reopened, restored, when, where] of [
      ['en', 'Your case has been reopened', 'Your court date still stands', 'When:', 'Where:'],
      ['cy', 'Mae eich achos wedi’i ailagor', 'Mae dyddiad y llys yn dal i sefyll', 'Pryd:', 'Ble:'],
    ] as const) {
      const page = await visitor.get(`/check/case?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      const entries = entriesOf(page.body);
      const reopening = entries.find((entry) => entry.title === reopened);
      expect(reopening, lang).toBeDefined();
      expect(reopening?.text, lang).not.toContain(when);
      expect(reopening?.text, lang).not.toContain(where);
      // Newest first: the hearing the reopening lists again sits with it, its own entry.
      const titles = entries.map((entry) => entry.title);
      expect(titles.indexOf(restored), lang).toBe(titles.indexOf(reopened) - 1);
      const listed = entries.find((entry) => entry.title === restored);
      expect(listed?.text, lang).toContain(`${where} Demoton Magistrates’ Court`);
      expect(listed?.text, lang).toContain(when);
      // The hearing first set keeps its own entry too.
      expect(entries.filter((entry) => entry.text.includes('Demoton Magistrates’ Court'))).toHaveLength(2);
    }
  });
});
