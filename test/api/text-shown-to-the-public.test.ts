import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';

type ErrorBody = { error: { code: string; fields?: { path: string; message: string }[] } };
type Area = { id: string; name: string; kind: string };

/**
 * Text a force admin sets that the public reads: the victim portal's contact route (English and
 * Welsh) on every case page, and area names. A right-to-left override showed the rest of the line
 * backwards ("quote {reference}" could read as another instruction), and zero-width spaces alone
 * looked blank on the page while counting as set. Both are refused with the field and the reason;
 * an empty contact route still puts back the standard wording.
 */
describe(`text a force sets for the public to read (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });
  const refusal = (response: Awaited<ReturnType<typeof post>>) => {
    expect(response.statusCode, response.body).toBe(400);
    return response.json<ErrorBody>().error.fields?.[0];
  };

  const HOSTILE = {
    'only zero-width spaces': '\u200B\u200B',
    'a right-to-left override': 'Call 101 and quote \u202E{reference}',
    'a right-to-left isolate': 'Ffoniwch 101 \u2067{reference}\u2069',
    'a line break': 'Call 101\nor 999',
  };

  it('refuses-contact-routes-that-look-blank-break-lines-or-reorder-text', async () => {
    for (const field of ['contactRoute', 'contactRouteCy']) {
      for (const [what, text] of Object.entries(HOSTILE)) {
        const field0 = refusal(await post('/api/force/settings', { victimPortal: { [field]: text } }));
        expect(field0?.path, `${field}: ${what}`).toBe(`body.victimPortal.${field}`);
        expect(field0?.message, `${field}: ${what}`).toMatch(/text a victim can read|one line|reorder/);
      }
    }
  });

  it('keeps-contact-routes-in-either-language-and-an-empty-one-for-the-standard-wording', async () => {
    const saved = await post('/api/force/settings', {
      victimPortal: { contactRoute: 'Call 101 and quote {reference}', contactRouteCy: 'Ffoniwch 101 a rhowch {reference} \u200F(ליאת)', showOfficerEmail: false },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await post('/api/force/settings', { victimPortal: { contactRoute: '  ', contactRouteCy: '' } })).statusCode).toBe(200);
  });

  it('refuses-area-names-that-look-blank-or-reorder-text', async () => {
    const areas = (await app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers })).json<{ areas: Area[] }>().areas;
    const area = areas[0];
    expect(area).toBeDefined();
    for (const [what, name] of Object.entries(HOSTILE)) {
      expect(refusal(await post(`/api/areas/${area?.id}`, { name }))?.path, what).toBe('body.name');
    }
  });

  it('asks-for-a-name-when-a-boundary-file-names-an-area-with-invisible-text-alone', async () => {
    const square = [[[1.5, 52.1], [1.51, 52.1], [1.51, 52.11], [1.5, 52.11], [1.5, 52.1]]];
    const feature = (name: string) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: square } });
    const text = JSON.stringify({ type: 'FeatureCollection', features: [feature('\u200B\u2060'), feature('North \u202Ebeat')] });
    const preview = await post('/api/areas/import/preview', { format: 'geojson', text, kind: 'beat', setting: 'rural' });
    expect(preview.statusCode, preview.body).toBe(200);
    const features = preview.json<{ features: { name: string | null; problem: string | null }[] }>().features;
    expect(features[0]).toMatchObject({ name: null, problem: expect.stringContaining('a name') });
    expect(features[1]?.name).toBe('North beat');
  });

  it('refuses-help-articles-whose-titles-or-text-look-blank-hide-controls-or-reorder-text', async () => {
    const article = { slug: 'what-happens-next', title: 'What happens next', titleCy: 'Beth sy’n digwydd nesaf', body: 'First.\n\nThen.', bodyCy: 'Yn gyntaf.\n\nYna.' };
    for (const [what, text] of Object.entries(HOSTILE)) {
      expect(refusal(await post('/api/help-articles', { ...article, title: text }))?.path, what).toBe('body.title');
      // A body keeps its line breaks: only the others are refused there.
      if (what !== 'a line break') expect(refusal(await post('/api/help-articles', { ...article, bodyCy: text }))?.path, what).toBe('body.bodyCy');
    }
    expect(refusal(await post('/api/help-articles', { ...article, body: 'Ring us\u0007 now' }))?.path).toBe('body.body');
    const created = await post('/api/help-articles', article);
    expect(created.statusCode, created.body).toBe(201);
  });
});
