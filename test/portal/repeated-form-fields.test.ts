// A form field posted twice (no browser sends the report form so, but a script or a broken proxy
// can) is refused as a form to check, never with an error that is untrue of what was typed: a
// second email address is not "254 characters or more", and a second account of what happened
// is not "nothing entered".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { Visitor, hidden } from '../portal-visitor.ts';

describe(`the report form with a field given twice (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const post = async (fields: Record<string, string | string[]>) => {
    visitors += 1;
    const visitor = new Visitor(app, `10.46.0.${visitors}`);
    const form = await visitor.open('/report/details');
    const base = { submissionId: hidden(form.body, 'submissionId'), whatHappened: 'My bike was taken', where: 'Mill Lane', when: 'Yesterday', email: 'sam@example.org' };
    return visitor.post('/report/details', { ...base, ...fields });
  };
  /** The error summary's words, one item a line. */
  const errorsOf = (html: string) =>
    [...(/govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((match) => (match[1] ?? '').trim());

  it.each([
    ['email', ['sam@example.org', 'alex@example.org']],
    ['whatHappened', ['My bike was taken', 'and my helmet']],
    ['name', ['Sam', 'Alex']],
  ])('refuses-%s-given-twice-asking-to-check-it-not-with-an-untrue-error', async (field, values) => {
    const response = await post({ [field]: values });
    expect(response.statusCode).toBe(400);
    expect(errorsOf(response.body)).toEqual(['Check what you have entered']);
  });
});
