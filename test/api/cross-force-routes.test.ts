import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DOCUMENT_FILE } from '../../scripts/api-contract.ts';
import { ROLE_PERMISSIONS, STAFF_ROLES, type Permission, type StaffRole } from '../../src/platform/auth/permissions.ts';
import { DEMO_ACCOUNTS } from '../../src/capabilities/admin/forces.service.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { findEmailAccount, ingestEmail, rawInboundFromMail } from '../../src/capabilities/channels/email/email.ingest.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import type { Operation, Schema } from './openapi-shapes.ts';

/**
 * Every operation in the generated API contract, called by a member of another force in each role
 * with the demo force's real ids in its path and body: no answer is a success that carries anything
 * of the demo force, none is a 500, and the demo force's rows (events included) are the same
 * afterwards. The operations come from the contract, so a route added later is covered at once,
 * and one whose path names a record this file cannot name fails the test until it can.
 */

type Session = Awaited<ReturnType<typeof signIn>>;

const document = JSON.parse(readFileSync(API_DOCUMENT_FILE, 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Written into every demo record this file makes, so a leak of its text shows. */
const MARK = 'Quillfeather';

/** The demo record each kind of id names; filled in before the calls. */
const demo = {
  contact: '', linkedContact: '', attachment: '', outbox: '', job: '', person: '', otherPerson: '', personLink: '',
  incident: '', clock: '', theCase: '', casePerson: '', victimUpdate: '', token: '', trackingToken: '', helpArticle: '', unit: '',
  area: '', alert: '', queue: '', staff: '', ruleSetVersion: '', templateKey: '', journeyRule: '', channel: '',
  inboundRequest: '', chatSession: '', queueRule: '', message: '',
};

type Kind = keyof typeof demo;
/** The other force's own records of some kinds, for calls that name one of them in the path and a demo record in the body. */
const own: Partial<Record<Kind, string>> = {};

/**
 * The demo record a path parameter names: the longest path prefix that knows the parameter wins.
 * A path parameter found nowhere here fails the test.
 */
const PATH_IDS: [prefix: string, param: string, kind: Kind][] = [
  ['/api/contacts/', 'id', 'contact'],
  ['/api/attachments/', 'id', 'attachment'],
  ['/api/outbox/', 'id', 'outbox'],
  ['/api/outbox/letters/', 'id', 'outbox'],
  ['/api/jobs/', 'id', 'job'],
  ['/api/people/', 'id', 'person'],
  ['/api/people/', 'linkId', 'personLink'],
  ['/api/incidents/', 'id', 'incident'],
  ['/api/incidents/', 'contactId', 'linkedContact'],
  ['/api/incidents/', 'clockId', 'clock'],
  ['/api/cases/', 'id', 'theCase'],
  ['/api/cases/', 'casePersonId', 'casePerson'],
  ['/api/cases/', 'updateId', 'victimUpdate'],
  ['/api/cases/', 'victimId', 'casePerson'],
  ['/api/integrations/records/tokens/', 'id', 'token'],
  ['/api/integrations/tracking/tokens/', 'id', 'trackingToken'],
  ['/api/online-reports/', 'id', 'contact'],
  ['/api/help-articles/', 'id', 'helpArticle'],
  ['/api/units/', 'id', 'unit'],
  ['/api/areas/', 'id', 'area'],
  ['/api/alerts/', 'id', 'alert'],
  ['/api/queues/', 'id', 'queue'],
  ['/api/routing/staff/', 'id', 'staff'],
  ['/api/staff/', 'id', 'staff'],
  ['/api/triage/rule-sets/', 'version', 'ruleSetVersion'],
  ['/api/templates/', 'key', 'templateKey'],
  ['/api/journey-rules/', 'id', 'journeyRule'],
  ['/api/channels/', 'id', 'channel'],
  ['/api/channels/inbound/', 'id', 'inboundRequest'],
  ['/chat/sessions/', 'sessionId', 'chatSession'],
];

/** Body properties that name a record, given the demo force's: the adversary points at its records. */
const BODY_IDS: Record<string, () => string> = {
  contactId: () => demo.contact,
  contactIds: () => demo.contact,
  caseId: () => demo.theCase,
  personId: () => demo.otherPerson,
  linkedPersonId: () => demo.otherPerson,
  incidentId: () => demo.incident,
  unitId: () => demo.unit,
  unitIds: () => demo.unit,
  queueId: () => demo.queue,
  staffId: () => demo.staff,
  excludedStaffIds: () => demo.staff,
  areaId: () => demo.area,
  channelAccountId: () => demo.channel,
  quoteMessageId: () => demo.message,
  ruleId: () => demo.journeyRule,
  intoIncidentId: () => demo.incident,
  homeAreaId: () => demo.area,
  messageId: () => demo.message,
  victimId: () => demo.casePerson,
  ruleIds: () => demo.journeyRule,
  order: () => demo.journeyRule,
};

/**
 * Bodies the schema's minimum would not get past validation to the record's look-up, laid over
 * that minimum: each changes one thing a member of the demo force could change.
 */
const BODIES: Record<string, (isOwnPath: boolean) => object> = {
  'PATCH /api/incidents/{id}': () => ({ summary: `${MARK} retold` }),
  'PUT /api/incidents/{id}/location': () => ({ locationText: `${MARK} Road` }),
  'POST /api/incidents': () => ({ type: 'crime_violence', contactIds: [demo.contact] }),
  // Merged into the other force's own incident, or its own incident merged into the demo one.
  'POST /api/incidents/{id}/merge': (isOwnPath) => ({ intoIncidentId: isOwnPath ? demo.incident : (own.incident ?? demo.incident) }),
  'POST /api/areas/{id}': () => ({ name: `${MARK} ward` }),
  'POST /api/channels/{id}': () => ({ label: `${MARK} line` }),
  'POST /api/journey-rules/{id}': () => ({ delayMinutes: 5 }),
  'POST /api/queues/{id}': () => ({ name: `${MARK} queue` }),
  'POST /api/queues/rules': () => ({ rules: [{ queueId: demo.queue, channels: ['email'] }] }),
  'POST /api/routing/staff/{id}/profile': () => ({ skills: ['welsh'] }),
  'POST /api/units/{id}': () => ({ homeStation: `${MARK} station` }),
  // The demo force's own mailbox and a demo member of staff's address, claimed by the other force.
  'POST /api/channels': () => ({ channel: 'email', label: `${MARK} mailbox`, config: { address: 'contact@demo.police.uk', displayName: 'Other', smtpUrl: null, imap: null } }),
  'POST /api/staff': () => ({ email: 'investigator@demo.police.uk' }),
  'POST /api/sms-opt-outs': () => ({ number: '+447700900123', reason: 'Asked by text' }),
  'POST /api/sms-opt-outs/lift': () => ({ number: '+447700900123', reason: 'Asked by text' }),
  // The address the demo force trusts, trusted and removed by the other force: the demo's must stand.
  'POST /api/force/trusted-addresses': () => ({ address: 'centre@example.org' }),
  'POST /api/force/trusted-addresses/remove': () => ({ address: 'centre@example.org' }),
  'POST /api/journey-rules': () => ({ milestone: 'case.created', templateKey: 'case.report_received' }),
  'POST /api/templates/{key}': () => ({ subject: 'Changed' }),
  'PUT /api/cases/{id}/victims/{victimId}/preferences': () => ({ safeWindows: [], portalOnly: false }),
};

/** Query strings that widen a list to everything, or search it for a demo record. */
const QUERIES: Record<string, () => string> = {
  'GET /api/contacts': () => `status=open&queue=${demo.queue}`,
  'GET /api/contacts/search': () => `q=${MARK}&assignee=${demo.staff}`,
  'GET /api/people': () => 'kind=email&value=quill.one@example.org',
  'GET /api/incidents': () => 'which=all',
  'GET /api/incidents/nearby': () => 'lat=52.1&lon=-1.2&type=crime_violence&radiusKm=20',
  'GET /api/cases': () => 'which=all',
  'GET /api/cases/victim-updates': () => 'which=all',
  'GET /api/online-reports/queue': () => 'which=all',
  'GET /api/units': () => 'which=all',
  'GET /api/jobs': () => 'state=pending',
  'GET /api/channels/inbound': () => 'status=processed',
  'GET /api/sms-opt-outs': () => 'number=%2B447700900123',
  'GET /api/reports/satisfaction': () => 'from=2026-01-01T00:00:00.000Z&to=2027-12-31T00:00:00.000Z',
  'GET /api/reports/victims-code': () => 'from=2026-01-01T00:00:00.000Z&to=2027-12-31T00:00:00.000Z',
  'GET /api/reports/response': () => 'from=2026-01-01&to=2026-12-31',
  'GET /api/reports/response.csv': () => 'from=2026-01-01&to=2026-12-31',
  'GET /api/templates/{key}/versions': () => 'channel=email&locale=en',
};

/**
 * Path parameters whose value is not a record's id, so another force may hold the same value and
 * be answered about its own: a template's key, a rule set's version, and a chat session, which the
 * visitor's token guards rather than a force.
 */
const SHARED_PARAMS = new Set(['key', 'version', 'sessionId']);

/** A plausible value of a schema: its required properties, and any property that names a record given a demo one. */
function sample(schema: Schema | undefined, name = '', depth = 0): unknown {
  if (!schema || depth > 6) return 'x';
  if (schema.$ref) return sample(document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')], name, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return sample(choice.find((s) => s.type !== 'null') ?? choice[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([key]) => required.has(key) || key in BODY_IDS)
        .map(([key, s]) => [key, sample(s, key, depth + 1)]),
    );
  }
  if (type === 'array') return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items, name, depth + 1));
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  const named = BODY_IDS[name];
  if (schema.format === 'uuid') return named ? named() : demo.contact;
  if (schema.format === 'date-time') return '2026-01-02T10:00:00.000Z';
  if (schema.format === 'email') return 'someone@example.org';
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

const emailOf = new Map(DEMO_ACCOUNTS.map((account) => [account.role, account.email]));

/** A demo role that holds a permission. */
function demoRoleWith(permission: Permission): StaffRole {
  const role = STAFF_ROLES.find((r) => ROLE_PERMISSIONS[r].includes(permission));
  if (!role) throw new Error(`no role holds ${permission}`);
  return role;
}

/** The tables that carry `force_id`, found in the database so a table added later is digested too. */
async function tenantTables(app: TestApp): Promise<string[]> {
  const rows = await withSystem(app.database.db, (tx) =>
    sql<{ table_name: string }>`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'force_id' order by table_name`.execute(tx),
  );
  return rows.rows.map((row) => row.table_name);
}

/** Each tenant table's rows of one force (and the force's own row), as sorted JSON lines. */
async function rowsOf(app: TestApp, tables: string[], forceId: ForceId): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  await withSystem(app.database.db, async (tx) => {
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where force_id = ${forceId}`.execute(tx);
      result.set(table, rows.rows.map((row) => JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value))).sort());
    }
    const force = await sql<Record<string, unknown>>`select * from forces where id = ${forceId}`.execute(tx);
    result.set('forces', force.rows.map((row) => JSON.stringify(row)));
  });
  return result;
}

const digestOf = (rows: Map<string, string[]>) =>
  new Map([...rows].map(([table, lines]) => [table, `${lines.length} ${createHash('sha256').update(lines.join('\n')).digest('hex')}`]));

describe('every route in the API contract, called by another force with the demo force’s ids', () => {
  let app: TestApp;
  const demoSessions = new Map<StaffRole, Session>();
  const otherSessions = new Map<StaffRole, Session>();
  let tables: string[] = [];
  let before = new Map<string, string>();
  /** What of the demo force no other force's answer may carry: its ids, references and marked text. */
  const secrets = new Set<string>();
  let otherForceId: ForceId;

  /** Calls the API as the demo force's member of staff in `role`, signed in on first use. */
  const api = async <T>(role: StaffRole, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    if (!demoSessions.has(role)) demoSessions.set(role, await signIn(app, emailOf.get(role) ?? '', undefined, `10.9.0.${STAFF_ROLES.indexOf(role) + 1}`));
    const response = await app.inject({ method, url, headers: demoSessions.get(role)?.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    return response.json<T>();
  };
  /** One demo row's `column` (the greatest, if `isLast`). */
  const firstId = async (table: string, column = 'id', where = sql`true`, isLast = false) => {
    const row = await withSystem(app.database.db, (tx) =>
      sql<{ value: unknown }>`select ${sql.ref(column)} as value from ${sql.table(table)} where force_id = ${app.demoForceId} and ${where} order by 1 ${isLast ? sql`desc` : sql`asc`} limit 1`.execute(tx),
    );
    const value = row.rows[0]?.value;
    expect(value, `a demo row in ${table}`).toBeDefined();
    return String(value);
  };

  beforeAll(async () => {
    app = await createTestApp();

    // Two people who reported online; the first report becomes a case with its victim.
    const report = (key: string, email: string, whatHappened: string) =>
      submitPublicReport(app.deps, app.demoForceId, { submissionId: randomUUID(), whatHappened, where: `${MARK} Lane`, when: 'Yesterday', name: `${MARK} ${key}`, email });
    const first = await report('One', 'quill.one@example.org', `${MARK}: my shed was broken into and tools taken`);
    const second = await report('Two', 'quill.two@example.org', `${MARK}: my ex is going to kill me`);
    await app.reports.settled();
    demo.contact = first.contactId;
    demo.linkedContact = second.contactId;
    const investigator = demoRoleWith('cases:create');
    const made = await api<{ case: { id: string } }>(investigator, 'POST', `/api/contacts/${demo.contact}/case`, {});
    demo.theCase = made.case.id;
    await api(demoRoleWith('contacts:reply'), 'POST', `/api/contacts/${demo.contact}/replies`, { body: `${MARK}: thank you, we are looking into it` });

    demo.person = await firstId('contacts', 'person_id', sql`id = ${demo.contact}`);
    demo.otherPerson = await firstId('contacts', 'person_id', sql`id = ${demo.linkedContact}`);
    await api(demoRoleWith('people:link'), 'POST', `/api/people/${demo.person}/links`, { personId: demo.otherPerson, reason: `${MARK} same household` });

    const incident = await api<{ incident: { id: string } }>(demoRoleWith('incidents:write'), 'POST', '/api/incidents', {
      type: 'crime_violence', summary: `${MARK} fight`, locationText: `${MARK} Street`, lat: 52.1, lon: -1.2, grade: 'immediate', contactIds: [demo.linkedContact],
    });
    demo.incident = incident.incident.id;

    // A mail with a file: an inbound request, a message and an attachment.
    const box = new SecretBox(app.config.secretsKey);
    const mailbox = await findEmailAccount({ ...app.deps, secrets: box }, 'contact@demo.police.uk');
    if (!mailbox) throw new Error('no demo mailbox');
    const mail = [
      'From: Quill Three <quill.three@example.org>', 'To: contact@demo.police.uk', `Subject: ${MARK} photo`, `Message-ID: <${randomUUID()}@example.org>`,
      'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain', '', `${MARK}: here is a photo of the car`,
      '--b1', 'Content-Type: image/png; name="car.png"', 'Content-Disposition: attachment; filename="car.png"', 'Content-Transfer-Encoding: base64', '',
      Buffer.from('\x89PNG\r\n\x1a\n' + MARK, 'binary').toString('base64'), '--b1--', '',
    ].join('\r\n');
    await ingestEmail({ ...app.deps, secrets: box }, mailbox, rawInboundFromMail({ rawBody: Buffer.from(mail), recipient: 'contact@demo.police.uk', method: 'SMTP', url: 'smtp://demo', receivedAt: app.deps.clock.now() }));
    await app.runner?.runDue();

    await api(demoRoleWith('force:settings'), 'POST', '/api/integrations/records/tokens', { label: `${MARK} records` });
    // A tracking token of its own, so the tracking routes are tried on one: a records token's id
    // is in another table, where a revoke that forgot the force would not find it either.
    await api(demoRoleWith('force:settings'), 'POST', '/api/integrations/tracking/tokens', { label: `${MARK} tracking` });
    // The number the other force opts out and back in below: the demo force's opt-out must stand.
    await api(demoRoleWith('sms_opt_outs:manage'), 'POST', '/api/sms-opt-outs', { number: '+447700900123', reason: `${MARK} asked` });
    await api(demoRoleWith('force:settings'), 'POST', '/api/force/trusted-addresses', { address: 'centre@example.org' });
    // Rule sets are numbered per force: the demo force's last is one the other force never reaches.
    for (let n = 0; n < STAFF_ROLES.length; n += 1) await api(demoRoleWith('rules:manage'), 'POST', '/api/triage/rule-sets', { rules: [{ phrase: MARK.toLowerCase(), category: 'weapons', weight: 50 }] });
    const chat = await app.inject({ method: 'POST', url: '/chat/sessions', payload: { widgetKey: 'demo-chat' } });
    expect(chat.statusCode, chat.body).toBeLessThan(300);

    const victimUpdates = await api<{ updates: { id: string }[] }>(demoRoleWith('cases:read'), 'GET', `/api/cases/${demo.theCase}/victim-updates`);
    demo.victimUpdate = victimUpdates.updates[0]?.id ?? '';
    demo.token = await firstId('records_integration_tokens');
    demo.trackingToken = await firstId('tracking_integration_tokens');
    demo.attachment = await firstId('attachments');
    demo.message = await firstId('messages', 'id', sql`contact_id = ${demo.contact}`);
    demo.outbox = await firstId('outbox');
    demo.job = await firstId('jobs');
    demo.personLink = await firstId('person_links');
    demo.clock = await firstId('response_clocks');
    demo.casePerson = await firstId('case_people', 'id', sql`case_id = ${demo.theCase}`);
    demo.helpArticle = await firstId('help_articles');
    demo.unit = await firstId('units');
    demo.area = await firstId('areas');
    demo.alert = await firstId('alerts');
    demo.queue = await firstId('queues');
    demo.queueRule = await firstId('queue_rules');
    demo.staff = await firstId('staff', 'id', sql`role = 'call_handler'`);
    demo.ruleSetVersion = await firstId('triage_rule_sets', 'version', sql`true`, true);
    demo.templateKey = await firstId('message_templates', 'key');
    demo.journeyRule = await firstId('journey_rules');
    demo.channel = await firstId('channel_accounts');
    demo.inboundRequest = await firstId('inbound_requests');
    demo.chatSession = await firstId('chat_sessions');
    for (const [kind, id] of Object.entries(demo)) expect(id, `a demo ${kind}`).toMatch(/^[\w.-]+$/);

    const other = await createOtherForce(app, [...STAFF_ROLES]);
    otherForceId = other.forceId;
    for (const role of STAFF_ROLES) otherSessions.set(role, await signIn(app, other.emails[role] ?? '', 'other-password', `10.9.1.${STAFF_ROLES.indexOf(role) + 1}`));

    // The other force's own contact (from a report made to it), its person, a case of it and an incident.
    const ownReport = await submitPublicReport(app.deps, otherForceId, { submissionId: randomUUID(), whatHappened: 'My bicycle was stolen from the station', where: 'Station', when: 'Today', name: 'Robin Other', email: 'robin@example.org' });
    await app.reports.settled();
    own.contact = ownReport.contactId;
    const otherApi = async <T>(role: StaffRole, url: string, payload: object) => {
      const response = await app.inject({ method: 'POST', url, headers: otherSessions.get(role)?.headers, payload });
      expect(response.statusCode, `POST ${url}: ${response.body}`).toBeLessThan(300);
      return response.json<T>();
    };
    own.theCase = (await otherApi<{ case: { id: string } }>(demoRoleWith('cases:create'), `/api/contacts/${own.contact}/case`, {})).case.id;
    own.incident = (await otherApi<{ incident: { id: string } }>(demoRoleWith('incidents:write'), '/api/incidents', { type: 'crime_violence', summary: 'Own fight', grade: 'immediate' })).incident.id;
    const ownPerson = await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').select('person_id').where('id', '=', own.contact ?? '').executeTakeFirstOrThrow());
    own.person = ownPerson.person_id ?? undefined;

    tables = await tenantTables(app);
    const demoRows = await rowsOf(app, tables, app.demoForceId);
    before = digestOf(demoRows);
    const otherText = [...(await rowsOf(app, tables, otherForceId)).values()].flat().join('\n');
    const shared = new Set(otherText.match(UUID) ?? []);
    for (const line of [...demoRows.values()].flat()) for (const id of line.match(UUID) ?? []) if (!shared.has(id)) secrets.add(id.toLowerCase());
    const references = await withSystem(app.database.db, (tx) =>
      sql<{ reference: string }>`select reference from contacts where force_id = ${app.demoForceId} union select reference from cases where force_id = ${app.demoForceId}`.execute(tx),
    );
    for (const row of references.rows) secrets.add(row.reference.toLowerCase());
    for (const text of [MARK, '@demo.police.uk']) secrets.add(text.toLowerCase());
  });
  afterAll(() => app?.close());

  it('never-shows-or-changes-demo-force-records-to-any-role-of-another-force', async () => {
    const failures: string[] = [];
    const operations = Object.entries(document.paths)
      .flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ path, verb: method.toUpperCase(), operation })))
      .filter(({ operation }) => !operation['x-websocket'])
      // Signing out ends the session the later calls use.
      .sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    let sent = 0;

    /** Sends one operation as each role, with ids for its path from `ids`; checks every answer. */
    const callAsEveryRole = async (path: string, verb: string, operation: Operation, ids: Partial<Record<Kind, string>>, isOwnPath: boolean) => {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const known = PATH_IDS.filter(([prefix, param]) => param === name && path.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
        if (!known) {
          failures.push(`${verb} ${path}: no demo record for {${name}}; add one to PATH_IDS`);
          return name;
        }
        return encodeURIComponent(ids[known[2]] ?? demo[known[2]]);
      });
      const query = QUERIES[`${verb} ${path}`]?.();
      const target = query ? `${url}?${query}` : url;
      const schema = operation.requestBody?.content['application/json']?.schema;
      const minimum = schema ? sample(schema) : undefined;
      const given = BODIES[`${verb} ${path}`]?.(isOwnPath);
      const value = given ? { ...(minimum as object), ...given } : minimum;
      const body = value !== undefined ? JSON.stringify(value) : verb === 'GET' ? undefined : '{}';
      // Called with a demo record in its path, the role that may call it must be told the record is
      // not there: anything else means the call stopped short of the look-up (a body to mend in
      // BODIES) or found the record.
      const namesRecord = !isOwnPath && [...path.matchAll(/\{(\w+)\}/g)].some(([, name]) => !SHARED_PARAMS.has(name ?? ''));
      const permission = operation['x-permission'];
      const mayCall = (role: StaffRole) => permission === 'signed-in' || ROLE_PERMISSIONS[role].includes(permission as Permission);
      for (const role of STAFF_ROLES) {
        sent += 1;
        const response = await app.inject({
          method: verb as 'POST',
          url: target,
          headers: { ...otherSessions.get(role)?.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { payload: body } : {}),
        });
        const what = `${role} ${verb} ${target} ${body?.slice(0, 160) ?? ''} → ${response.statusCode}`;
        if (response.statusCode >= 500) failures.push(`${what} ${response.body.slice(0, 200)}`);
        else if (namesRecord && mayCall(role) && response.statusCode !== 404) failures.push(`${what}, not 404: ${response.body.slice(0, 200)}`);
        if (response.statusCode < 300) {
          const text = response.body.toLowerCase();
          const leaked = [...(text.match(UUID) ?? [])].filter((id) => secrets.has(id));
          for (const secret of secrets) if (!/^[0-9a-f-]{36}$/.test(secret) && text.includes(secret)) leaked.push(secret);
          if (leaked.length > 0) failures.push(`${what} carries the demo force's ${[...new Set(leaked)].slice(0, 5).join(', ')}`);
        }
      }
    };

    for (const { path, verb, operation } of operations) {
      await callAsEveryRole(path, verb, operation, {}, false);
      // Again on the other force's own records where the body names a demo one: an own incident
      // merged into a demo incident, a demo person added to an own case, an own contact assigned to
      // demo staff.
      const schema = operation.requestBody?.content['application/json']?.schema;
      const namesDemoInBody = schema !== undefined && Object.keys(BODY_IDS).some((key) => JSON.stringify(sample(schema)).includes(`"${key}"`));
      const pathKinds = PATH_IDS.filter(([prefix, param]) => path.startsWith(prefix) && path.includes(`{${param}}`)).map(([, , kind]) => kind);
      if (namesDemoInBody && pathKinds.length > 0 && pathKinds.some((kind) => own[kind])) await callAsEveryRole(path, verb, operation, own, true);
    }

    const after = digestOf(await rowsOf(app, tables, app.demoForceId));
    for (const [table, digest] of before) if (after.get(table) !== digest) failures.push(`the demo force's ${table} changed: ${digest} → ${after.get(table) ?? 'gone'}`);
    // Nothing the other force keeps may point at a demo record or copy its text.
    for (const [table, lines] of await rowsOf(app, tables, otherForceId)) {
      for (const line of lines) {
        const lower = line.toLowerCase();
        const kept = [...(lower.match(UUID) ?? [])].filter((id) => secrets.has(id));
        if (lower.includes(MARK.toLowerCase())) kept.push(MARK);
        if (kept.length > 0) failures.push(`the other force's ${table} keeps the demo force's ${[...new Set(kept)].join(', ')}: ${line.slice(0, 300)}`);
      }
    }
    expect(tables).toContain('events');
    expect(sent).toBeGreaterThan(900);
    expect(failures).toEqual([]);
  });
});
