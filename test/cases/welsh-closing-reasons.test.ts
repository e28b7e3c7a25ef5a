import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { createTestApp, signIn, startSmtpServer, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { reportedCase, type Session } from '../journeys/journey-kit.ts';

// Why a case was closed is told to the victim in their language: the records system's default
// mapping gives every closing reason in English and Welsh, a force's own mapping and an
// investigator may give a Welsh one too, and a Welsh-speaking victim gets it in Welsh.

const NO_SUSPECT = { en: 'The investigation is complete and no suspect has been identified', cy: 'Mae’r ymchwiliad wedi’i gwblhau ac nid oes neb a amheuir wedi’i adnabod' };

describe('closing reasons in Welsh', () => {
  let app: TestApp;
  let admin: Session;
  let investigator: Session;
  let handler: Session;
  let token = '';
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await createTestApp({ env: { SMTP_URL: smtp.url } });
    admin = await signIn(app, 'admin@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    token = (await app.inject({ method: 'POST', url: '/api/integrations/records/tokens', headers: admin.headers, payload: { label: 'Niche' } })).json<{ token: string }>().token;
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const send = async (reference: string, payload: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers: { authorization: `Bearer ${token}` }, payload: { system: 'niche', reference, ...payload } });
    expect([200, 201], response.body).toContain(response.statusCode);
    return response.json<{ caseId: string }>();
  };
  /** The email sent to an address, as text (the journeys' messages reach the SMTP stand-in). */
  const textsTo = async (address: string) => {
    await expect.poll(() => smtp.received.some((mail) => mail.to.includes(address))).toBe(true);
    const mails = smtp.received.filter((mail) => mail.to.includes(address));
    return Promise.all(mails.map(async (mail) => (await simpleParser(mail.raw)).text ?? ''));
  };

  it('tells a Welsh-speaking victim the default mapping’s reason in Welsh, and an English speaker in English', async () => {
    const { caseId } = await send('NIC/26/0900', {
      updatedAt: '2026-03-02T09:00:00Z',
      status: 'INV',
      victims: [
        { reference: 'V1', name: 'Elin Jones', email: 'elin.closing@example.org', language: 'cy' },
        { reference: 'V2', name: 'Sam Smith', email: 'sam.closing@example.org', language: 'en' },
      ],
    });
    await send('NIC/26/0900', { updatedAt: '2026-03-02T10:00:00Z', status: 'NFA' });
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();

    const welsh = (await textsTo('elin.closing@example.org')).join('\n');
    expect(welsh).toContain(NO_SUSPECT.cy);
    expect(welsh).not.toContain(NO_SUSPECT.en);
    const english = (await textsTo('sam.closing@example.org')).join('\n');
    expect(english).toContain(NO_SUSPECT.en);
    expect(english).not.toContain(NO_SUSPECT.cy);
    // The case screen keeps the English reason staff work in.
    const view = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers });
    expect(view.json<{ case: { closedReason: string } }>().case.closedReason).toBe(NO_SUSPECT.en);
  });

  it('keeps a Welsh reason in a force’s own mapping, and uses one given with the update', async () => {
    const current = (await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: admin.headers })).json<{ statuses: Record<string, unknown>[] }>();
    expect(current.statuses.find((s) => s.code === 'NFA')).toMatchObject({ reason: NO_SUSPECT.en, reasonCy: NO_SUSPECT.cy });
    const statuses = [...current.statuses.filter((s) => s.code !== 'NFA-EV'), { system: '*', code: 'NFA-EV', label: 'Evidential difficulties', moves: ['close'], outcomeCode: '15', reason: 'Not enough evidence', reasonCy: 'Dim digon o dystiolaeth' }];
    const saved = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: admin.headers, payload: { statuses } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ statuses: Record<string, unknown>[] }>().statuses.find((s) => s.code === 'NFA-EV')).toMatchObject({ reasonCy: 'Dim digon o dystiolaeth' });

    const victims = [{ reference: 'V1', name: 'Elin Jones', email: 'elin.own@example.org', language: 'cy' }];
    await send('NIC/26/0901', { updatedAt: '2026-03-02T09:00:00Z', status: 'INV', victims });
    await send('NIC/26/0901', { updatedAt: '2026-03-02T10:00:00Z', status: 'NFA-EV' });
    await send('NIC/26/0902', { updatedAt: '2026-03-02T09:00:00Z', status: 'INV', victims: [{ ...victims[0], email: 'elin.given@example.org' }] });
    await send('NIC/26/0902', { updatedAt: '2026-03-02T10:00:00Z', status: 'NFA', outcome: { code: '18', reason: 'CCTV showed nobody', reasonCy: 'Ni ddangosodd y teledu cylch cyfyng neb' } });
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
    expect((await textsTo('elin.own@example.org')).join('\n')).toContain('Dim digon o dystiolaeth');
    const givenTexts = (await textsTo('elin.given@example.org')).join('\n');
    expect(givenTexts).toContain('Ni ddangosodd y teledu cylch cyfyng neb');
    expect(givenTexts).not.toContain(NO_SUSPECT.cy);
  });

  it('shows the victim the reason in the language of the page, and an officer’s Welsh reason too', async () => {
    const theCase = await reportedCase(app, handler, 'cy');
    const closed = await app.inject({
      method: 'POST',
      url: `/api/cases/${theCase.caseId}/milestones`,
      headers: investigator.headers,
      payload: { type: 'close', outcomeCode: '18', reason: 'Nobody could be identified from the CCTV', reasonCy: 'Nid oedd modd adnabod neb o’r teledu cylch cyfyng' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const visitor = new Visitor(app, '10.8.0.1');
    await visitor.signInToCase({ id: theCase.caseId, reference: theCase.reference });
    const cy = (await visitor.get('/check/case?lang=cy')).body;
    expect(cy).toContain('Nid oedd modd adnabod neb o’r teledu cylch cyfyng');
    expect(cy).not.toContain('Nobody could be identified from the CCTV');
    const en = (await visitor.get('/check/case?lang=en')).body;
    expect(en).toContain('Nobody could be identified from the CCTV');
    expect(en).not.toContain('Nid oedd modd adnabod neb');
  });
});
