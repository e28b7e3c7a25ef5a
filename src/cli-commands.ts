import { ConfigError, loadConfig } from './platform/config/config.ts';
import { describeSettings } from './platform/config/settings.ts';
import type { ForceId } from './platform/ids.ts';

import { hostname } from 'node:os';
import { DataFolderInUseError } from './platform/db/data-folder-lock.ts';
import { systemClock } from './platform/clock.ts';
import { STAFF_ROLES, type StaffRole } from './platform/auth/permissions.ts';
import type { Database } from './platform/db/database.ts';

// The `bluelamp` command's commands, apart from `start`: `runCli` runs one and returns its exit
// code; src/cli.ts is the process around it (arguments, environment, exit). Tests run commands
// through `runCli` in their own process, against the same data folder or database a child process
// would use (decision 0114).
//
// Each command imports what it uses when it runs: the whole product (the server, every capability)
// takes longer to load than most commands take to run, `--help` needs none of it, and a command
// refused because a server holds the data folder is refused before loading the code that would
// have written to it.

export type CliEnv = Record<string, string | undefined>;
export type CliIo = { out: (line: string) => void; err: (line: string) => void };

/**
 * How each command with required options is typed: its line in --help, and what a refusal of a
 * command typed wrongly shows under the reason (with any note on a value), so the two never differ.
 */
const USAGE = {
  'force create': ['bluelamp force create --slug=S --code=C --name=N'],
  'staff create': ['bluelamp staff create --force=S --email=E --name=N --role=R', `R is one of ${STAFF_ROLES.join(', ')}`],
  'staff reset-password': ['bluelamp staff reset-password --force=S --email=E'],
} as const;
type CommandWithOptions = keyof typeof USAGE;

/** Where --help starts a command's description, and how wide its lines may run. */
const HELP_COLUMN = 45;
const HELP_WIDTH = 110;

/**
 * A command with required options as --help shows it: its usage line, then its description and the
 * notes its refusals show (for staff create, every role), wrapped in the description column.
 */
function helpEntry(command: CommandWithOptions, description: string): string {
  const [line, ...notes] = USAGE[command];
  const indent = ' '.repeat(HELP_COLUMN);
  const wrapped: string[] = [];
  for (const paragraph of [description, ...notes]) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      if (current && HELP_COLUMN + current.length + 1 + word.length > HELP_WIDTH) {
        wrapped.push(indent + current);
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    wrapped.push(indent + current);
  }
  return [`  ${line}`, ...wrapped].join('\n');
}

const HELP = `Bluelamp — the open-source digital police station

Usage:
  bluelamp [start] [--role=api|worker|all]   run the product (default: api and worker in one process)
  bluelamp audit verify [--force=SLUG]       verify the hash chain of every force's event log (or one)
                                             and every signed checkpoint in AUDIT_CHECKPOINT_DIR against it
  bluelamp audit checkpoint [--force=SLUG]   sign a checkpoint of each force's chain head now
  bluelamp migrate                           apply database migrations and exit
${helpEntry('force create', 'create a force (code: 2-8 capital letters, used in references)')}
${helpEntry('staff create', 'add a member of staff; prints a one-time password they must change at first sign-in')}
${helpEntry('staff reset-password', "issue a new one-time password (must be changed at next sign-in), end that person's sessions and clear the sign-in lock others' guesses put on the account")}
  bluelamp secrets rotate                    re-seal every stored channel credential with SECRETS_KEY
                                             (old keys in SECRETS_KEY_PREVIOUS); safe to run again
  bluelamp --help                            show this help

Settings (environment variables):
${describeSettings().join('\n')}

With no DATABASE_URL, data lives in embedded PGlite under DATA_DIR. Outside production the first
start seeds "Demo Constabulary" with one demo account per role.

PGlite lets one process at a time use DATA_DIR: while a server runs on it, every other command
refuses (exit code 3) instead of writing changes that would be lost. Stop the server, run the
command, start the server again; or use PostgreSQL (DATABASE_URL) to run several processes.

This command runs the JavaScript that "npm run build" compiles into dist/ ("npm start" builds first);
"npm run dev" runs the TypeScript sources directly, for development.`;

/** A command typed wrongly: the reason, and the command whose usage the refusal shows. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandWithOptions,
  ) {
    super(message);
  }
}

/** The refusal of a command typed wrongly: the reason, then how the command is typed. */
function usageRefusal(error: UsageError): string {
  if (!error.command) return `${error.message}\n\nRun with --help for usage.`;
  const [line, ...notes] = USAGE[error.command];
  const usage = [`Usage: ${line}`, ...notes.map((note) => `       ${note}`)].join('\n');
  return `${error.message}\n\n${usage}\n\nRun with --help for every command and setting.`;
}

/** The command and its arguments: no command, or only options, means `start`. */
export function commandOf(argv: readonly string[]): [string, string[]] {
  const [command = 'start', ...rest] = argv[0]?.startsWith('--') ? ['start', ...argv] : argv;
  return [command, rest];
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
}

/** What can be done through the running server instead of a refused command. */
function whileItRuns(command: string): string {
  switch (command) {
    case 'audit verify':
      return 'While it runs, a force admin can verify the chain in the console (Audit), which calls GET /api/audit/verify.';
    case 'staff create':
      return 'While it runs, a force admin can add a colleague in the console (Staff), which calls POST /api/staff.';
    case 'staff reset-password':
      return 'While it runs, a force admin can reset a colleague\'s password in the console (Staff), which calls POST /api/staff/{id}/reset-password.';
    case 'force create':
      return 'The running server has no HTTP API that creates forces: stop it to create one.';
    default:
      return 'The running server applied its migrations when it started; this command needs the data folder to itself.';
  }
}

/** What to do instead, when another process holds the PGlite data folder. */
function dataFolderAdvice(error: DataFolderInUseError, argv: readonly string[]): string {
  const { owner, dataDir } = error;
  const command = argv[0]?.startsWith('--') || argv.length === 0 ? 'start' : argv.slice(0, 2).join(' ');
  const lines = [
    `Refused: the data folder ${dataDir} is in use by another Bluelamp process (pid ${owner.pid} on ${owner.host}, "${owner.command}", since ${owner.startedAt}).`,
    'PGlite lets only one process use a data folder; anything this command wrote would be lost.',
  ];
  if (command === 'start') {
    lines.push('Stop that process first, or give this one another DATA_DIR. To run several processes on one database, use PostgreSQL (DATABASE_URL).');
  } else {
    lines.push(`Stop the server (Ctrl-C where it runs, or: kill ${owner.pid}), run "bluelamp ${command}" again, then start the server.`);
    lines.push(whileItRuns(command));
  }
  if (owner.host !== hostname()) lines.push(`The lock was taken on ${owner.host}; if nothing there uses this folder any more, delete ${dataDir}/bluelamp.lock.`);
  return lines.join('\n');
}

/** A port the server could not listen on, as Node reports it: taken by another program, or one only root may use. */
function listenRefusal(error: unknown): string | null {
  if (!(error instanceof Error) || !('syscall' in error) || error.syscall !== 'listen') return null;
  const code = 'code' in error ? error.code : null;
  const where = 'address' in error && 'port' in error ? `${String(error.address)}:${String(error.port)}` : 'the address';
  if (code === 'EADDRINUSE') return `Bluelamp cannot start: ${where} is already in use by another program (another Bluelamp, or another server).`;
  if (code === 'EACCES') return `Bluelamp cannot start: this user may not listen on ${where} (ports below 1024 need privileges).`;
  return null;
}

/**
 * The exit code and message for a failure the command explains itself: a wrong argument or
 * setting, or a port that cannot be listened on (2), or the data folder held by another process
 * (3). Null for anything else.
 */
export function explainedFailure(error: unknown, argv: readonly string[]): { code: number; message: string } | null {
  if (error instanceof UsageError) return { code: 2, message: usageRefusal(error) };
  const refusal = listenRefusal(error);
  if (refusal) return { code: 2, message: `${refusal}\nStop it, or start Bluelamp on another port: PORT=3001 npm start (METRICS_PORT and EMAIL_SMTP_PORT name the others it may listen on).` };
  if (error instanceof DataFolderInUseError) return { code: 3, message: dataFolderAdvice(error, argv) };
  if (error instanceof ConfigError) return { code: 2, message: `${error.message}\n\nRun with --help to see every setting.` };
  // By name: migrate.ts is loaded only by the commands that open the database (decision 0164).
  if (error instanceof Error && (error.name === 'MigrationLockedError' || error.name === 'MigrationFileError')) return { code: 1, message: error.message };
  return null;
}

/** `--a=, --b= and --c=`: the flags named as they are typed. */
function flagList(names: readonly string[]): string {
  const flags = names.map((name) => `--${name}=`);
  return flags.length > 1 ? `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}` : (flags[0] ?? '');
}

/**
 * The values of required options, by name. Every one missing (or empty) is named in one refusal,
 * so a person finds all they left out at once rather than one a run.
 */
function requiredOptions<N extends string>(args: string[], command: CommandWithOptions, names: readonly N[]): Record<N, string> {
  // Filled below for every name, or the command is refused: no name is left without its value.
  const values = {} as Record<N, string>;
  const missing: N[] = [];
  for (const name of names) {
    const value = args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) throw new UsageError(`${flagList(missing)} ${missing.length > 1 ? 'are' : 'is'} required`, command);
  return values;
}

/** The command run, as a PGlite data folder's lock records who holds it (and a refusal names it). */
function holderOf(argv: readonly string[]): string {
  return ['bluelamp', ...argv].join(' ');
}

/**
 * Opens and migrates the database the settings name, runs `work`, and closes it (releasing a PGlite
 * data folder's lock, which names `holder`: the command, not the process it runs in).
 */
async function withDatabase<T>(env: CliEnv, holder: string, work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(env, []);
  const [{ openDatabase }, { migrate }] = await Promise.all([import('./platform/db/database.ts'), import('./platform/db/migrate.ts')]);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder });
  try {
    await migrate(database, { lockTimeoutMs: config.migrationLockTimeoutMs });
    return await work(database);
  } finally {
    await database.close();
  }
}

async function auditCommand(subcommand: 'verify' | 'checkpoint', args: string[], env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const config = loadConfig(env, []);
  const slug = args.find((arg) => arg.startsWith('--force='))?.slice('--force='.length);
  return withDatabase(env, holder, async (database) => {
    const { runAuditCheckpoint, runAuditVerify } = await import('./platform/events/audit-commands.ts');
    return subcommand === 'verify'
      ? runAuditVerify(database.db, config, { slug }, io)
      : runAuditCheckpoint(database.db, systemClock, config, { slug }, io);
  });
}

async function migrateCommand(env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const config = loadConfig(env, []);
  const [{ openDatabase }, { migrate }] = await Promise.all([import('./platform/db/database.ts'), import('./platform/db/migrate.ts')]);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder });
  try {
    const applied = await migrate(database, {
      lockTimeoutMs: config.migrationLockTimeoutMs,
      onLockRefused: ({ migration, attempt, waitMs }) =>
        io.err(`${migration}: refused a table lock another session holds (attempt ${attempt}); trying again in ${waitMs / 1000} s`),
    });
    io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
    return 0;
  } finally {
    await database.close();
  }
}

async function createForceCommand(args: string[], env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const spec = requiredOptions(args, 'force create', ['slug', 'code', 'name']);
  if (!/^[a-z0-9-]{2,40}$/.test(spec.slug)) throw new UsageError('--slug= must be 2-40 lower-case letters, digits or dashes', 'force create');
  if (!/^[A-Z]{2,8}$/.test(spec.code)) throw new UsageError('--code= must be 2-8 capital letters', 'force create');
  return withDatabase(env, holder, async (database) => {
    const { createForce } = await import('./capabilities/admin/forces.service.ts');
    const result = await createForce(database.db, systemClock, spec);
    io.out(result.isNew ? `Created force ${spec.slug} (${result.forceId})` : `Force ${spec.slug} already exists`);
    return result.isNew ? 0 : 1;
  });
}

async function createStaffCommand(args: string[], env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const { force: slug, email, name, role } = requiredOptions(args, 'staff create', ['force', 'email', 'name', 'role']);
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role= must be one of ${STAFF_ROLES.join(', ')}`, 'staff create');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--email= must be an email address', 'staff create');
  return withDatabase(env, holder, async (database) => {
    const [{ withSystem }, { createStaff, generateOneTimePassword }] = await Promise.all([
      import('./platform/db/database.ts'),
      import('./capabilities/staff/staff.service.ts'),
    ]);
    const force = await withSystem(database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', slug).executeTakeFirst());
    if (!force) throw new UsageError(`no force with slug "${slug}"`);
    const taken = await withSystem(database.db, (tx) =>
      tx.selectFrom('staff').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst(),
    );
    if (taken) throw new UsageError(`${email} already has an account`);
    const password = generateOneTimePassword();
    await createStaff(database.db, systemClock, force.id as ForceId, { email, name, role: role as StaffRole, password, mustChangePassword: true });
    io.out(`Created ${role} ${email}. One-time password (shown once, not stored): ${password}\nIt must be changed at first sign-in.`);
    return 0;
  });
}

async function resetPasswordCommand(args: string[], env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const { force: slug, email } = requiredOptions(args, 'staff reset-password', ['force', 'email']);
  return withDatabase(env, holder, async (database) => {
    const { resetStaffPasswordByEmail } = await import('./capabilities/staff/staff.service.ts');
    const { sessionSecret } = loadConfig(env, []);
    const result = await resetStaffPasswordByEmail(database.db, systemClock, { forceSlug: slug, email, sessionSecret });
    if (!result) throw new UsageError(`no member of staff ${email} in force "${slug}"`);
    io.out(
      `Reset ${email}: ${result.sessionsEnded} session(s) ended. One-time password (shown once, not stored): ${result.oneTimePassword}\nIt must be changed at next sign-in.`,
    );
    return 0;
  });
}

async function rotateSecretsCommand(env: CliEnv, holder: string, io: CliIo): Promise<number> {
  const config = loadConfig(env, []);
  const { SecretBox } = await import('./platform/secrets.ts');
  const secrets = new SecretBox(config.secretsKey, config.secretsKeysPrevious);
  return withDatabase(env, holder, async (database) => {
    const { resealChannelAccounts } = await import('./capabilities/channels/channel-accounts.service.ts');
    const report = await resealChannelAccounts(database.db, systemClock, secrets);
    io.out(
      `Channel credentials: ${report.resealed} re-sealed, ${report.alreadyCurrent} already under the current key (${secrets.currentKeyId}), ${report.unreadable.length} unreadable`,
    );
    for (const item of report.unreadable) io.out(`  unreadable: ${item.channel} account ${item.accountId} (force ${item.forceId}): ${item.reason}`);
    if (report.unreadable.length > 0) {
      io.out('Add the key they were sealed with to SECRETS_KEY_PREVIOUS and run this again.');
      return 1;
    }
    return 0;
  });
}

async function dispatch(argv: string[], env: CliEnv, io: CliIo): Promise<number> {
  const [command, rest] = commandOf(argv);
  const [sub, ...args] = rest;
  const holder = holderOf(argv);
  if (command === 'audit' && (sub === 'verify' || sub === 'checkpoint')) return auditCommand(sub, args, env, holder, io);
  if (command === 'force' && sub === 'create') return createForceCommand(args, env, holder, io);
  if (command === 'staff' && sub === 'create') return createStaffCommand(args, env, holder, io);
  if (command === 'staff' && sub === 'reset-password') return resetPasswordCommand(args, env, holder, io);
  if (command === 'secrets' && sub === 'rotate') return rotateSecretsCommand(env, holder, io);
  if (command === 'migrate') return migrateCommand(env, holder, io);
  io.err(`Unknown command: ${argv.join(' ')}\n\n${HELP}`);
  return 2;
}

/**
 * Runs one `bluelamp` command other than `start` (which serves until stopped, so only the process
 * runs it) with these settings, writing what it reports to `io`; resolves to its exit code. A
 * failure it cannot explain (exit code 1 from the process) is thrown.
 */
export async function runCli(argv: string[], env: CliEnv, io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(HELP);
    return 0;
  }
  if (commandOf(argv)[0] === 'start') throw new Error('runCli does not start the server: src/cli.ts does');
  try {
    return await dispatch(argv, env, io);
  } catch (error) {
    const failure = explainedFailure(error, argv);
    if (!failure) throw error;
    io.err(failure.message);
    return failure.code;
  }
}
