import { z } from 'zod';
import { parseAllowList } from '../http/outbound-guard.ts';
import { smtpUrlSchema } from '../mail/smtp-url.ts';

// Every setting Bluelamp reads, with its description (the text of `--help`); config.ts turns
// their values into the Config the product runs on.

/** The process roles: `api` serves HTTP, `worker` runs durable jobs; `all` does both in one process. */
export const ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof ROLES)[number];

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** Seconds that are 0 (off) or from `least` to `most`. */
const secondsOrOff = (least: number, most: number) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(most)
    .refine((seconds) => seconds === 0 || seconds >= least, `must be 0 (off) or at least ${least}`);

/**
 * Every setting Bluelamp reads, documented in one place. Values come from the environment
 * (and `--role` from the command line); anything wrong stops start-up with a message naming it.
 */
export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'])
      .default('development')
      .describe('production never creates demo data or default passwords'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port'),
    HOST: z
      .string()
      .min(1)
      .optional()
      .describe('HTTP bind address (default: 127.0.0.1, this machine only, outside production, where the demo logins are published; 0.0.0.0 in production)'),
    PUBLIC_URL: z.url().optional().describe('the public base URL, used in links sent to people'),
    DATA_DIR: z.string().min(1).default('./data').describe('where embedded PGlite keeps its files'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .describe('a PostgreSQL server; when unset, embedded PGlite under DATA_DIR is used'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10).describe('connections per process (PostgreSQL)'),
    MIGRATION_LOCK_TIMEOUT_S: z.coerce
      .number()
      .min(0.1)
      .max(600)
      .default(5)
      .describe(
        "how long a migration waits for a table lock before it is rolled back and tried again (up to 6 times, 1 s to 16 s apart); while it waits, every other query on that table waits behind it (decision 0164)",
      ),
    SMTP_URL: smtpUrlSchema
      .optional()
      .describe('outbound mail server; when unset, outgoing email goes to MAIL_FOLDER (below) outside production, and is otherwise kept in the outbox as held'),
    MAIL_FOLDER: z
      .string()
      .min(1)
      .optional()
      .describe(
        "outside production, with no SMTP_URL: write outgoing email into this folder, one .eml file a message, instead of holding it ('off' holds it; default in development with PGlite on disk: DATA_DIR/mail)",
      ),
    MAIL_FROM: z.string().min(3).default('Bluelamp <no-reply@bluelamp.invalid>').describe('the From address of outgoing email'),
    SESSION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .optional()
      .describe('key for signing portal cookies; required in production'),
    SECRETS_KEY: z
      .string()
      .min(32, 'must be at least 32 characters')
      .optional()
      .describe('key that encrypts channel credentials at rest; required in production (elsewhere derived from SESSION_SECRET)'),
    SECRETS_KEY_PREVIOUS: z
      .string()
      .optional()
      .describe('older SECRETS_KEY values, comma-separated, still read until `bluelamp secrets rotate` re-seals with SECRETS_KEY'),
    COOKIE_SECURE: booleanFromEnv.optional().describe('force the Secure cookie flag (default: on in production)'),
    TRUST_PROXY: booleanFromEnv.default(false).describe('trust X-Forwarded-* from a TLS-terminating proxy'),
    HTTP_REQUEST_TIMEOUT_S: z.coerce
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(60)
      .describe('a request whose headers and body have not all arrived in this many seconds is answered 408 and its connection closed (headers alone: a third of it, at most 20 s)'),
    EVENT_LOOP_STALL_EXIT_S: secondsOrOff(5, 3600)
      .default(60)
      .describe(
        'a serving process whose event loop is held this many seconds (a hung database engine, a runaway loop) is killed for its supervisor to restart; a vacuum may take 30 minutes; 0: never',
      ),
    OUTBOUND_ALLOW_LIST: z
      .string()
      .default('')
      .refine((value) => allowListProblem(value) === null, { error: (issue) => allowListProblem(String(issue.input)) ?? 'is invalid' })
      .describe(
        'hosts (crm.force.internal, *.force.internal), addresses and CIDR ranges (10.20.0.0/16) that channel and integration URLs may reach although private; comma-separated, empty by default',
      ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('JSON log level'),
    PORTAL_FORCE: z.string().min(1).default('demo').describe('slug of the force the public portal serves'),
    SEED_DEMO: booleanFromEnv.optional().describe('seed the demo force (default: on outside production)'),
    DEMO_FEEDER_INTERVAL_S: z.coerce
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(5)
      .describe('with the demo force, how often `start` moves its units by posting positions (0: never)'),
    MAP_TILE_URL: z
      .url()
      .regex(/^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/, 'must be an http(s) URL template with {z}, {x} and {y}')
      .optional()
      .describe("base map raster tiles for the dispatcher's map, e.g. https://tiles.example/{z}/{x}/{y}.png; unset: a plain background, no requests"),
    MAP_TILE_ATTRIBUTION: z.string().max(300).default('').describe('the credit the tile provider asks for, shown on the map'),
    EMAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional().describe('port of the inbound SMTP listener for email channels (off when unset)'),
    EMAIL_SMTP_HOST: z.string().min(1).optional().describe("bind address of the inbound SMTP listener (default: HOST's, so 127.0.0.1 outside production and 0.0.0.0 in it)"),
    EMAIL_SMTP_TLS_KEY_FILE: z.string().min(1).optional().describe('PEM key file for STARTTLS on the SMTP listener'),
    EMAIL_SMTP_TLS_CERT_FILE: z.string().min(1).optional().describe('PEM certificate file for STARTTLS on the SMTP listener'),
    EMAIL_IMAP_POLL_DEADLINE_S: z.coerce
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(300)
      .describe('one poll of one IMAP mailbox is ended (its connection closed) after this many seconds, however busy the server keeps it; the mails it had not stored are taken at the next poll'),
    WORKER_POLL_MS: z.coerce.number().int().min(10).max(60000).default(1000).describe('how often the worker looks for due jobs'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4).describe('how many jobs (or batches) of database-only work a worker runs at once'),
    WORKER_OUTBOUND_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(4)
      .describe("how many jobs (or batches) that call a provider, mail or a download a worker runs at once, besides the others: slow providers never hold the others' slots"),
    ROUTING_SWEEP_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(600000)
      .default(30000)
      .describe('how often the worker re-runs distribution for every force, besides at once on each change'),
    REPORT_GATHER_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(2000)
      .default(200)
      .describe('while portal reports keep arriving, how long the received ones are gathered to be processed together (at most this much later on the console); 0 processes each at once'),
    ROLE: z.enum(ROLES).default('all').describe('api, worker or all (also --role=)'),
    AUDIT_CHECKPOINT_DIR: z
      .string()
      .min(1)
      .optional()
      .describe('where signed checkpoints of each force\'s audit chain are appended, outside the database (default outside production with PGlite on disk: DATA_DIR/audit-checkpoints; otherwise off when unset)'),
    AUDIT_SIGNING_KEY: z
      .string()
      .min(1)
      .optional()
      .describe('Ed25519 private key (PEM, or a path to a PEM file) that signs audit checkpoints; required in production when AUDIT_CHECKPOINT_DIR is set'),
    AUDIT_VERIFY_KEY: z
      .string()
      .min(1)
      .optional()
      .describe('public key(s) (PEM, or a path to a PEM file) that `audit verify` accepts besides the signing key\'s own; lets a verifier run without the private key'),
    AUDIT_CHECKPOINT_INTERVAL_S: z.coerce.number().int().min(10).max(86400).default(300).describe('how often the worker signs a checkpoint of each changed chain'),
    RETENTION_JOBS_DONE_DAYS: z.coerce.number().int().min(1).max(3650).default(7).describe('finished jobs are deleted after this many days'),
    RETENTION_JOBS_DEAD_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe('dead jobs are deleted after this many days (expired sessions go at once)'),
    RETENTION_RAW_REQUESTS_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .describe("providers' raw webhook requests are deleted after this many days (rejected ones are kept as long as dead jobs, for replay)"),
    RETENTION_DLR_BACKLOG_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .describe("providers' delivery reports (DLRs) still waiting for a message of ours to match are deleted after this many days"),
    HOUSEKEEPING_INTERVAL_S: z.coerce.number().int().min(60).max(86400).default(3600).describe('how often the worker deletes expired sessions and old jobs'),
    PGLITE_VACUUM_INTERVAL_S: secondsOrOff(60, 86400)
      .default(600)
      .describe('embedded PGlite only (it has no autovacuum): how often every table is vacuumed and analysed (tables that changed by a tenth are analysed every 30 s between); 0 turns both off'),
    METRICS_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      .optional()
      .describe('bearer token that /metrics requires; /metrics is off without it or METRICS_PORT'),
    METRICS_PORT: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('serve /metrics on this separate port (keep it off the public network); any role, including worker'),
    SHED_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'public requests (portal, webhooks, chat) handled at once; staff requests are not counted (default: 4 on PGlite, three quarters of DATABASE_POOL_SIZE on PostgreSQL)',
      ),
    SHED_MAX_WAIT_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60000)
      .default(1000)
      .describe('longest a public request waits for its turn; past it, or when the queue ahead is longer, it is answered 503 at once (0: never wait)'),
    SHED_EVENT_LOOP_DELAY_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60000)
      .default(500)
      .describe('public requests are answered 503 at once while the event loop has lately run later than this (0: not watched)'),
    SHED_MAX_UTILISATION: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.85)
      .describe(
        'share of time (0-1) the event loop may be busy before fewer public requests per second are admitted, so that shedding the rest stays prompt (0: not watched)',
      ),
    SHED_MAX_WORK_LAG_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(600000)
      .default(1000)
      .describe(
        'a busy event loop cuts public admissions only while the oldest accepted portal report has waited longer than this to be processed (0: utilisation alone decides)',
      ),
    SHED_RETRY_AFTER: z.coerce.number().int().min(1).max(3600).default(60).describe('seconds in the Retry-After of a shed response'),
  })
  .superRefine((value, ctx) => {
    if (value.NODE_ENV === 'production') {
      if (!value.SESSION_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
      }
      if (!value.SECRETS_KEY) {
        ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY'], message: 'is required in production (see docs/decisions/0014-secrets-key-rotation.md)' });
      } else if (value.SECRETS_KEY === value.SESSION_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY'], message: 'must differ from SESSION_SECRET, so that either can be rotated alone' });
      }
      if (value.SEED_DEMO === true) {
        ctx.addIssue({ code: 'custom', path: ['SEED_DEMO'], message: 'demo data is never created in production' });
      }
      if (value.MAIL_FOLDER !== undefined && value.MAIL_FOLDER !== 'off') {
        ctx.addIssue({ code: 'custom', path: ['MAIL_FOLDER'], message: 'email is never written to a folder in production: set SMTP_URL to send it' });
      }
    }
    if (value.NODE_ENV === 'production' && value.AUDIT_CHECKPOINT_DIR && !value.AUDIT_SIGNING_KEY) {
      ctx.addIssue({ code: 'custom', path: ['AUDIT_SIGNING_KEY'], message: 'is required in production when AUDIT_CHECKPOINT_DIR is set' });
    }
    if (splitKeys(value.SECRETS_KEY_PREVIOUS).some((key) => key.length < 32)) {
      ctx.addIssue({ code: 'custom', path: ['SECRETS_KEY_PREVIOUS'], message: 'every key must be at least 32 characters (separate several with commas)' });
    }
    if (Boolean(value.EMAIL_SMTP_TLS_KEY_FILE) !== Boolean(value.EMAIL_SMTP_TLS_CERT_FILE)) {
      ctx.addIssue({ code: 'custom', path: ['EMAIL_SMTP_TLS_CERT_FILE'], message: 'set both the TLS key and certificate files, or neither' });
    }
    if (value.ROLE !== 'all' && !value.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['ROLE'],
        message: 'separate api and worker processes need a shared PostgreSQL server (set DATABASE_URL)',
      });
    }
  });

/** A comma-separated list of keys, without blanks. */
export function splitKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}

/** What is wrong with an OUTBOUND_ALLOW_LIST value, or null. */
function allowListProblem(value: string): string | null {
  try {
    parseAllowList(value);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : 'is invalid';
  }
}

/**
 * A setting's description with the value it takes when unset, unless the description already
 * says it or the value is empty (nothing to show).
 */
function withDefault(schema: z.ZodType): string {
  const description = schema.description ?? '';
  if (!(schema instanceof z.ZodDefault) || /\(default|by default/.test(description)) return description;
  const value: unknown = schema.def.defaultValue;
  // Every default of a setting is a string, number or boolean.
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return description;
  return value === '' ? description : `${description} (default: ${String(value)})`;
}

/**
 * The settings for `--help`: each name, then its description in a column that starts after the
 * longest name, wrapped at `width` characters with the wrapped lines in the same column.
 */
export function describeSettings(width = 100): string[] {
  const entries = Object.entries(configSchema.shape).map(([key, schema]) => [key, withDefault(schema as z.ZodType)] as const);
  const column = 2 + Math.max(...entries.map(([key]) => key.length)) + 1;
  const lines: string[] = [];
  for (const [key, description] of entries) {
    const indent = ' '.repeat(column - 1);
    let line = `  ${key}`.padEnd(column - 1);
    for (const word of description.split(/\s+/).filter(Boolean)) {
      // A word goes on the next line when it would pass the width, unless the line has none yet.
      if (line.length > indent.length && line.length + 1 + word.length > width) {
        lines.push(line);
        line = indent;
      }
      line += ` ${word}`;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
