import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

describe('the victim portal: a case followed with its reference and a one-time code', () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let admin: Session;
  let counter = 0;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const api = async (session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, status = 200) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBe(status);
    return response;
  };
  const milestone = (caseId: string, payload: Record<string, unknown>) => api(investigator, 'POST', `/api/cases/${caseId}/milestones`, payload);

  /** A report from `email`, made a case; the case's person is the reporter. */
  async function newCase(email: string) {
    counter += 1;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `case-portal-${counter}-${newId()}`,
      whatHappened: 'My shed was broken into and tools taken',
      where: '4 High Street',
      when: 'Last night',
      name: 'Vic Tim',
      email,
    });
    const created = await api(handler, 'POST', `/api/contacts/${report.contactId}/case`, {}, 201);
    return created.json<{ case: { id: string; reference: string } }>().case;
  }

  async function latestCode(caseId: string): Promise<string> {
    const mails = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', caseId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').execute(),
    );
    const match = /is (\d{6})\./.exec(mails[0]?.body ?? '');
    if (!match?.[1]) throw new Error('no code mail');
    return match[1];
  }

  /** Signs a fresh visitor in to the case with its reference and the emailed code. */
  async function signInToCase(reference: string, caseId: string, ip: string) {
    const visitor = new Visitor(app, ip);
    await visitor.open('/check');
    const asked = await visitor.post('/check', { reference: reference.toLowerCase() });
    expect(asked.headers.location).toBe('/check/code');
    await visitor.open('/check/code');
    const right = await visitor.post('/check/code', { code: await latestCode(caseId) });
    expect(right.statusCode, right.body).toBe(303);
    expect(right.headers.location).toBe('/check/case');
    return visitor;
  }

  it('signs a victim in with a case reference and an emailed code, and keeps the protections of report codes', async () => {
    const theCase = await newCase('case.victim@example.org');
    const visitor = new Visitor(app, '10.1.0.1');
    expect((await visitor.get('/check/case')).headers.location).toBe('/check');
    await visitor.open('/check');
    await visitor.post('/check', { reference: theCase.reference });
    await visitor.open('/check/code');
    const code = await latestCode(theCase.id);
    const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('portal_codes').selectAll().where('case_id', '=', theCase.id).execute());
    expect(stored).toHaveLength(1);
    expect(stored[0]?.code_hash).not.toContain(code);
    expect(stored[0]?.contact_id).toBeNull();

    const wrong = await visitor.post('/check/code', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The code is wrong or has expired');
    const right = await visitor.post('/check/code', { code });
    expect(right.headers.location).toBe('/check/case');
    expect(visitor.cookies.has('bl_case')).toBe(true);
    expect(visitor.cookies.has('bl_access')).toBe(false);
    const page = await visitor.get('/check/case');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(theCase.reference);
    expect(page.body).toContain('Your crime has been recorded');
    // The session is for the case only: the report page is not opened by it.
    expect((await visitor.get('/check/report')).headers.location).toBe('/check');

    // A used code does not work twice; five wrong guesses kill a code.
    const again = new Visitor(app, '10.1.0.2');
    await again.open('/check');
    await again.post('/check', { reference: theCase.reference });
    await again.open('/check/code');
    expect((await again.post('/check/code', { code })).statusCode).toBe(400);
    const fresh = await latestCode(theCase.id);
    for (let i = 0; i < 5; i += 1) await again.post('/check/code', { code: fresh === '000000' ? '111111' : '000000' });
    expect((await again.post('/check/code', { code: fresh })).statusCode).toBe(400);
  });

  it('shows the milestones in plain words, in Welsh with ?lang=cy, without staff notes, with appointments and help links', async () => {
    const theCase = await newCase('welsh.victim@example.org');
    await milestone(theCase.id, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North', note: 'STAFF-ONLY-NOTE victim is difficult' });
    await milestone(theCase.id, { type: 'suspect_arrested', note: 'STAFF-ONLY-NOTE arrested at 02:00' });
    await milestone(theCase.id, { type: 'released_under_investigation' });
    // A month ahead, on the hour: an appointment is made for a time to come.
    const appointmentAt = new Date(Math.ceil(app.deps.clock.now().getTime() / 3_600_000) * 3_600_000 + 30 * 86_400_000).toISOString();
    await milestone(theCase.id, { type: 'appointment_made', at: appointmentAt, place: 'Low Road station, side door; ask for CID' });
    const visitor = await signInToCase(theCase.reference, theCase.id, '10.1.0.3');

    const english = await visitor.get('/check/case?lang=en');
    expect(english.body).toContain('A suspect has been arrested');
    expect(english.body).toContain('The suspect has been released while we continue to investigate');
    expect(english.body).toContain('Ian Investigator');
    expect(english.body).toContain(`Call 101 and quote your case reference ${theCase.reference}.`);
    expect(english.body).not.toContain('investigator@demo.police.uk');
    expect(english.body).not.toContain('STAFF-ONLY-NOTE');
    expect(english.body).not.toContain('CID North');
    expect(english.body).toContain('href="/help/released-under-investigation"');

    const welsh = await visitor.get('/check/case?lang=cy');
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('Mae rhywun a ddrwgdybir wedi’i arestio');
    expect(welsh.body).toContain('Mae’r sawl a ddrwgdybir wedi’i ryddhau tra byddwn yn parhau i ymchwilio');
    expect(welsh.body).toContain('Beth yw rhyddhau dan ymchwiliad?');
    expect(welsh.body).not.toContain('STAFF-ONLY-NOTE');

    // The journeys' portal inbox messages for this victim show as updates; one held back until later, one
    // for someone else and one suppressed do not.
    const personId = (await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('person_id').where('id', '=', theCase.id).executeTakeFirstOrThrow())).person_id;
    const inbox = (key: string, body: string, extra: { personId?: string | null; notBefore?: Date }) =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        queueMessage(tx, app.demoForceId, app.deps.clock, {
          channels: [{ channel: 'portal', recipient: 'portal', subject: 'Update on your case', body }],
          purpose: 'journey:test',
          idempotencyKey: `inbox-test:${theCase.id}:${key}`,
          caseId: theCase.id,
          personId: extra.personId === undefined ? personId : extra.personId,
          notBefore: extra.notBefore ?? null,
        }),
      );
    await inbox('due', 'INBOX-DUE Your officer will call you on Monday.', {});
    await inbox('later', 'INBOX-LATER not yet', { notBefore: new Date(Date.now() + 24 * 3600 * 1000) });
    const stranger = await withSystem(app.database.db, (tx) => tx.selectFrom('people').select('id').where('id', '!=', personId ?? '').limit(1).executeTakeFirstOrThrow());
    await inbox('other', 'INBOX-OTHER someone else', { personId: stranger.id });
    const suppressed = await inbox('suppressed', 'INBOX-SUPPRESSED never', {});
    await withSystem(app.database.db, (tx) => tx.updateTable('outbox').set({ status: 'suppressed' }).where('id', '=', suppressed ?? '').execute());
    const inboxPage = await visitor.get('/check/case?lang=en');
    expect(inboxPage.body).toContain('INBOX-DUE Your officer will call you on Monday.');
    expect(inboxPage.body).not.toContain('INBOX-LATER');
    expect(inboxPage.body).not.toContain('INBOX-OTHER');
    expect(inboxPage.body).not.toContain('INBOX-SUPPRESSED');

    const appointmentId = /appointment\.ics\?id=([0-9a-f-]{36})/.exec(welsh.body)?.[1];
    expect(appointmentId).toBeDefined();
    const ics = await visitor.get(`/check/case/appointment.ics?id=${appointmentId}&lang=en`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain(`\r\nDTSTART:${appointmentAt.replace(/[-:]|\.000/g, '')}\r\n`);
    expect(ics.body).toContain(`UID:appointment-${appointmentId}@bluelamp`);
    // The link's id typed in upper case names the same appointment.
    expect((await visitor.get(`/check/case/appointment.ics?id=${appointmentId?.toUpperCase() ?? ''}&lang=en`)).statusCode).toBe(200);
    expect(ics.body.replace(/\r\n /g, '')).toContain('LOCATION:Low Road station\\, side door\\; ask for CID');
  });

  it('turns a secure message into a queued contact linked to the case, shown on the page as sent', async () => {
    const theCase = await newCase('messaging.victim@example.org');
    const visitor = await signInToCase(theCase.reference, theCase.id, '10.1.0.4');
    const page = await visitor.open('/check/case');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const empty = await visitor.post('/check/case/message', { message: '  ', submissionId });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your message');

    const sent = await visitor.post('/check/case/message', { message: 'Has anyone looked at the <script>CCTV</script> yet?', submissionId });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    // The same form sent twice stores one message.
    await visitor.post('/check/case/message', { message: 'Has anyone looked at the <script>CCTV</script> yet?', submissionId });

    const linked = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', theCase.id).where('type', '=', 'portal.case_message_sent').execute(),
    );
    expect(linked).toHaveLength(1);
    const contactId = linked[0]?.data.contactId;
    if (typeof contactId !== 'string') throw new Error('no contact named');
    const contact = await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow());
    expect(contact.channel).toBe('portal');
    expect(contact.status).toBe('open');
    expect(contact.meta).toMatchObject({ caseId: theCase.id, caseReference: theCase.reference });
    const queue = await api(handler, 'GET', '/api/contacts?limit=200');
    expect(queue.json<{ contacts: { id: string }[] }>().contacts.map((c) => c.id)).toContain(contactId);
    // The page says it was sent and where the reply comes: no "we have received your report" email with a new reference.
    await app.runner?.runDue();
    const mails = await withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['purpose', 'subject']).where('contact_id', '=', contactId).execute());
    expect(mails).toEqual([]);

    const after = await visitor.get('/check/case?sent=message');
    expect(after.body).toContain('Your message has been sent');
    expect(after.body).toContain('You sent a message');
    expect(after.body).toContain('&lt;script&gt;CCTV&lt;/script&gt;');
    expect(after.body).not.toContain('<script>CCTV');
    // A note named twice in the address (an edited link, a tool): the page as it is, no note, not an error.
    const twice = await visitor.get('/check/case?sent=message&sent=preferences');
    expect(twice.statusCode).toBe(200);
    expect(twice.body).toContain('You sent a message');
    expect(twice.body).not.toContain('Your message has been sent');

    // The officer's reply shows on the case page.
    await api(handler, 'POST', `/api/contacts/${contactId}/replies`, { body: 'Yes, we have the footage.' }, 201);
    expect((await visitor.get('/check/case')).body).toContain('Yes, we have the footage.');
  });

  it('never shows another case with this session', async () => {
    const mine = await newCase('mine@example.org');
    const theirs = await newCase('theirs@example.org');
    await api(investigator, 'POST', `/api/cases/${theirs.id}/milestones`, { type: 'appointment_made', at: new Date(app.deps.clock.now().getTime() + 86_400_000).toISOString(), place: 'THEIR-PLACE' });
    const visitor = await signInToCase(mine.reference, mine.id, '10.1.0.5');
    const page = await visitor.get(`/check/case?case=${theirs.id}&reference=${theirs.reference}`);
    expect(page.body).toContain(mine.reference);
    expect(page.body).not.toContain(theirs.reference);
    const theirAppointment = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('id').where('subject_id', '=', theirs.id).where('type', '=', 'case.appointment_made').executeTakeFirstOrThrow(),
    );
    expect((await visitor.get(`/check/case/appointment.ics?id=${theirAppointment.id}`)).statusCode).toBe(404);
    // A cookie naming their case without our signature is refused.
    const forged = new Visitor(app, '10.1.0.6');
    const personId = String(visitor.cookies.get('bl_case')).split('.')[1] ?? '';
    forged.cookies.set('bl_case', `${theirs.id}.${personId}.${Date.now() + 60_000}`);
    expect((await forged.get('/check/case')).headers.location).toBe('/check');
  });

  it('searches the help articles safely, in the reader’s language, and lets a force admin write them', async () => {
    const visitor = new Visitor(app, '10.1.0.7');
    const all = await visitor.get('/help');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('What does ‘no further action’ mean?'.replace(/‘|’/g, "'").replace(/'/g, '&#39;'));
    const insurer = await visitor.get('/help?q=insurer');
    expect(insurer.body.split('data-testid="help-result"')).toHaveLength(2);
    expect(insurer.body).toContain('How do I get a crime reference for my insurer?');
    const welsh = await visitor.get('/help?q=yswiriwr&lang=cy');
    expect(welsh.body).toContain('Sut mae cael cyfeirnod trosedd ar gyfer fy yswiriwr?');
    const hostile = await visitor.get(`/help?q=${encodeURIComponent('<img src=x onerror=alert(1)> %_')}`);
    expect(hostile.statusCode).toBe(200);
    expect(hostile.body).not.toContain('<img src=x');
    expect(hostile.body).toContain('data-testid="no-results"');
    const wildcard = await visitor.get('/help?q=%25%25');
    expect(wildcard.body).toContain('data-testid="no-results"');
    const article = await visitor.get('/help/what-happens-at-court?lang=cy');
    expect(article.body).toContain('Beth sy’n digwydd yn y llys?');
    expect(article.body).toContain('href="/help/what-happens-at-court?lang=en"');
    expect((await visitor.get('/help/no-such-article')).statusCode).toBe(404);

    await api(handler, 'POST', '/api/help-articles', { slug: 'x', title: 'x', titleCy: 'x', body: 'x', bodyCy: 'x' }, 403);
    const created = await api(admin, 'POST', '/api/help-articles', {
      slug: 'property-return',
      title: 'Getting your property back',
      titleCy: 'Cael eich eiddo yn ôl',
      body: 'We will contact you to arrange collection.',
      bodyCy: 'Byddwn yn cysylltu â chi i drefnu casglu.',
      milestoneTypes: ['case.property_returned'],
    }, 201);
    const id = created.json<{ article: { id: string } }>().article.id;
    expect((await visitor.get('/help?q=collection&lang=en')).body).toContain('Getting your property back');
    await api(admin, 'POST', `/api/help-articles/${id}`, { published: false });
    expect((await visitor.get('/help?q=collection&lang=en')).body).toContain('data-testid="no-results"');
    expect((await visitor.get('/help/property-return')).statusCode).toBe(404);
  });

  it('asks the closure survey once per victim, and reports it by team', async () => {
    const theCase = await newCase('survey.victim@example.org');
    await milestone(theCase.id, { type: 'allocate', team: 'Survey Team' });
    const visitor = await signInToCase(theCase.reference, theCase.id, '10.1.0.8');
    expect((await visitor.get('/check/case')).body).not.toContain('name="score"');
    await milestone(theCase.id, { type: 'close', outcomeCode: '18', reason: 'No witnesses or CCTV could identify anyone' });
    const closed = await visitor.open('/check/case');
    expect(closed.body).toContain('name="score"');
    expect(closed.body).toContain('No witnesses or CCTV could identify anyone');
    expect(closed.body).toContain('href="/help/no-further-action"');
    const missing = await visitor.post('/check/case/survey', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select how satisfied you are');
    expect((await visitor.post('/check/case/survey', { score: '4' })).statusCode).toBe(303);
    expect((await visitor.post('/check/case/survey', { score: '1' })).statusCode).toBe(303);
    const after = await visitor.get('/check/case');
    expect(after.body).toContain('data-testid="survey-thanks"');
    expect(after.body).not.toContain('name="score"');
    const answers = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', theCase.id).where('type', '=', 'portal.satisfaction_answered').execute(),
    );
    expect(answers).toHaveLength(1);
    expect(answers[0]?.data).toMatchObject({ score: 4, team: 'Survey Team' });

    const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const to = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const report = await api(investigator, 'GET', `/api/reports/satisfaction?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    const team = report.json<{ teams: { team: string | null; responses: number; counts: Record<string, number>; average: number }[] }>().teams.find((t) => t.team === 'Survey Team');
    expect(team).toMatchObject({ responses: 1, average: 4, satisfiedPercent: 100 });
    expect(team?.counts['4']).toBe(1);
    await api(admin, 'GET', `/api/reports/satisfaction?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, undefined, 403);
  });

  it('lets the victim choose how we contact them, in their language, and never undo what an officer made safer', async () => {
    const found = await newCase('prefs-victim@example.org');
    const visitor = await signInToCase(found.reference, found.id, '198.51.100.77');
    const form = await visitor.open('/check/case/preferences');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('How can we send you updates?');
    expect(form.body).toMatch(/value="email" checked/);

    // A mistake: no way to reach them. The form comes back saying so, nothing stored.
    const empty = await visitor.post('/check/case/preferences', { language: 'cy' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select how we can send you updates');
    expect(empty.body).toMatch(/value="cy" checked/);

    const saved = await visitor.post('/check/case/preferences', { channels: ['portal', 'email'], language: 'cy', limits: ['neverSms'] });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe('/check/case?sent=preferences#preferences');
    expect((await visitor.get('/check/case?sent=preferences')).body).toContain('data-testid="preferences-saved"');
    const victimId = (await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('person_id').where('id', '=', found.id).executeTakeFirstOrThrow())).person_id ?? '';
    const stored = (await api(investigator, 'GET', `/api/cases/${found.id}/victims/${victimId}/preferences`)).json<{ preferences: { channels: string[]; language: string; neverSms: boolean; portalOnly: boolean } }>().preferences;
    expect(stored).toMatchObject({ channels: ['portal', 'email'], language: 'cy', neverSms: true, portalOnly: false });
    const changed = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['actor_type']).where('subject_id', '=', found.id).where('type', '=', 'journey.preferences_changed').execute(),
    );
    expect(changed.map((e) => e.actor_type)).toEqual(['public']);

    // The officer marks domestic abuse and portal only; the victim's form cannot turn texts or email back on.
    await api(investigator, 'PUT', `/api/cases/${found.id}/victims/${victimId}/preferences`, {
      channels: ['portal'], language: 'cy', safeWindows: [], neverSms: true, portalOnly: true, optOutNonStatutory: false, domesticAbuse: true,
    });
    expect((await visitor.open('/check/case/preferences')).body).toContain('data-testid="preferences-locked"');
    expect((await visitor.post('/check/case/preferences', { channels: ['sms', 'email'], language: 'en' })).statusCode).toBe(303);
    const after = (await api(investigator, 'GET', `/api/cases/${found.id}/victims/${victimId}/preferences`)).json<{ preferences: { channels: string[]; neverSms: boolean; portalOnly: boolean; domesticAbuse: boolean } }>().preferences;
    expect(after).toMatchObject({ portalOnly: true, neverSms: true, domesticAbuse: true });
    expect(after.channels).toContain('portal');

    // Without a session there is no form.
    expect((await new Visitor(app, '198.51.100.78').get('/check/case/preferences')).statusCode).toBe(303);
  });
});
