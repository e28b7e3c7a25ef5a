import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { inject } from 'vitest';
import { buildApp, type App, type AppOverrides } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabase, withForce, withSystem, type Database } from '../src/platform/db/database.ts';
import { baseTestEnv, testDatabaseUrl, type TemplateDatabase } from './template-database.ts';
import { borrowTemplateEngine } from './template-engines.ts';
import type { ForceId } from '../src/platform/ids.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createForce } from '../src/capabilities/admin/forces.service.ts';
import { insertStaff, type StaffAccount } from '../src/capabilities/staff/staff.service.ts';
import type { StaffRole } from '../src/platform/auth/permissions.ts';
import { forgetCachedQueues } from '../src/capabilities/queue/queues.service.ts';
import { forgetCompiledEngines } from '../src/capabilities/triage/triage.service.ts';
import { testPasswordHash } from './test-passwords.ts';
import { injectNamingExpiredSessions } from './expired-session-hint.ts';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

/** The engine under test: a fresh PostgreSQL database when DATABASE_URL is set, else in-memory PGlite. */
export const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/**
 * Creates a database on the PostgreSQL server for one test file, empty or a copy of `template`;
 * returns its URL and a dropper.
 *
 * Copying the template takes the server a few hundred milliseconds (more on a busy machine), and
 * dropping a database about as long: a copy of the template is made ahead, while a test file
 * runs, for the next test file of this process to take, and copies are dropped without the test
 * waiting. Copies are named after the template, so the run's end drops any left (global-setup.ts).
 */
export async function createScratchDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  if (!template) {
    const name = await createDatabase(adminUrl, `bluelamp_test_${randomBytes(6).toString('hex')}`);
    return { url: testDatabaseUrl(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
  }

  const ready = ahead?.template === template ? ahead.name : createDatabase(adminUrl, scratchCopyName(template), template);
  ahead = { template, name: createDatabase(adminUrl, scratchCopyName(template), template) };
  // A copy made ahead that failed is made again by the next caller; the failure is not lost.
  ahead.name.catch(() => (ahead = undefined));
  const name = await ready;
  return {
    url: testDatabaseUrl(adminUrl, name),
    // Not awaited: a copy that outlives its drop is dropped at the run's end.
    drop: async () => void dropDatabase(adminUrl, name).catch(() => {}),
  };
}

/** The copy of a template made ahead for this process's next test file. */
let ahead: { template: string; name: Promise<string> } | undefined;

/** A name for a copy of `template` that the run's end can find: the template's own name after `bluelamp_template_`. */
export function scratchCopyName(template: string): string {
  return `bluelamp_test_${template.replace(/^bluelamp_template_/, '')}_${randomBytes(6).toString('hex')}`;
}

/**
 * An empty database for a benchmark: its URL keeps the server's own commit setting (every commit
 * waits for the disk, as the product's does), so a benchmark measures what production pays and
 * compares with figures recorded before decision 0208.
 */
export async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = await createDatabase(adminUrl, `bluelamp_test_${randomBytes(6).toString('hex')}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(adminUrl, name) };
}

async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(template ? `create database ${name} template ${pg.escapeIdentifier(template)}` : `create database ${name}`);
  } finally {
    await admin.end();
  }
  return name;
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

export type TestApp = App & {
  demoForceId: ForceId;
  /** The server's `inject`; a 401 from a session the app's clock has moved past says so beside the test. */
  inject: (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
};

/**
 * The run's migrated and seeded template (see template-database.ts), when this app's settings
 * would seed the same data; otherwise none, and the app starts from an empty database.
 */
function usableTemplate(env: Record<string, string>) {
  // Undefined in a run without the global setup.
  const template: TemplateDatabase | undefined = inject('bluelampTemplate');
  if (!template || template.engine !== ENGINE) return undefined;
  if ('DATABASE_URL' in env || 'DATA_DIR' in env) return undefined;
  const mine = loadConfig({ ...baseTestEnv(), ...env });
  const templates = loadConfig(baseTestEnv());
  // Seeded channel credentials are sealed with the secrets key; other settings change no stored data.
  if (!mine.seedDemo || mine.secretsKey !== templates.secretsKey) return undefined;
  return template;
}

/**
 * The whole product on the engine under test, with the demo force seeded, responses checked
 * exactly against their schemas, the worker loop off
 * (tests run jobs with `app.runner.runDue()`), and silent logs. It starts from a copy of the run's
 * template database, so it migrates and seeds nothing new, unless its settings would seed other data.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; overrides?: AppOverrides } = {},
): Promise<TestApp> {
  const template = usableTemplate(options.env ?? {});
  const scratch =
    ENGINE === 'postgres' ? await createScratchDatabase(template?.engine === 'postgres' ? template.databaseName : undefined) : null;
  const config = loadConfig({
    ...baseTestEnv(),
    ...(scratch ? { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '5' } : {}),
    ...options.env,
  });
  // Every copy of the template holds the same demo force id, so what this process cached about the
  // demo force belongs to an earlier app. Two apps alive at once share that cache: give at most one
  // of them changes to the demo force's queues.
  forgetCachedQueues();
  forgetCompiledEngines();
  let database: Database | undefined;
  if (template?.engine === 'pglite') {
    database = await openDatabase({ dataDir: 'memory://', lent: await borrowTemplateEngine(template.imageFolder) });
  }
  // Every response is checked against its route's schema exactly, so a schema behind its handler fails the test.
  const app = await buildApp(config, { startWorker: false, isResponseCheckExact: true, ...(database ? { database } : {}), ...options.overrides });
  const http = app.http;
  if (!http) throw new Error('test app has no HTTP server');
  const force = await withSystem(app.database.db, (tx) =>
    tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow(),
  );
  const close = app.close.bind(app);
  return Object.assign(app, {
    demoForceId: force.id as ForceId,
    inject: injectNamingExpiredSessions((options) => http.inject(options), app.database.db, app.deps.clock),
    async close(onStep?: (step: string) => void) {
      await close(onStep);
      await scratch?.drop();
    },
  });
}

/**
 * Signs in through the API, from `remoteAddress` when given (tests sharing one app sign in from
 * addresses of their own, as sign-ins are limited per address); returns headers that carry the
 * session and CSRF token.
 */
export async function signIn(app: Pick<TestApp, 'inject'>, email: string, password = 'demo-password', remoteAddress?: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'bl_session');
  if (!cookie) throw new Error('no session cookie');
  const body = response.json<{ csrfToken: string; user: { id: string; forceId: string } }>();
  return {
    cookie: `bl_session=${cookie.value}`,
    csrfToken: body.csrfToken,
    user: body.user,
    headers: { cookie: `bl_session=${cookie.value}`, 'x-csrf-token': body.csrfToken },
  };
}

/**
 * Adds a member of staff as createStaff does, with a least-cost hash of `password`
 * (test/test-passwords.ts): signing in checks it as for anyone else.
 */
export async function addTestStaff(
  app: TestApp,
  forceId: ForceId,
  account: StaffAccount & { password: string },
): Promise<string> {
  const { password, ...rest } = account;
  const passwordHash = await testPasswordHash(password);
  return withForce(app.database.db, forceId, (tx) => insertStaff(tx, forceId, app.deps.clock, { ...rest, passwordHash }));
}

/** A second force with one member of staff per role given, all with password `other-password`. */
export async function createOtherForce(app: TestApp, roles: StaffRole[] = ['call_handler', 'force_admin']) {
  const { forceId } = await createForce(app.database.db, app.deps.clock, { slug: 'other', code: 'OTHR', name: 'Other Police' });
  const emails: Record<string, string> = {};
  for (const role of roles) {
    const email = `${role}@other.police.uk`;
    await addTestStaff(app, forceId, { email, name: `Other ${role}`, role, password: 'other-password' });
    emails[role] = email;
  }
  return { forceId, emails };
}

let demoLikeForces = 0;

/**
 * A fresh force seeded like the demo force (default rules, queues and templates; one member of staff
 * per demo account with the same name, role, skills and password), for tests that share one app and
 * need a force of their own. Staff emails are the demo ones at `<slug>.police.uk`. No channels.
 */
export async function createDemoLikeForce(app: TestApp) {
  demoLikeForces += 1;
  // Force codes are letters only: the counter in base 26, written A to Z.
  let n = demoLikeForces;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  } while (n > 0);
  const slug = `demo-like-${demoLikeForces}`;
  const { forceId } = await createForce(app.database.db, app.deps.clock, { slug, code: `DL${letters}`, name: `Demo-like Constabulary ${demoLikeForces}` });
  const emailOf = (demoEmail: string) => demoEmail.replace(/@demo\.police\.uk$/, `@${slug}.police.uk`);
  for (const account of DEMO_ACCOUNTS) {
    await addTestStaff(app, forceId, { ...account, email: emailOf(account.email), password: DEMO_PASSWORD });
  }
  return { forceId, slug, emailOf };
}

export type ReceivedMail = { from: string; to: string[]; raw: string };

/** How long a test SMTP server lets open connections finish after `close()`: the product's mailers pool theirs. */
export const CLOSE_POOLED_CONNECTIONS_MS = 100;

/** A real SMTP server on a free local port that keeps what it receives. */
export async function startSmtpServer(): Promise<{ url: string; received: ReceivedMail[]; signIns: { username: string; password: string }[]; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const signIns: { username: string; password: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      signIns.push({ username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    // Mailers keep pooled connections open between sends; closing the server cuts them at once.
    closeTimeout: CLOSE_POOLED_CONNECTIONS_MS,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    signIns,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decodes a quoted-printable mail body well enough to find text in it. */
export function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Posts a report straight through the intake service (the portal tests cover the pages). */
export { submitPublicReport } from '../src/capabilities/intake/intake.service.ts';

export type RecordedRequest = { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * A local stand-in for a provider's HTTP API (the real ones live on the internet): records every
 * request exactly as it would be sent and answers with whatever the test sets.
 */
export async function startStandIn(): Promise<{
  url: string;
  requests: RecordedRequest[];
  /** Answers every request with this (a string or Buffer as it is, anything else as JSON); a function body is called per request (its number counts from 0), as a provider gives each message its own id. */
  respondWith(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Answers each request this long after it arrives, as a slow provider does (0, the default: at once). */
  respondAfter(delayMs: number): void;
  /** Answers the requests this picks out (a status and body) as it says, the others as `respondWith` does; null: no longer. */
  answerSome(answer: ((request: RecordedRequest) => { status: number; body: unknown } | null) | null): void;
  /** Requests received and not answered yet. */
  unanswered(): number;
  /**
   * Keeps every answer back until `release` (a provider in the middle of taking a message);
   * `arrived` settles when the first request held has arrived.
   */
  holdAnswers(): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}> {
  const { createServer } = await import('node:http');
  const requests: RecordedRequest[] = [];
  let response = { status: 200, body: '{}' as unknown, headers: { 'content-type': 'application/json' } as Record<string, string> };
  let delayMs = 0;
  let unanswered = 0;
  let answerSome: ((request: RecordedRequest) => { status: number; body: unknown } | null) | null = null;
  let hold: { arrive(): void; waiting: (() => void)[] } | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    unanswered += 1;
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const picked = answerSome?.(request) ?? null;
      const body: unknown = picked ? picked.body : typeof response.body === 'function' ? (response.body as (n: number) => unknown)(requests.length - 1) : response.body;
      const { headers } = response;
      const status = picked?.status ?? response.status;
      const answer = () => {
        unanswered -= 1;
        res.writeHead(status, headers).end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
      };
      if (hold) {
        hold.waiting.push(answer);
        hold.arrive();
      } else if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(status, body, headers = { 'content-type': 'application/json' }) {
      response = { status, body, headers };
    },
    respondAfter(ms) {
      delayMs = ms;
    },
    answerSome(answer) {
      answerSome = answer;
    },
    unanswered: () => unanswered,
    holdAnswers() {
      let arrive = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const held = { arrive, waiting: [] as (() => void)[] };
      hold = held;
      return {
        arrived,
        release() {
          if (hold === held) hold = null;
          for (const answer of held.waiting.splice(0)) answer();
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The types of the events recorded about one subject (an incident, a contact), oldest first. */
export async function eventTypesOf(app: Pick<TestApp, 'database'>, subjectId: string): Promise<string[]> {
  const rows = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', subjectId).orderBy('seq').execute());
  return rows.map((row) => row.type);
}
