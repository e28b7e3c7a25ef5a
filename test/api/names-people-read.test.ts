import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';

type ErrorBody = { error: { code: string; fields?: { path: string; message: string }[] } };

/**
 * The names a force admin gives (a colleague's, a channel account's) are read by people: a
 * colleague's shows on the console to everyone and to a victim as their officer. A name of zero-width
 * spaces looked blank; a line break, tab or bell broke lists and exports; a right-to-left override
 * showed the rest of the line backwards ("Ada\u202Enimda" reads as "Adaadmin"), so a name could pass
 * for another. Each is refused with the field and the reason, as area names already were.
 */
describe('names people read', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let added = 0;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const addStaff = (name: string) => {
    added += 1;
    return app.inject({ method: 'POST', url: '/api/staff', headers: admin.headers, payload: { name, email: `named-${added}@demo.police.uk`, role: 'call_handler' } });
  };
  const connect = (label: string) => {
    added += 1;
    return app.inject({ method: 'POST', url: '/api/channels', headers: admin.headers, payload: { channel: 'api', label, config: { token: `names-token-${added}-long-enough` } } });
  };
  const refusal = (response: Awaited<ReturnType<typeof addStaff>>) => {
    expect(response.statusCode, response.body).toBe(400);
    return response.json<ErrorBody>().error.fields?.[0];
  };

  const HOSTILE = {
    'only zero-width spaces': '\u200B\u200B',
    'a line break': 'Ada\nAdmin',
    'a tab': 'Ada\tAdmin',
    'a bell': 'Ada\u0007',
    'a line separator': 'Ada\u2028Admin',
    'a paragraph separator': 'Ada\u2029Admin',
    'a right-to-left override': 'Ada\u202Enimda',
    'a right-to-left isolate': 'Ada\u2067nimda\u2069',
  };

  it('refuses-staff-names-that-look-blank-break-lines-or-reorder-text', async () => {
    for (const [what, name] of Object.entries(HOSTILE)) {
      expect(refusal(await addStaff(name))?.path, what).toBe('body.name');
    }
  });

  it('refuses-channel-account-labels-that-look-blank-break-lines-or-reorder-text', async () => {
    for (const [what, label] of Object.entries(HOSTILE)) {
      expect(refusal(await connect(label))?.path, what).toBe('body.label');
    }
    const account = (await connect('Partner CRM')).json<{ account: { id: string } }>().account;
    const rename = await app.inject({ method: 'POST', url: `/api/channels/${account.id}`, headers: admin.headers, payload: { label: 'CRM\u202E' } });
    expect(refusal(rename)?.path).toBe('body.label');
  });

  it('keeps-names-in-any-script-with-their-marks', async () => {
    // Welsh, Arabic and Hebrew names, and the direction mark a mixed name may need, are names.
    for (const name of ['Siân Llŷr', 'ليلى حداد', 'דוד כהן', 'Ada \u200FMorgan', "Séan O'Brien-Smith"]) {
      const response = await addStaff(name);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json<{ staff: { name: string } }>().staff.name).toBe(name);
    }
    expect((await connect('Cyswllt Cymraeg – Siân')).statusCode).toBe(201);
  });
});
