import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { appendEvent } from '../../src/platform/events/event-log.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Message = {
  kind: string;
  victim: { id: string; name: string } | null;
  channel: string;
  recipient: string | null;
  purpose: string;
  status: string;
  queuedAt: string;
  notBefore: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  reason: string | null;
};
type Appointment = { id: string; status: string; at: string | null; place: string | null; note: string | null };

describe("the investigator's case screen: what victims were told, and appointments", () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let admin: Session;
  let otherInvestigator: Session;
  let forceId: ForceId;

  beforeAll(async () => {
    app = await createTestApp();
    forceId = app.demoForceId;
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator!, 'other-password');
  });
  afterAll(() => app.close());

  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: investigator.headers, payload });
  const newCase = async () => {
    const response = await post('/api/cases', { crimeType: 'THF-BRE', summary: 'Shed broken into', victims: [{ name: 'Sam Victim' }] });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ case: { id: string; people: { id: string; name: string }[] } }>().case;
  };

  it('lists each message with a masked address, its delivery proof, and those a journey did not send with the reason', async () => {
    const created = await newCase();
    const victim = created.people[0]!;
    const later = new Date(Date.now() + 3_600_000);
    await withForce(app.database.db, forceId, async (tx) => {
      const clock = app.deps.clock;
      const email = await queueMessage(tx, forceId, clock, {
        channels: [{ channel: 'email', recipient: 'jo.bloggs@example.com', subject: 'Your report', body: 'We have your report.' }],
        purpose: 'journey:case.report_received',
        idempotencyKey: `${created.id}:received`,
        caseId: created.id,
      });
      const sms = await queueMessage(tx, forceId, clock, {
        channels: [{ channel: 'sms', recipient: '+44 7700 900123', subject: '', body: 'An officer has been allocated.' }],
        purpose: 'journey:case.allocated',
        idempotencyKey: `${created.id}:allocated`,
        caseId: created.id,
        notBefore: later,
      });
      if (!email || !sms) throw new Error('not queued');
      const now = clock.now();
      await tx.updateTable('outbox').set({ status: 'delivered', sent_at: now, delivered_at: now }).where('id', '=', email).execute();
      await tx.updateTable('outbox').set({ status: 'failed', last_error: 'number not reachable' }).where('id', '=', sms).execute();
      // Journeys record what they held back; read by type, whatever else the event carries.
      await appendEvent(tx, forceId, clock, {
        type: 'journey.message_suppressed',
        actor: { type: 'system', id: null },
        subject: { type: 'case', id: created.id },
        data: { victimId: victim.id, channel: 'sms', purpose: 'journey:case.suspect_arrested', reason: 'portal only: never by SMS' },
      });
    });

    const response = await get(investigator, `/api/cases/${created.id}/messages`);
    expect(response.statusCode, response.body).toBe(200);
    const messages = response.json<{ messages: Message[] }>().messages;
    expect(messages).toHaveLength(3);
    const byPurpose = (purpose: string) => messages.find((m) => m.purpose === purpose);
    expect(byPurpose('journey:case.report_received')).toMatchObject({ kind: 'outbox', channel: 'email', recipient: 'j***@example.com', status: 'delivered', sentAt: expect.any(String), deliveredAt: expect.any(String) });
    expect(byPurpose('journey:case.allocated')).toMatchObject({ channel: 'sms', recipient: '•••• 0123', status: 'failed', reason: 'number not reachable', notBefore: later.toISOString() });
    expect(byPurpose('journey:case.suspect_arrested')).toMatchObject({ kind: 'not_sent', status: 'suppressed', reason: 'portal only: never by SMS', victim: { id: victim.id, name: 'Sam Victim' } });
    // Never the whole address.
    expect(response.body).not.toContain('jo.bloggs');
    expect(response.body).not.toContain('900123');
  });

  it('refuses-appointments-at-dates-nobody-means, naming the field', async () => {
    const created = await newCase();
    const sixYearsAhead = new Date(Date.now() + 6 * 366 * 24 * 3_600_000).toISOString();
    const sixYearsAgo = new Date(Date.now() - 6 * 366 * 24 * 3_600_000).toISOString();
    for (const at of ['9999-12-31T10:00:00Z', '0000-01-01T00:00:00Z', sixYearsAhead, sixYearsAgo]) {
      const refused = await post(`/api/cases/${created.id}/milestones`, { type: 'appointment_made', at, place: 'Bethel Street station' });
      expect(refused.statusCode, `${at}: ${refused.body}`).toBe(400);
      expect(refused.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path.replace(/^body\./, ''))).toEqual(['at']);
    }
    expect((await post(`/api/cases/${created.id}/milestones`, { type: 'court_date_set', at: sixYearsAhead })).statusCode).toBe(400);
    const nextWeek = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString();
    expect((await post(`/api/cases/${created.id}/milestones`, { type: 'appointment_made', at: nextWeek, place: 'At home' })).statusCode).toBe(200);
  });

  it('lists appointments as their milestones leave them: made, changed by id, cancelled', async () => {
    const created = await newCase();
    const milestone = async (payload: object, status = 200) => {
      const response = await post(`/api/cases/${created.id}/milestones`, payload);
      expect(response.statusCode, response.body).toBe(status);
      return response;
    };
    // Days ahead, at a given time (UTC): appointments are for times to come.
    const ahead = (days: number, time: string) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}:00Z`;
    await milestone({ type: 'appointment_made', at: ahead(30, '10:00'), place: 'Bethel Street station', note: 'Statement' });
    await milestone({ type: 'appointment_made', at: ahead(32, '14:00'), place: 'At home' });
    let appointments = (await get(investigator, `/api/cases/${created.id}/appointments`)).json<{ appointments: Appointment[] }>().appointments;
    expect(appointments).toHaveLength(2);
    const [statement, visit] = appointments;
    await milestone({ type: 'appointment_changed', appointmentId: statement!.id, at: ahead(31, '09:30') });
    // An id in upper case names the same appointment.
    await milestone({ type: 'appointment_cancelled', appointmentId: visit!.id.toUpperCase() });
    // A cancelled one cannot be cancelled again, and an id from nowhere is refused.
    await milestone({ type: 'appointment_cancelled', appointmentId: visit!.id }, 400);
    await milestone({ type: 'appointment_changed', appointmentId: created.id }, 400);
    appointments = (await get(investigator, `/api/cases/${created.id}/appointments`)).json<{ appointments: Appointment[] }>().appointments;
    expect(appointments).toEqual([
      expect.objectContaining({ id: statement!.id, status: 'current', at: ahead(31, '09:30'), place: 'Bethel Street station', note: 'Statement' }),
      expect.objectContaining({ id: visit!.id, status: 'cancelled', at: ahead(32, '14:00'), place: 'At home' }),
    ]);
  });

  it('hides-the-victims-case-code-from-staff, wherever the force template puts it', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `case-code-${newId()}`,
      whatHappened: 'My car was broken into',
      where: '9 Mill Lane',
      when: 'Yesterday',
      name: 'Vic Tim',
      email: 'vic.tim@example.org',
    });
    const made = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    expect(made.statusCode, made.body).toBe(201);
    const theCase = made.json<{ case: { id: string; reference: string } }>().case;
    /** The victim asks for a code on the portal; returns every code email of the case so far, as sent. */
    const askForCode = async (ip: string) => {
      const visitor = new Visitor(app, ip);
      await visitor.open('/check');
      expect((await visitor.post('/check', { reference: theCase.reference })).headers.location).toBe('/check/code');
      return withSystem(app.database.db, (tx) =>
        tx.selectFrom('outbox').select(['subject', 'body']).where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').execute(),
      );
    };
    const codesIn = (mails: { subject: string; body: string }[], pattern: RegExp) => mails.flatMap((m) => [...`${m.subject}\n${m.body}`.matchAll(pattern)].map((hit) => hit[1] ?? ''));
    type Shown = { purpose: string; subject: string | null; body: string | null };
    const shownToStaff = async () => {
      const response = await get(investigator, `/api/cases/${theCase.id}/messages`);
      expect(response.statusCode, response.body).toBe(200);
      return { text: response.body, codeMails: response.json<{ messages: Shown[] }>().messages.filter((m) => m.purpose === 'portal.access_code') };
    };

    // The shipped template: the code stands alone.
    const first = codesIn(await askForCode('10.7.0.1'), / is (\d{6})\./g);
    expect(first).toHaveLength(1);
    let shown = await shownToStaff();
    expect(shown.codeMails).toHaveLength(1);
    expect(shown.text).not.toContain(first[0]);
    expect(shown.codeMails[0]?.body).toContain(`report ${theCase.reference} is ••••••.`);

    // A force's own wording that puts a letter, a digit or the reference against the code.
    const saved = await app.inject({
      method: 'POST',
      url: '/api/templates/portal.access_code',
      headers: admin.headers,
      payload: { locale: 'en', subject: 'Code X{{code}} for {{reference}}', body: 'Type 0{{code}} or {{code}}A, for {{reference}}{{code}}.' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const second = codesIn(await askForCode('10.7.0.2'), /Code X(\d{6}) /g);
    expect(second).toHaveLength(1);
    shown = await shownToStaff();
    expect(shown.codeMails).toHaveLength(2);
    for (const code of [...first, ...second]) expect(shown.text).not.toContain(code);
    const latest = shown.codeMails.find((m) => m.subject?.startsWith('Code X'));
    expect(latest).toMatchObject({ subject: `Code X•••••• for ${theCase.reference}`, body: `Type •••••• or ••••••A, for ${theCase.reference}••••••.` });
  });

  it('hides-other-force-cases: another force gets 404 for messages and appointments', async () => {
    const created = await newCase();
    for (const what of ['messages', 'appointments']) {
      const response = await get(otherInvestigator, `/api/cases/${created.id}/${what}`);
      expect(response.statusCode, what).toBe(404);
    }
  });

  it('refuses-without-cases-read: a call handler cannot read what victims were told', async () => {
    const created = await newCase();
    for (const what of ['messages', 'appointments']) {
      const response = await get(handler, `/api/cases/${created.id}/${what}`);
      expect(response.statusCode, what).toBe(403);
    }
  });
});
