// An appointment staff made for a day whose time is not known yet, as the victim reads it on their
// case page: the day, in English and in Welsh, with no time made up for it (not the midnight that
// stands for the day), and an all-day entry in the calendar file. See decisions 0077 and 0080.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { newId } from '../../src/platform/ids.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

/** A UK day as the page writes it, in English or Welsh. */
const written = (locale: 'en-GB' | 'cy', at: Date) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(at);
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(`the victim's case page shows an appointment known only by its day (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  it('shows the day without a time in English and Welsh, and gives an all-day calendar entry', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `day-only-${newId()}`,
      whatHappened: 'My bike was taken from the rack',
      where: 'Station Road',
      when: 'Yesterday',
      name: 'Dee Day',
      email: 'dee.day@example.org',
    });
    const made = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    expect(made.statusCode, made.body).toBe(201);
    const theCase = made.json<{ case: { id: string; reference: string } }>().case;
    // Three weeks ahead, as the UK writes the day; the API takes the date alone.
    const ukDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(app.deps.clock.now().getTime() + 21 * 86_400_000));
    const appointment = await app.inject({
      method: 'POST',
      url: `/api/cases/${theCase.id}/milestones`,
      headers: investigator.headers,
      payload: { type: 'appointment_made', at: ukDay, place: 'Demoton Police Station' },
    });
    expect(appointment.statusCode, appointment.body).toBe(200);

    const visitor = new Visitor(app, '10.8.0.1');
    const signedIn = await visitor.signInToCase({ id: theCase.id, reference: theCase.reference });
    expect(signedIn.headers.location).toBe('/check/case');

    // Noon UTC of the day is inside it in either season: its date is the day's, whatever the zone.
    const noon = new Date(`${ukDay}T12:00:00Z`);
    for (const [lang, locale, when, at] of [
      ['en', 'en-GB', 'When', 'at'],
      ['cy', 'cy', 'Pryd', 'am'],
    ] as const) {
      const page = await visitor.get(`/check/case?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      const day = escaped(written(locale, noon));
      // The appointment's card is titled with the day alone, and the milestone says when as a day.
      expect(page.body, lang).toMatch(new RegExp(`govuk-summary-card__title">\\s*${day}\\s*</h3>`));
      expect(page.body, lang).toMatch(new RegExp(`${when}: ${day}\\s*<`));
      // No time is made up for it: not the midnight that stands for the day, nor any other.
      expect(page.body, lang).not.toMatch(new RegExp(`${day} ${at} `));
    }

    const id = /appointment\.ics\?id=([0-9a-f-]{36})/.exec((await visitor.get('/check/case')).body)?.[1];
    const ics = await visitor.get(`/check/case/appointment.ics?id=${id ?? ''}`);
    expect(ics.statusCode).toBe(200);
    const next = new Date(Date.parse(`${ukDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(ics.body).toContain(`\r\nDTSTART;VALUE=DATE:${ukDay.replace(/-/g, '')}\r\nDTEND;VALUE=DATE:${next.replace(/-/g, '')}\r\n`);
    expect(ics.body).not.toMatch(/DTSTART:\d/);
  });
});
