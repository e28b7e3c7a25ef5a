import { sql } from 'kysely';
import { expect } from 'vitest';
import { createDemoLikeForce, createTestApp, signIn, startStandIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { Announcements } from '../../src/platform/events/announcements.ts';
import { recordInboundMessages } from '../../src/capabilities/intake/intake.service.ts';
import type { InboundMessage } from '../../src/capabilities/intake/intake.schema.ts';
import type { ContactId } from '../../src/platform/ids.ts';
import type { StaffRole } from '../../src/platform/auth/permissions.ts';
import { createStaff } from '../../src/capabilities/staff/staff.service.ts';
import { WEBHOOKS } from '../../src/capabilities/channels/registry.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { distributeWaiting } from '../../src/capabilities/queue/distribution.service.ts';
import type { Presence } from '../../src/capabilities/staff/staff.schema.ts';
import type { SlaClockView } from '../../src/capabilities/queue/sla.service.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';

// Shared by the routing integration tests: one demo force on the engine under test, with a clock
// that only moves when a test moves it, the worker off (jobs run with `app.runner.runDue()`) and
// distribution run by the test itself, so every assignment a test sees is one it asked for.

/** A Monday morning (GMT): no night-time triage points. */
export const START = new Date('2026-03-02T09:00:00Z');
export const MINUTE = 60_000;

export type Session = Awaited<ReturnType<typeof signIn>>;
export type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

/** The parts of GET /api/contacts/:id these tests read. */
export type ContactDetail = {
  contact: ContactSummary & { closedAt: string | null };
  messages: { direction: string; body: string; channel: string }[];
  timeline: { type: string; actor: string; summary: string }[];
  person: { id: string; identities: { kind: string; value: string }[] } | null;
  routing: {
    queue: { id: string; key: string; name: string; isControlRoom: boolean } | null;
    assignedTo: { id: string; name: string } | null;
    assignedAt: string | null;
    enqueuedAt: string | null;
    isThreatToLife: boolean;
    requiredSkills: string[];
    preferredSkills: string[];
    clocks: SlaClockView[];
    alerts: AlertView[];
    callback: { forContactId: string | null; forReference: string | null; number: string | null; note: string | null } | null;
  };
};

export type StoredEvent = { type: string; data: Record<string, unknown>; actor_type: string; actor_id: string | null };

/** A calm report that no rule counts: priority 4, the online-reports queue. */
export const CALM = 'My shed was broken into last night';
/** Asks for help urgently but names nothing: priority 3, the online-reports queue. */
export const STANDARD = 'Please help urgently, my shed was broken into last night';
/** Violence at priority 3: the public-safety queue. */
export const FIGHT = 'There was a fight outside the shop';
/** Domestic abuse at priority 2, no threat to life: the domestic-abuse queue. */
export const DOMESTIC = 'My ex hit me again last night';
/** A threat to life (and domestic abuse): priority 1, the public-safety queue. */
export const THREAT = 'My ex is going to kill me';
/** Weapons at priority 1 with no threat-to-life phrase: the public-safety queue. */
export const ARMED = 'He has a gun and a knife and someone was stabbed';

export type RoutingWorld = Awaited<ReturnType<typeof createRoutingWorld>>;
export type RoutingApp = Awaited<ReturnType<typeof openRoutingApp>>;

/**
 * One app for a whole test file, its clock at START. Tests that change what they share take a
 * force of their own in it with `createRoutingWorld(shared)`; building an app per test cost far more.
 */
export async function openRoutingApp() {
  const clock = fixedClock(START);
  const app: TestApp = await createTestApp({ overrides: { clock } });
  // The integrator behind each world's API channel: replies sent there are taken (and so answer the person).
  const integrator = await startStandIn();
  return {
    app,
    clock,
    integrator,
    close: async () => {
      await app.close();
      await integrator.close();
    },
  };
}

/**
 * The call handler, desk operator and supervisor signed in, in a force of their own: a fresh
 * demo-like force (with a generic API channel) in `shared` with its clock put back to START, or,
 * without `shared`, the demo force of a new app.
 */
let worlds = 0;

export async function createRoutingWorld(shared?: RoutingApp) {
  worlds += 1;
  // Sign-ins are limited per address, and every world in a shared app signs in at START.
  const address = `10.0.${Math.floor(worlds / 250)}.${(worlds % 250) + 1}`;
  let app: TestApp;
  let clock: ReturnType<typeof fixedClock>;
  let forceId: ForceId;
  let emailOf = (demoEmail: string) => demoEmail;
  /** The bearer token of the force's generic API channel. */
  let apiToken = 'demo-api-token';
  if (shared) {
    ({ app, clock } = shared);
    clock.set(START);
    const force = await createDemoLikeForce(app);
    ({ forceId, emailOf } = force);
    apiToken = `${force.slug}-api-token`;
    const apiChannel = WEBHOOKS.find((mount) => mount.adapter.name === 'api')?.adapter;
    if (!apiChannel) throw new Error('no generic API channel');
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, apiChannel, {
      label: 'Test API integration',
      config: { token: apiToken, callbackUrl: `${shared.integrator.url}/replies` },
      actor: { type: 'system', id: null },
    });
  } else {
    clock = fixedClock(START);
    app = await createTestApp({ overrides: { clock } });
    forceId = app.demoForceId;
  }
  const handler = await signIn(app, emailOf('handler@demo.police.uk'), undefined, address);
  const desk = await signIn(app, emailOf('desk@demo.police.uk'), undefined, address);
  const supervisor = await signIn(app, emailOf('supervisor@demo.police.uk'), undefined, address);
  let reports = 0;

  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const post = (session: Session, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: session.headers, payload });

  return {
    app,
    clock,
    forceId,
    emailOf,
    apiToken,
    handler,
    desk,
    supervisor,
    get,
    post,

    /** A portal report from a new person (so no repeat-contact points), moving the clock on a second first so arrival order is unambiguous. */
    async report(whatHappened: string, options: { email?: string; language?: string } = {}): Promise<ContactId> {
      reports += 1;
      clock.advance(1000);
      const result = await submitPublicReport(app.deps, forceId, {
        submissionId: `routing-${reports}`,
        whatHappened,
        where: 'High Street',
        when: 'last night',
        name: `Person ${reports}`,
        email: options.email ?? `person${reports}@example.org`,
        ...(options.language ? { language: options.language } : {}),
      });
      return result.contactId;
    },

    /** Runs distribution as the worker would; returns how many contacts were given out. */
    distribute: () => distributeWaiting(app.deps, forceId),

    /** Sets one's own presence through the API. */
    async setPresence(session: Session, presence: Presence) {
      const response = await post(session, '/api/me/presence', { presence });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ presence: Presence; returnedContacts: number }>();
    },

    /** Sets someone's skills or capacity through the API, as the supervisor. */
    async setProfile(staffId: string, profile: { skills?: string[]; capacity?: Record<string, number> }) {
      const response = await post(supervisor, `/api/routing/staff/${staffId}/profile`, profile);
      expect(response.statusCode, response.body).toBe(200);
    },

    async detail(contactId: string, as: Session = supervisor): Promise<ContactDetail> {
      const response = await get(as, `/api/contacts/${contactId}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<ContactDetail>();
    },

    /** Who holds the contact now (null when it waits), read straight from the database. */
    async assigneeOf(contactId: string): Promise<string | null> {
      const row = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('contacts').select('assigned_staff_id').where('id', '=', contactId).executeTakeFirstOrThrow(),
      );
      return row.assigned_staff_id;
    },

    /** The contact's events of one type (all when none given), in order. */
    async events(contactId: string, type?: string): Promise<StoredEvent[]> {
      const rows = await withSystem(app.database.db, (tx) => {
        let query = tx.selectFrom('events').select(['type', 'data', 'actor_type', 'actor_id']).where('subject_id', '=', contactId);
        if (type) query = query.where('type', '=', type);
        return query.orderBy('seq').execute();
      });
      return rows;
    },

    /** Another member of the demo force, signed in. */
    async addStaff(name: string, role: StaffRole, skills: string[] = []): Promise<Session> {
      const email = emailOf(`${name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo.police.uk`);
      await createStaff(app.database.db, app.deps.clock, forceId, { email, name, role, password: 'demo-password', skills });
      return signIn(app, email, undefined, address);
    },

    /** Closes the app, unless it is the file's shared one. */
    close: () => (shared ? Promise.resolve() : app.close()),
  };
}

/** One provider request's messages recorded in one transaction, as a channel's webhook does. */
export async function recordBatch(w: RoutingWorld, messages: InboundMessage[]): Promise<string[]> {
  const recorded = await withForce(w.app.database.db, w.forceId, async (tx) => {
    const out = new Announcements();
    const result = await recordInboundMessages(tx, w.forceId, w.clock, { channel: 'api', channelAccountId: null, inboundRequestId: null, messages }, out);
    out.flush(tx, w.forceId, w.clock);
    return result;
  });
  return recorded.map((r) => r.result.contactId);
}

let portalReports = 0;
/** A report sent in through the portal at the clock's time by Sam, with the handles given: reports that share a handle share a person. */
export async function portalReport(w: RoutingWorld, email: string, phone?: string) {
  portalReports += 1;
  return submitPublicReport(w.app.deps, w.forceId, { submissionId: `portal-${portalReports}`, whatHappened: CALM, where: 'High Street', when: 'last night', name: 'Sam Portal', email, ...(phone ? { phone } : {}) });
}

/** The id of the person a contact is from (through the contact's page). */
export async function personOf(w: RoutingWorld, contactId: string): Promise<string> {
  const person = (await w.detail(contactId)).person;
  if (!person) throw new Error('the contact has no person');
  return person.id;
}

/** The tables whose `seq` was added after they held rows (decisions 0157, 0168). */
export type SeqTable =
  | 'alerts'
  | 'case_people'
  | 'contact_grades'
  | 'identities'
  | 'inbound_requests'
  | 'incident_notes'
  | 'jobs'
  | 'messages'
  | 'outbox'
  | 'person_links'
  | 'portal_codes'
  | 'records_integration_tokens';

/**
 * Takes the `seq` from the first stored of `table`'s rows that match every column of `where`, as if
 * it had been stored before the table had the column (decisions 0157, 0168).
 */
export async function storedBeforeSeq(w: { app: TestApp }, table: SeqTable, where: Record<string, string>): Promise<void> {
  const matches = sql.join(Object.entries(where).map(([column, value]) => sql`${sql.ref(column)} = ${value}`), sql` and `);
  const updated = await withSystem(w.app.database.db, (tx) =>
    sql`update ${sql.table(table)} set seq = null where seq = (select min(seq) from ${sql.table(table)} where ${matches})`.execute(tx),
  );
  // A filter that matched nothing would leave the order a newest-first test expects anyway.
  if (updated.numAffectedRows !== 1n) throw new Error(`no single row of ${table} matched ${JSON.stringify(where)} to be stored before seq`);
}
