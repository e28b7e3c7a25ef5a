// A portal error page says what happened and what to do in the visitor's language, and nothing
// else: it showed the refusal's internal English reason as a detail line ("Manylion: Request body
// is too large"), which says nothing a person can act on and on a Welsh page is English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { messagesFor, type Locale } from '../../src/portal/i18n.ts';
import { FORM_LIMIT } from '../../src/portal/portal-kit.ts';

type Refusal = { name: string; url?: string; status: number; contentType: string; payload: string; english: string };

const REFUSALS: Refusal[] = [
  {
    name: 'a form over the size limit',
    url: '/report/danger',
    status: 413,
    contentType: 'application/x-www-form-urlencoded',
    payload: `danger=${'x'.repeat(FORM_LIMIT)}`,
    english: 'Request body is too large',
  },
  { name: 'a body of a type no parser takes', status: 415, contentType: 'text/plain', payload: 'My bike was stolen', english: 'Unsupported Media Type' },
  { name: 'a body not in the form of a form', status: 400, contentType: 'application/json', payload: '{"a":{"b":1}}', english: 'not in the expected form' },
  { name: 'a JSON body holding a NUL', status: 400, contentType: 'application/json', payload: '{"whatHappened":"x\\u0000"}', english: 'must not contain NUL characters' },
];

describe('portal error pages in English and Welsh', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  for (const locale of ['en', 'cy'] as Locale[]) {
    for (const refusal of REFUSALS) {
      it(`words-${refusal.status}-for-${refusal.name}-in-${locale}-without-an-english-reason`, async () => {
        const response = await app.inject({
          method: 'POST',
          url: refusal.url ?? '/report/details',
          headers: { 'content-type': refusal.contentType, cookie: `bl_lang=${locale}` },
          payload: refusal.payload,
        });
        expect(response.statusCode, response.body.slice(0, 500)).toBe(refusal.status);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        const t = messagesFor(locale).errorPages;
        const [title, body] = refusal.status === 413 ? [t.tooLargeTitle, t.tooLargeBody] : [t.badRequestTitle, t.badRequestBody];
        expect(response.body).toContain(`<html lang="${locale}"`);
        expect(response.body).toContain(title);
        expect(response.body).toContain(body);
        expect(response.body).not.toContain(refusal.english);
        expect(response.body).not.toContain('data-testid="error-message"');
      });
    }
  }
});
