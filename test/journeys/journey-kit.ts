import { expect } from 'vitest';
import { sql } from 'kysely';
import { signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { REMINDERS_WITHDRAWAL_JOB } from '../../src/capabilities/cases/case.events.ts';

// What the journey tests share: a victim who reported online (so we know their email address,
// their phone number and their language), their case, and reads of what the journey did.

export type Session = Awaited<ReturnType<typeof signIn>>;

let reports = 0;

/** A victim reports online with email, phone and language; a handler makes the case. Returns the case and the victim's id. */
export async function reportedCase(app: TestApp, handler: Session, language: 'en' | 'cy' = 'en') {
  reports += 1;
  const report = await submitPublicReport(app.deps, app.demoForceId, {
    submissionId: `journey-${reports}-${Date.now()}`,
    whatHappened: 'Someone keeps turning up at my door and shouting',
    where: '4 Bridge Street, Demoton',
    when: 'Every evening this week',
    name: 'Rhian Example',
    email: `victim${reports}@example.org`,
    phone: `07911 123${String(400 + reports)}`,
    language,
  });
  const made = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
  expect(made.statusCode, made.body).toBe(201);
  const caseId = made.json<{ case: { id: string } }>().case.id;
  const found = await withForce(app.database.db, app.demoForceId, (tx) =>
    tx.selectFrom('cases').select(['person_id', 'reference']).where('id', '=', caseId).executeTakeFirstOrThrow(),
  );
  if (!found.person_id) throw new Error('an online report with an email address has a person');
  // The number as the outbox holds it (E.164): the counter is shared by every file of a worker.
  return { caseId, victimId: found.person_id, reference: found.reference, email: `victim${reports}@example.org`, phone: `+447911123${String(400 + reports)}` };
}

/** The outbox rows of a case, oldest first. */
export function outboxOf(app: TestApp, caseId: string) {
  return withForce(app.database.db, app.demoForceId, (tx) =>
    tx
      .selectFrom('outbox')
      .select(['id', 'channel', 'recipient', 'subject', 'body', 'purpose', 'alternatives', 'not_before', 'person_id'])
      .where('case_id', '=', caseId)
      .orderBy('created_at')
      .orderBy('purpose')
      .execute(),
  );
}

/** The journey events of a case, in order. */
export async function journeyEventsOf(app: TestApp, caseId: string) {
  const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
    tx
      .selectFrom('events')
      .select(['type', 'data'])
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', caseId)
      .where('type', 'like', 'journey.%')
      .orderBy('seq')
      .execute(),
  );
  return rows.map((row) => ({ type: row.type, data: row.data }));
}

/**
 * A victim of a reported case told in the portal inbox only (a message goes the moment its job
 * runs), with other preferences if given, the report's own journey run; with the investigator
 * who works the case.
 */
export async function portalOnlyVictim(app: TestApp, language: 'en' | 'cy' = 'en', preferences: Record<string, unknown> = {}) {
  const handler = await signIn(app, 'handler@demo.police.uk');
  const investigator = await signIn(app, 'investigator@demo.police.uk');
  const victim = await reportedCase(app, handler, language);
  await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true, language, ...preferences });
  await app.runner?.runDue();
  return { ...victim, investigator };
}

/** The id of a case's first appointment, as staff list them. */
export async function appointmentIdOf(app: TestApp, investigator: Session, caseId: string): Promise<string | undefined> {
  const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/appointments`, headers: investigator.headers });
  return response.json<{ appointments: { id: string }[] }>().appointments[0]?.id;
}

/** When the delivery job of an outbox message is due. */
export async function deliveryDue(app: TestApp, outboxId: string): Promise<Date | undefined> {
  const job = await withForce(app.database.db, app.demoForceId, (tx) =>
    tx.selectFrom('jobs').select('run_at').where('type', '=', 'outbox.deliver').where('idempotency_key', '=', outboxId).executeTakeFirst(),
  );
  return job?.run_at;
}

/** Sets a victim's preferences through the API. */
export async function setPreferences(app: TestApp, investigator: Session, caseId: string, victimId: string, preferences: Record<string, unknown>) {
  const response = await app.inject({
    method: 'PUT',
    url: `/api/cases/${caseId}/victims/${victimId}/preferences`,
    headers: investigator.headers,
    payload: {
      channels: ['email', 'sms', 'portal'],
      language: null,
      safeWindows: [],
      neverSms: false,
      portalOnly: false,
      optOutNonStatutory: false,
      domesticAbuse: false,
      ...preferences,
    },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response;
}

/** Records a milestone through the API, checks it is answered with `status` (200 unless given), and returns the answer. */
export async function milestone(app: TestApp, investigator: Session, caseId: string, payload: Record<string, unknown>, status = 200) {
  const response = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/milestones`, headers: investigator.headers, payload });
  expect(response.statusCode, response.body).toBe(status);
  return response;
}

/**
 * A victim told in the portal inbox (`portalOnlyVictim`), someone charged, and a hearing listed for
 * Tuesday 12 May 2026 at 10:00 UK time at the magistrates' court, on Wednesday 6 May at 10:00: its
 * reminder falls due on Sunday 10 May. The jobs that follow are the caller's to run.
 */
export async function listedHearing(
  app: TestApp,
  clock: { set(at: Date): void },
  options: { language?: 'en' | 'cy'; preferences?: Record<string, unknown>; crimeType?: string } = {},
) {
  clock.set(new Date('2026-05-06T09:00:00Z'));
  const victim = await portalOnlyVictim(app, options.language, options.preferences);
  await milestone(app, victim.investigator, victim.caseId, { type: 'suspect_identified', ...(options.crimeType ? { crimeType: options.crimeType } : {}) });
  await milestone(app, victim.investigator, victim.caseId, { type: 'charged' });
  await milestone(app, victim.investigator, victim.caseId, { type: 'court_date_set', at: '2026-05-12T09:00:00Z', place: 'Demoton Magistrates’ Court' });
  return victim;
}

/** A records-system update's answer, as the tests read it. */
export type RecordsAnswer = { result: string; caseId: string; moves: { move: string }[]; warnings: string[]; message: string };

/**
 * A force's records system as the tests play it: a token the demo admin issues, and updates sent
 * one minute apart (the app's clock moves with them, each update stamped a second before its
 * minute), each followed by the jobs it queues. `post` answers whatever came back; `send` expects
 * the update taken.
 */
export async function connectRecordsSystem(app: TestApp, clock: { set(at: Date): void }, start: Date) {
  const admin = await signIn(app, 'admin@demo.police.uk');
  const issued = await app.inject({ method: 'POST', url: '/api/integrations/records/tokens', headers: admin.headers, payload: { label: 'Niche' } });
  const token = issued.json<{ token: string }>().token;
  let ticks = 0;
  const post = async (reference: string, payload: Record<string, unknown>) => {
    ticks += 1;
    clock.set(new Date(start.getTime() + ticks * 60_000));
    const response = await app.inject({
      method: 'POST',
      url: '/api/integrations/records/cases',
      headers: { authorization: `Bearer ${token}` },
      payload: { system: 'niche', reference, updatedAt: new Date(start.getTime() + ticks * 60_000 - 1000).toISOString(), ...payload },
    });
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
    return response;
  };
  const send = async (reference: string, payload: Record<string, unknown>) => {
    const response = await post(reference, payload);
    expect([200, 201], response.body).toContain(response.statusCode);
    return response.json<RecordsAnswer>();
  };
  return { admin, post, send };
}

/**
 * What the tests of a reminder's delivery read of one kind of reminder (`purpose`, e.g.
 * `journey:appointment.reminder`): its outbox rows, the events of a case, and what the case screen
 * shows staff of it (signed in afresh, as the clock may have moved on). `appOf` gives the test
 * file's app once its `beforeAll` has built it.
 */
export function reminderReads(appOf: () => TestApp, purpose: string) {
  const inForce = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(appOf().database.db, appOf().demoForceId, work);
  const eventsOf = (type: string, caseId: string) =>
    inForce((tx) => tx.selectFrom('events').select(['subject_id', 'data']).where('type', '=', type).where(sql<boolean>`data->>'caseId' = ${caseId}`).orderBy('seq').execute());
  return {
    inForce,
    eventsOf,
    /** The messages of this purpose taken back on a case, each with why, oldest first. */
    withdrawnReasons: async (caseId: string) =>
      (await eventsOf('outbox.withdrawn', caseId)).filter((e) => e.data.purpose === purpose).map((e) => [e.subject_id, e.data.reason]),
    /** A case's withdrawal jobs (of the milestones that overtook a time) given up after their attempts, before they ran (decisions 0116, 0121). */
    giveUpWithdrawal: (caseId: string) =>
      inForce((tx) =>
        tx.updateTable('jobs').set({ state: 'dead', last_error: 'given up' }).where('type', '=', REMINDERS_WITHDRAWAL_JOB).where('state', '=', 'pending').where(sql<boolean>`payload->>'caseId' = ${caseId}`).execute(),
      ),
    reminders: (caseId: string) =>
      inForce((tx) =>
        tx
          .selectFrom('outbox')
          .select(['id', 'status', 'last_error', 'not_before', 'subject', 'body', 'delivered_at'])
          .where('case_id', '=', caseId)
          .where('purpose', '=', purpose)
          .orderBy('not_before')
          // Under the tests' fixed clock a reminder queued again ties with the one it replaced on
          // every time it has: then in the order they were queued (their events' order).
          .orderBy(sql`(select min(e.seq) from events e where e.force_id = outbox.force_id and e.type = 'journey.message_queued' and e.data->>'outboxId' = outbox.id::text)`)
          .execute(),
      ),
    shownReminders: async (caseId: string) => {
      const app = appOf();
      const messages = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/messages`, headers: (await signIn(app, 'investigator@demo.police.uk')).headers });
      expect(messages.statusCode, messages.body).toBe(200);
      return messages.json<{ messages: { purpose: string; status: string; reason: string | null }[] }>().messages.filter((m) => m.purpose === purpose).map((m) => [m.status, m.reason]);
    },
  };
}
