import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './platform/config/config.ts';
import { createLogger } from './platform/logging/logger.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import type { Backoff } from './platform/db/notifications.ts';
import { isMigrated, migrate } from './platform/db/migrate.ts';
import { applicationRoleRefusal, readApplicationRoleAccess, readDatabaseRole, roleRefusal, roleWarning } from './platform/db/role-check.ts';
import { runDataRepairs } from './platform/db/data-repairs.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createServer } from './platform/http/server.ts';
import { checkReadiness } from './platform/http/readiness.ts';
import { JOBS_CHANNEL, JobRunner, type JobHandler } from './platform/jobs/jobs.ts';
import { LIVE_CHANNEL, LiveHub } from './platform/realtime/live.ts';
import { MailerPool, type Mailer } from './platform/mail/mailer.ts';
import { createFolderMailer } from './platform/mail/folder-mailer.ts';
import type { ServiceDeps } from './platform/deps.ts';
import type { ForceId } from './platform/ids.ts';
import type { UntrueCheck } from './capabilities/outbox/outbox-withdraw.service.ts';
import { completeAllForces, seedDemoForce } from './capabilities/admin/forces.service.ts';
import { repairEmailIdentities } from './capabilities/people/email-identity-repair.service.ts';
import { renderPortalError, respondPortalBusy, respondPortalFormUnavailable } from './portal/portal-pages.ts';
import { SecretBox } from './platform/secrets.ts';
import { seedDemoChannels } from './capabilities/channels/demo-channels.ts';
import { seedDemoControlRoom } from './capabilities/dispatch/demo-control-room.ts';
import { startSmtpListener } from './capabilities/channels/email/email.listener.ts';
import { startImapPoller } from './capabilities/channels/email/imap.poller.ts';
import { Distributor } from './capabilities/queue/distributor.service.ts';
import { registerDiskGauges } from './platform/observability/disk-metrics.ts';
import { MailPollerHealth, registerMailPollerMetrics } from './platform/observability/mail-poller-health.ts';
import { storedMailPollsReader } from './platform/observability/stored-mail-polls.ts';
import { Metrics } from './platform/observability/metrics.ts';
import { RefusedDeliveryReports } from './platform/observability/refused-delivery-reports.ts';
import { createUpkeepJobs } from './platform/jobs/upkeep.ts';
import { startVacuuming } from './platform/db/vacuum.ts';
import { prepareTriage } from './capabilities/triage/triage.service.ts';
import { startRecurringJobs } from './platform/jobs/recurring.ts';
import { AdmissionGate, EventLoopWatch, registerAdmissionControl } from './platform/http/admission.ts';
import { SESSION_COOKIE } from './platform/auth/sessions.ts';
import { OutboundGuard } from './platform/http/outbound-guard.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { inlineScriptHashes } from './portal/render.ts';
import { registerHttpApi } from './http-api.ts';
import { ReportIntake } from './capabilities/intake/received-reports.service.ts';
import type { ReminderRules } from './capabilities/cases/appointment-reminders.schema.ts';
import { findUntrueMessages } from './capabilities/cases/untrue-messages.service.ts';
import { findTimedMessages, findUnreminded } from './capabilities/journeys/reminder-rules.service.ts';
import { findMisaddressedLetters } from './capabilities/journeys/letter-addressees.service.ts';
import { OnlineReportLookups } from './capabilities/cases/online-report-lookups.repository.ts';
import { FORCE_CHANGED_CHANNEL } from './capabilities/admin/force.events.ts';
import { releaseHeldEmail } from './capabilities/outbox/outbox-release.service.ts';
import { ROUTING_CHANNEL } from './capabilities/queue/queue.events.ts';
import { VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from './capabilities/cases/victims-code.events.ts';
import { capabilityJobHandlers, OUTBOUND_JOB_TYPES } from './job-handlers.ts';

/** The project folder (the one with package.json), whether this runs from src/ or from the build in dist/src/. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const CONSOLE_DIST = path.join(ROOT, 'web', 'console', 'dist');

export { OUTBOUND_JOB_TYPES } from './job-handlers.ts';

export type App = {
  config: Config;
  database: Database;
  deps: ServiceDeps;
  http: FastifyInstance | null;
  runner: JobRunner | null;
  hub: LiveHub;
  metrics: Metrics;
  /** The IMAP pollers' health: what /readyz counts and /metrics shows (decision 0153). */
  mailPollers: MailPollerHealth;
  /** Portal reports: accepted, then processed in the background; `reports.settled()` waits for the processing. */
  reports: ReportIntake;
  /** The gate public requests pass through (null without an HTTP server). */
  admission: AdmissionGate | null;
  /** The demo force, when it was seeded (null in production or with SEED_DEMO off). */
  demoForceId: ForceId | null;
  /**
   * Stops everything in turn: the HTTP server (its open requests answered), then the workers and
   * listeners, then the database. `onStep` hears what it is about to wait for, so a shutdown that
   * overruns can say what held it.
   */
  close(onStep?: (step: string) => void): Promise<void>;
};

export type AppOverrides = {
  clock?: Clock;
  logger?: Logger;
  /** Replaces the SMTP mailer (tests pass one that fails on purpose). */
  mailer?: Mailer | null;
  /** Extra job handlers (tests register their own job types). */
  jobHandlers?: Map<string, JobHandler>;
  /** Keeps the worker loop off so tests drive jobs with `runner.runDue()`. */
  startWorker?: boolean;
  /** How long a claimed job stays claimed (tests of crash recovery shorten it). */
  jobLeaseMs?: number;
  /** Base delay of the retry backoff. */
  jobRetryBaseMs?: number;
  /** Replaces the guarded HTTP client channel adapters use to reach providers (URLs are still checked before a send). */
  fetcher?: typeof fetch;
  /** The wait before each attempt to reconnect the LISTEN connection (tests make it short). */
  listenerBackoff?: Backoff;
  /** Leaves received portal reports unprocessed (tests of a crash between accepting and processing). */
  processReports?: boolean;
  /** An already-open database to use instead of opening the configured one (tests start from a migrated template); still migrated and seeded, and closed with the app. */
  database?: Database;
  /** Who holds a PGlite data folder the app opens, named in its lock (`bluelamp start`, from startProcess). */
  dataFolderHolder?: string;
  /** Fails any response a route's schema does not describe exactly (tests; see createServer). */
  isResponseCheckExact?: boolean;
  /** How a boundary file's check gives the event loop a turn between slices (tests watch the turns; decision 0105). */
  areaCheckTurn?: () => Promise<void>;
};

/**
 * The composition root: opens the database, applies migrations, seeds the demo force outside
 * production, and builds the HTTP server and the job worker for the configured role.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    ...(overrides.listenerBackoff ? { listenerBackoff: overrides.listenerBackoff } : {}),
    ...(overrides.dataFolderHolder ? { holder: overrides.dataFolderHolder } : {}),
    onListenerState: (state) =>
      state.status === 'down'
        ? logger.warn({ reason: state.reason }, 'database listener lost; reconnecting')
        : logger.info('database listener reconnected; catching up'),
  });
  // A user that does not own the tables would see no force's rows in system work: refused, not silent (decision 0177).
  const role = await readDatabaseRole(database.db);
  const refusal = roleRefusal(role);
  if (refusal) {
    if (!overrides.database) await database.close();
    throw new ConfigError(refusal);
  }
  if (config.isProduction && roleWarning(role)) logger.warn(roleWarning(role));
  // A migration waits at most MIGRATION_LOCK_TIMEOUT_S for a table lock, then is tried again (decision 0164).
  const applied = await migrate(database, {
    lockTimeoutMs: config.migrationLockTimeoutMs,
    onLockRefused: ({ migration, attempt, waitMs }) =>
      logger.warn({ migration, attempt, waitMs }, 'migration refused a table lock another session holds; rolled back, trying again'),
  });
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  // A user that may not switch to the application role would fail every force's transaction: refused here instead (decision 0190).
  const switchRefusal = applicationRoleRefusal(await readApplicationRoleAccess(database.db));
  if (switchRefusal) {
    if (!overrides.database) await database.close();
    throw new ConfigError(switchRefusal);
  }
  // Stored data a migration could not put right in SQL, put right by the application's own code (decision 0161).
  await runDataRepairs(database.db, clock, logger, { 'email-identities-as-normalised': (db) => repairEmailIdentities(db, clock) });
  // Every role triages (reports are processed wherever they arrive): the shared part is built
  // before any request, not on the first report.
  prepareTriage();
  // Delivery reports the account check drops are counted on /metrics and logged (decision 0204).
  const refusedReports = new RefusedDeliveryReports(logger);
  const deps: ServiceDeps = { db: database.db, clock, logger, refusedReports: refusedReports.tell };
  const secrets = new SecretBox(config.secretsKey, config.secretsKeysPrevious);
  // A force left half created (by an interrupted start of an older version) is completed before use.
  const repaired = await completeAllForces(database.db, clock);
  if (repaired.length > 0) logger.warn({ forces: repaired }, 'completed forces that were missing defaults');
  // Every request to a URL an admin or a provider gave us goes through this (SSRF guard).
  const outbound = new OutboundGuard({ allowHttp: !config.isProduction, allowList: config.outboundAllowList });
  let demoForceId: ForceId | null = null;
  if (config.seedDemo) {
    const seeded = await seedDemoForce(database.db, clock);
    demoForceId = seeded.forceId;
    await seedDemoChannels({ ...deps, secrets }, seeded.forceId);
    await seedDemoControlRoom(deps, seeded.forceId);
    if (seeded.isNew) logger.info('demo force seeded');
  }

  const hub = new LiveHub();
  // What close() stops, in reverse order, each named for a shutdown that overruns to report.
  const cleanups: { what: string; run: () => Promise<void> }[] = [];
  const onClose = (what: string, run: () => Promise<void>) => cleanups.push({ what, run });
  // One pool of SMTP connections for every email the process sends: the outbox's and the email channels'.
  const mailers = new MailerPool();
  const mailer =
    overrides.mailer !== undefined ? overrides.mailer : config.smtpUrl ? mailers.mailerFor(config.smtpUrl) : config.mailFolder ? createFolderMailer(config.mailFolder) : null;
  // Email held for want of a mail server goes now that there is one.
  await releaseHeldEmail(deps, mailer !== null);
  const metrics = new Metrics({ database, clock, logger });
  onClose('metrics', async () => metrics.close());
  refusedReports.register(metrics.registry);
  registerDiskGauges(metrics.registry, {
    ...(database.engine === 'pglite' && !config.dataDir.startsWith('memory://') ? { data: config.dataDir } : {}),
    ...(config.audit.checkpointDir ? { audit_checkpoints: config.audit.checkpointDir } : {}),
  });
  // The IMAP pollers' health, for /readyz and /metrics (decision 0153).
  const mailPollers = new MailPollerHealth(clock);
  // Their age of a mailbox's last success is the freshest by any worker, read from the stored health (decision 0197).
  const readStoredPolls = storedMailPollsReader(database, (error) => logger.warn({ err: error }, 'metrics could not read the stored mailbox polls; this process’s own are served'));
  registerMailPollerMetrics(metrics.registry, mailPollers, readStoredPolls);

  // Portal reports are accepted in one step and processed in another (decision 0022). Every role
  // processes: reports left by a crash are taken at start-up, and a sweep takes those of a node
  // that went away.
  const reports = new ReportIntake({ ...deps, isProcessing: overrides.processReports !== false, gatherMs: config.reportGatherMs });
  reports.start(config.routingSweepMs);
  onClose('the report intake', () => reports.stop());

  // Which messages are reminders, or tell of a time, is the journeys' to tell; the cases room checks
  // them (decisions 0122, 0126), and that their victim is still on the case (0143), when a message
  // would go: its delivery, a letter's printing (0135).
  const reminderRules: ReminderRules = { findTimedMessages, findUnreminded };
  // A journey letter whose victim's address changed since it was written must not be posted either (decision 0136).
  const findUntrue: UntrueCheck = async (tx, forceId, now, messages) => {
    const untrue = await findUntrueMessages(tx, forceId, now, messages, reminderRules);
    for (const [id, reason] of await findMisaddressedLetters(tx, forceId, messages)) if (!untrue.has(id)) untrue.set(id, reason);
    return untrue;
  };

  let runner: JobRunner | null = null;
  if (config.role === 'worker' || config.role === 'all') {
    const upkeep = createUpkeepJobs({ config, db: database.db, clock, logger, observer: metrics });
    // Online reports are drafted many to a transaction; the force lookups drafting reads are kept
    // per force until a settings change says otherwise (decision 0040).
    const onlineReportLookups = new OnlineReportLookups();
    onClose('the force-change listener', await database.listen(FORCE_CHANGED_CHANNEL, (forceId) => onlineReportLookups.forget(forceId), { onReconnect: () => onlineReportLookups.forget() }));
    const jobs = capabilityJobHandlers({
      clock,
      logger,
      secrets,
      mailers,
      mailer,
      mailFrom: config.mailFrom,
      outbound,
      fetcher: overrides.fetcher ?? outbound.fetch,
      reminderRules,
      findUntrue,
      onlineReportLookups,
      publicUrl: config.publicUrl,
      refusedReports: refusedReports.tell,
    });
    const handlers = new Map<string, JobHandler>([...upkeep.handlers, ...jobs.handlers, ...(overrides.jobHandlers ?? new Map())]);
    const batchHandlers = new Map(jobs.batchHandlers);
    // A test's own handler for a type takes its place.
    for (const type of overrides.jobHandlers?.keys() ?? []) batchHandlers.delete(type);
    runner = new JobRunner({
      db: database.db,
      clock,
      logger,
      handlers,
      batchHandlers,
      deadHandlers: jobs.deadHandlers,
      outboundTypes: new Set(OUTBOUND_JOB_TYPES),
      concurrency: config.workerConcurrency.local,
      outboundConcurrency: config.workerConcurrency.outbound,
      ...(overrides.jobLeaseMs ? { leaseMs: overrides.jobLeaseMs } : {}),
      ...(overrides.jobRetryBaseMs ? { retryBaseMs: overrides.jobRetryBaseMs } : {}),
    });
    const activeRunner = runner;
    if (overrides.startWorker !== false) {
      // NOTIFY on enqueue wakes the worker at once; the poll catches retries that fall due.
      onClose('the jobs listener', await database.listen(JOBS_CHANNEL, () => activeRunner.wake(), { onReconnect: () => activeRunner.wake() }));
      activeRunner.start(config.workerPollMs);
      onClose('the job runner', () => activeRunner.stop());
      const poller = startImapPoller({ ...deps, secrets }, { outbound, deadlineMs: config.emailImapPollDeadlineMs, health: mailPollers });
      onClose('the IMAP poller', () => poller.close());
      const distributor = new Distributor(deps);
      onClose(
        'the routing listener',
        await database.listen(ROUTING_CHANNEL, (forceId) => distributor.request(forceId), { onReconnect: () => void distributor.requestAll() }),
      );
      distributor.start(config.routingSweepMs);
      onClose('the distributor', () => distributor.stop());
      // Victims' Code clocks are swept like upkeep: one job per force per interval, on any worker.
      const recurring = [...upkeep.recurring, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS }];
      onClose('the recurring jobs', startRecurringJobs({ db: database.db, clock, logger, jobs: recurring }));
      if (database.engine === 'pglite' && config.pgliteVacuumMs > 0) onClose('the vacuum schedule', startVacuuming(database, config.pgliteVacuumMs, logger).stop);
    }
  }

  let http: FastifyInstance | null = null;
  let admission: AdmissionGate | null = null;
  if (config.role === 'api' || config.role === 'all') {
    onClose('the live listener', await database.listen(LIVE_CHANNEL, (payload) => hub.deliver(payload), { onReconnect: () => hub.resync() }));
    http = await createServer({
      logger,
      trustProxy: config.trustProxy,
      cookieSecret: config.sessionSecret,
      requestTimeoutMs: config.httpRequestTimeoutMs,
      renderHtmlError: renderPortalError,
      respondToUnavailablePage: respondPortalFormUnavailable,
      isResponseCheckExact: overrides.isResponseCheckExact === true,
      clock,
    });
    const server = http;
    metrics.instrument(server, config.metrics.token);
    const loopWatch = config.shed.maxEventLoopDelayMs > 0 || config.shed.maxUtilisation > 0 ? new EventLoopWatch() : null;
    if (loopWatch) onClose('the event-loop watch', async () => loopWatch.stop());
    // Work behind: portal reports accepted here and not yet processed (null when another node processes them).
    admission = new AdmissionGate(config.shed, undefined, {
      eventLoopDelayMs: () => loopWatch?.eventLoopDelayMs() ?? 0,
      utilisation: () => loopWatch?.utilisation() ?? 0,
      workLagMs: () => reports.lagMs(),
    });
    const gate = admission;
    metrics.observeAdmission(() => gate.stats());
    registerAdmissionControl(server, {
      gate: admission,
      retryAfterSeconds: config.shed.retryAfterSeconds,
      sessionCookie: SESSION_COOKIE,
      respondToShedPage: respondPortalBusy,
    });
    await registerSecurityHeaders(server, {
      isProduction: config.isProduction,
      portalInlineScriptHashes: inlineScriptHashes(),
      mapTileOrigin: config.mapTiles ? new URL(config.mapTiles.url).origin : null,
    });
    await registerHttpApi(server, {
      config,
      deps,
      secrets,
      outbound,
      hub,
      reports,
      readiness: () => checkReadiness(database, isMigrated, mailPollers),
      consoleDist: CONSOLE_DIST,
      findUntrue,
      ...(overrides.areaCheckTurn ? { areaCheckTurn: overrides.areaCheckTurn } : {}),
    });
    await server.ready();
    if (config.emailSmtp) {
      const { port, host, tlsKeyFile, tlsCertFile } = config.emailSmtp;
      const tls = tlsKeyFile && tlsCertFile ? { key: readFileSync(tlsKeyFile, 'utf8'), cert: readFileSync(tlsCertFile, 'utf8') } : undefined;
      const smtp = await startSmtpListener({ ...deps, secrets }, { port, host, ...(tls ? { tls } : {}) });
      logger.info({ port: smtp.port }, 'email SMTP listener started');
      onClose('the SMTP listener', () => smtp.close());
    }
  }

  if (config.metrics.port !== undefined) onClose('the metrics listener', await metrics.listen(config.metrics.port, config.host, config.metrics.token));

  return {
    config,
    database,
    deps,
    http,
    runner,
    hub,
    metrics,
    mailPollers,
    reports,
    admission,
    demoForceId,
    async close(onStep = () => {}) {
      if (http) {
        onStep('the HTTP server: requests in progress to be answered and their connections to end');
        await http.close();
      }
      for (const cleanup of cleanups.reverse()) {
        onStep(cleanup.what);
        await cleanup.run().catch(() => {});
      }
      overrides.mailer?.close();
      mailers.close();
      onStep('the database to close');
      await database.close();
    },
  };
}
