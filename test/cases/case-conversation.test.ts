import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { outboxOf, reportedCase, setPreferences, type Session } from '../journeys/journey-kit.ts';

// The officer's side of a victim's secure messages: the conversation on the case, and a reply from
// it that reaches the victim's case page, with a notification only by the channels they allow.

type Thread = { contactId: string; contactReference: string; contactStatus: string; victim: { personId: string; name: string | null }; messages: { from: string; body: string; authorName: string | null }[] };

describe("a victim's secure messages on the case", () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let other: Session;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const { emails } = await createOtherForce(app, ['supervisor']);
    other = await signIn(app, emails.supervisor ?? '', 'other-password');
  });
  afterAll(() => app?.close());

  const api = async (session: Session, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

  async function codeFor(caseId: string): Promise<string> {
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', caseId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    return /is (\d{6})\./.exec(mail.body)?.[1] ?? '';
  }

  async function victimSends(reference: string, caseId: string, ip: string, message: string) {
    const visitor = new Visitor(app, ip);
    await visitor.open('/check');
    await visitor.post('/check', { reference });
    await visitor.open('/check/code');
    expect((await visitor.post('/check/code', { code: await codeFor(caseId) })).headers.location).toBe('/check/case');
    const page = await visitor.open('/check/case');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect((await visitor.post('/check/case/message', { message, submissionId })).statusCode).toBe(303);
    return visitor;
  }

  const conversation = async (caseId: string) => {
    const response = await api(investigator, 'GET', `/api/cases/${caseId}/conversation`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ threads: Thread[] }>().threads;
  };

  it('shows the victim’s message as they wrote it, and a reply from the case reaches their page and is announced without its text', async () => {
    const theCase = await reportedCase(app, handler);
    expect(await conversation(theCase.caseId)).toEqual([]);
    const hostile = 'Is there news? <img src=x onerror=alert(1)> & "quotes"';
    const visitor = await victimSends(theCase.reference, theCase.caseId, '10.9.0.1', hostile);

    const [thread, ...rest] = await conversation(theCase.caseId);
    expect(rest).toEqual([]);
    if (!thread) throw new Error('no thread');
    expect(thread.contactStatus).toBe('open');
    expect(thread.victim.personId).toBe(theCase.victimId);
    expect(thread.messages).toEqual([expect.objectContaining({ from: 'victim', body: hostile, authorName: null })]);
    // The same thread is the contact in the queue, linked to the case.
    const contact = await api(handler, 'GET', `/api/contacts/${thread.contactId}`);
    expect(contact.json<{ contact: { reference: string; caseId: string | null; caseReference: string | null } }>().contact).toMatchObject({ reference: thread.contactReference, caseId: theCase.caseId, caseReference: theCase.reference });

    // Refused: an empty reply, and a contact that is not one of this case's threads.
    expect((await api(investigator, 'POST', `/api/cases/${theCase.caseId}/conversation/replies`, { contactId: thread.contactId, body: '   ' })).statusCode).toBe(400);
    const stranger = await reportedCase(app, handler);
    const wrong = await api(investigator, 'POST', `/api/cases/${stranger.caseId}/conversation/replies`, { contactId: thread.contactId, body: 'Hello' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('is not a victim’s message thread on this case');
    // Another force sees no such case.
    expect((await api(other, 'GET', `/api/cases/${theCase.caseId}/conversation`)).statusCode).toBe(404);

    const sent = await api(investigator, 'POST', `/api/cases/${theCase.caseId}/conversation/replies`, { contactId: thread.contactId, body: 'We have the CCTV and are reviewing it.' });
    expect(sent.statusCode, sent.body).toBe(201);
    await app.runner?.runDue();

    expect((await conversation(theCase.caseId))[0]?.messages.map((m) => [m.from, m.body, m.authorName])).toEqual([
      ['victim', hostile, null],
      ['staff', 'We have the CCTV and are reviewing it.', 'Ian Investigator'],
    ]);
    expect((await visitor.get('/check/case')).body).toContain('We have the CCTV and are reviewing it.');
    const notices = (await outboxOf(app, theCase.caseId)).filter((row) => row.purpose === 'journey:case.message_from_officer');
    expect(notices).toHaveLength(1);
    // By text message: the report gave a mobile number.
    expect(notices[0]).toMatchObject({ channel: 'sms' });
    expect(notices[0]?.body).toContain('we have answered your message about your case');
    // Never the text itself, and never a second copy in the portal inbox.
    expect(JSON.stringify(notices[0])).not.toContain('CCTV');
    expect(JSON.stringify(notices[0]?.alternatives)).not.toContain('"portal"');
    // Nothing went by email with the reply's words.
    expect((await outboxOf(app, theCase.caseId)).filter((row) => row.body.includes('reviewing it'))).toEqual([]);
  });

  it('tells a portal-only victim nothing outside the portal, and refuses a reply once the contact is closed', async () => {
    const theCase = await reportedCase(app, handler, 'cy');
    await victimSends(theCase.reference, theCase.caseId, '10.9.0.2', 'Oes newyddion?');
    await setPreferences(app, investigator, theCase.caseId, theCase.victimId, { channels: ['portal'], portalOnly: true });
    const [thread] = await conversation(theCase.caseId);
    if (!thread) throw new Error('no thread');
    expect((await api(investigator, 'POST', `/api/cases/${theCase.caseId}/conversation/replies`, { contactId: thread.contactId, body: 'Dim eto.' })).statusCode).toBe(201);
    await app.runner?.runDue();
    expect((await outboxOf(app, theCase.caseId)).filter((row) => row.purpose === 'journey:case.message_from_officer')).toEqual([]);
    const suppressed = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', theCase.caseId).where('type', '=', 'journey.message_suppressed').execute(),
    );
    expect(suppressed.map((e) => e.data.step)).toContain('case.message_from_officer');

    const closed = await api(handler, 'POST', `/api/contacts/${thread.contactId}/close`, { outcome: 'advice_given' });
    expect(closed.statusCode, closed.body).toBe(200);
    const refused = await api(investigator, 'POST', `/api/cases/${theCase.caseId}/conversation/replies`, { contactId: thread.contactId, body: 'One more thing' });
    expect(refused.statusCode).toBe(409);
    expect((await conversation(theCase.caseId))[0]?.contactStatus).toBe('closed');
  });

  it('sends a Welsh-speaking victim the notice in Welsh', async () => {
    const theCase = await reportedCase(app, handler, 'cy');
    await victimSends(theCase.reference, theCase.caseId, '10.9.0.3', 'Helo');
    const [thread] = await conversation(theCase.caseId);
    if (!thread) throw new Error('no thread');
    await api(investigator, 'POST', `/api/cases/${theCase.caseId}/conversation/replies`, { contactId: thread.contactId, body: 'Diolch' });
    await app.runner?.runDue();
    const [notice] = (await outboxOf(app, theCase.caseId)).filter((row) => row.purpose === 'journey:case.message_from_officer');
    expect(notice?.body).toContain('rydym wedi ateb eich neges am eich achos');
  });

  it('sends-a-double-submitted-reply-once: the same submission id returns the first reply, and the victim is told once', async () => {
    const theCase = await reportedCase(app, handler);
    await victimSends(theCase.reference, theCase.caseId, '10.9.0.4', 'Any news?');
    const [thread] = await conversation(theCase.caseId);
    if (!thread) throw new Error('no thread');
    const url = `/api/cases/${theCase.caseId}/conversation/replies`;
    const submissionId = crypto.randomUUID();
    const twice = await Promise.all([1, 2].map(() => api(investigator, 'POST', url, { contactId: thread.contactId, body: 'We are looking into it.', submissionId })));
    expect(twice.map((r) => r.statusCode)).toEqual([201, 201]);
    const [first, second] = twice.map((r) => r.json<{ messageId: string }>().messageId);
    expect(second).toBe(first);
    const again = await api(investigator, 'POST', url, { contactId: thread.contactId, body: 'We are looking into it.', submissionId });
    expect(again.json<{ messageId: string }>().messageId).toBe(first);
    await app.runner?.runDue();
    expect((await conversation(theCase.caseId))[0]?.messages.filter((m) => m.from === 'staff')).toHaveLength(1);
    expect((await outboxOf(app, theCase.caseId)).filter((row) => row.purpose === 'journey:case.message_from_officer')).toHaveLength(1);
    // Without one, each request is a reply; another force finds no case; a malformed id is refused.
    await api(investigator, 'POST', url, { contactId: thread.contactId, body: 'And one more thing.' });
    expect((await conversation(theCase.caseId))[0]?.messages.filter((m) => m.from === 'staff')).toHaveLength(2);
    expect((await api(other, 'POST', url, { contactId: thread.contactId, body: 'x', submissionId })).statusCode).toBe(404);
    expect((await api(investigator, 'POST', url, { contactId: thread.contactId, body: 'x', submissionId: 'not-an-id' })).statusCode).toBe(400);
  });
});
