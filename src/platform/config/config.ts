import { parseAllowList } from '../http/outbound-guard.ts';
import { configSchema, splitKeys, type ProcessRole } from './settings.ts';

export type Config = {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** lock_timeout of each migration's transaction, in ms (decision 0164). */
  migrationLockTimeoutMs: number;
  smtpUrl: string | undefined;
  /** Where email is written instead of held, outside production with no SMTP server (decision 0131); null: held. */
  mailFolder: string | null;
  mailFrom: string;
  sessionSecret: string;
  secretsKey: string;
  /** Keys that only open values: SECRETS_KEY_PREVIOUS, then the key older versions derived from SESSION_SECRET. */
  secretsKeysPrevious: string[];
  cookieSecure: boolean;
  trustProxy: boolean;
  /** How long a request may take to arrive, body included (a slow sender cannot hold a connection for ever). */
  httpRequestTimeoutMs: number;
  /** How long the event loop may be held before the process is killed for its supervisor to restart (0: never; decision 0052). */
  eventLoopStallExitMs: number;
  outboundAllowList: string[];
  logLevel: string;
  portalForce: string;
  seedDemo: boolean;
  /** How often the demo feeder moves the demo units, in ms (0: off). */
  demoFeederIntervalMs: number;
  /** Base map tiles for the dispatcher's map; null: a plain background, so the map works offline. */
  mapTiles: { url: string; attribution: string } | null;
  workerPollMs: number;
  /** Jobs run at once: database-only work, and (in a lane of its own) work that calls out. */
  workerConcurrency: { local: number; outbound: number };
  routingSweepMs: number;
  reportGatherMs: number;
  role: ProcessRole;
  emailSmtp: { port: number; host: string; tlsKeyFile: string | undefined; tlsCertFile: string | undefined } | null;
  /** How long one poll of one IMAP mailbox may take before its connection is closed, in ms. */
  emailImapPollDeadlineMs: number;
  /** Signed audit checkpoints: where they go (null: off), the key settings, and how often. */
  audit: { checkpointDir: string | null; signingKey: string | undefined; verifyKey: string | undefined; checkpointIntervalMs: number };
  /** Housekeeping: how long finished jobs are kept, and how often it runs. */
  retention: { jobsDoneDays: number; jobsDeadDays: number; rawRequestsDays: number; deliveryBacklogDays: number; intervalMs: number };
  /** How often embedded PGlite is vacuumed (0: never). */
  pgliteVacuumMs: number;
  /** /metrics: the bearer token it needs and the separate port it may have. */
  metrics: { token: string | undefined; port: number | undefined };
  /** Admission control for public traffic (see docs/decisions/0011-load-shedding.md). */
  shed: { concurrency: number; maxWaitMs: number; maxEventLoopDelayMs: number; maxUtilisation: number; maxWorkLagMs: number; retryAfterSeconds: number };
};

/** Raised when configuration is wrong; the message names every bad setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEVELOPMENT_SESSION_SECRET = 'development-only-secret-never-used-in-production';


/** Reads and validates configuration from environment variables and the `--role=` argument. */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[] = []): Config {
  const roleArg = argv.find((arg) => arg.startsWith('--role='));
  const raw: Record<string, string | undefined> = { ...env };
  if (roleArg) raw.ROLE = roleArg.slice('--role='.length);
  for (const key of Object.keys(raw)) if (raw[key] === '') delete raw[key];

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  const legacySecretsKey = `secrets:${c.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET}`;
  return {
    env: c.NODE_ENV,
    isProduction,
    port: c.PORT,
    // The demo's accounts have a published password: outside production it listens on this machine only, unless told.
    host: c.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: c.PUBLIC_URL,
    dataDir: c.DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    migrationLockTimeoutMs: Math.round(c.MIGRATION_LOCK_TIMEOUT_S * 1000),
    smtpUrl: c.SMTP_URL,
    mailFolder:
      c.MAIL_FOLDER === 'off' || isProduction || c.SMTP_URL
        ? null
        : (c.MAIL_FOLDER ?? (c.NODE_ENV === 'development' && !c.DATABASE_URL && c.DATA_DIR !== 'memory://' ? `${c.DATA_DIR.replace(/\/+$/, '')}/mail` : null)),
    mailFrom: c.MAIL_FROM,
    sessionSecret: c.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    secretsKey: c.SECRETS_KEY ?? legacySecretsKey,
    // Values sealed before SECRETS_KEY was required used the key derived from SESSION_SECRET; it
    // stays readable (never used to seal) until `bluelamp secrets rotate` has re-sealed them.
    secretsKeysPrevious: [...splitKeys(c.SECRETS_KEY_PREVIOUS), legacySecretsKey],
    cookieSecure: c.COOKIE_SECURE ?? isProduction,
    trustProxy: c.TRUST_PROXY,
    httpRequestTimeoutMs: c.HTTP_REQUEST_TIMEOUT_S * 1000,
    eventLoopStallExitMs: c.EVENT_LOOP_STALL_EXIT_S * 1000,
    outboundAllowList: parseAllowList(c.OUTBOUND_ALLOW_LIST),
    logLevel: c.LOG_LEVEL,
    portalForce: c.PORTAL_FORCE,
    seedDemo: isProduction ? false : (c.SEED_DEMO ?? true),
    demoFeederIntervalMs: c.DEMO_FEEDER_INTERVAL_S * 1000,
    mapTiles: c.MAP_TILE_URL ? { url: c.MAP_TILE_URL, attribution: c.MAP_TILE_ATTRIBUTION } : null,
    workerPollMs: c.WORKER_POLL_MS,
    workerConcurrency: { local: c.WORKER_CONCURRENCY, outbound: c.WORKER_OUTBOUND_CONCURRENCY },
    routingSweepMs: c.ROUTING_SWEEP_MS,
    reportGatherMs: c.REPORT_GATHER_MS,
    emailSmtp:
      c.EMAIL_SMTP_PORT === undefined
        ? null
        : { port: c.EMAIL_SMTP_PORT, host: c.EMAIL_SMTP_HOST ?? c.HOST ?? (isProduction ? '0.0.0.0' : '127.0.0.1'), tlsKeyFile: c.EMAIL_SMTP_TLS_KEY_FILE, tlsCertFile: c.EMAIL_SMTP_TLS_CERT_FILE },
    emailImapPollDeadlineMs: c.EMAIL_IMAP_POLL_DEADLINE_S * 1000,
    role: c.ROLE,
    audit: {
      checkpointDir:
        // By default only beside on-disk PGlite data, whose lifetime the checkpoints share.
        c.AUDIT_CHECKPOINT_DIR ??
        (isProduction || c.DATABASE_URL || c.DATA_DIR === 'memory://' ? null : `${c.DATA_DIR.replace(/\/+$/, '')}/audit-checkpoints`),
      signingKey: c.AUDIT_SIGNING_KEY,
      verifyKey: c.AUDIT_VERIFY_KEY,
      checkpointIntervalMs: c.AUDIT_CHECKPOINT_INTERVAL_S * 1000,
    },
    retention: {
      jobsDoneDays: c.RETENTION_JOBS_DONE_DAYS,
      jobsDeadDays: c.RETENTION_JOBS_DEAD_DAYS,
      rawRequestsDays: c.RETENTION_RAW_REQUESTS_DAYS,
      deliveryBacklogDays: c.RETENTION_DLR_BACKLOG_DAYS,
      intervalMs: c.HOUSEKEEPING_INTERVAL_S * 1000,
    },
    pgliteVacuumMs: c.PGLITE_VACUUM_INTERVAL_S * 1000,
    metrics: { token: c.METRICS_TOKEN, port: c.METRICS_PORT },
    shed: {
      // PGlite is one connection, so more turns only lengthen its queue; on PostgreSQL a quarter of
      // the pool stays free for staff and the worker whatever the public does.
      concurrency: c.SHED_CONCURRENCY ?? (c.DATABASE_URL ? Math.max(1, Math.floor((c.DATABASE_POOL_SIZE * 3) / 4)) : 4),
      maxWaitMs: c.SHED_MAX_WAIT_MS,
      maxEventLoopDelayMs: c.SHED_EVENT_LOOP_DELAY_MS,
      maxUtilisation: c.SHED_MAX_UTILISATION,
      maxWorkLagMs: c.SHED_MAX_WORK_LAG_MS,
      retryAfterSeconds: c.SHED_RETRY_AFTER,
    },
  };
}
