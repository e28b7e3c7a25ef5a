import { ConfigError, loadConfig } from './platform/config/config.ts';
import { describeSettings } from './platform/config/settings.ts';
import type { ForceId } from './platform/ids.ts';

import { hostname } from 'node:os';
import { DataFolderInUseError } from './platform/db/data-folder-lock.ts';
import { systemClock } from './platform/clock.ts';
import { STAFF_ROLES, type StaffRole } from './platform/auth/permissions.ts';
import type { Database } from './platform/db/database.ts';

// Each command imports what it uses when it runs: the whole product (the server, every capability)
// takes longer to load than most commands take to run, `--help` needs none of it, and a command
// refused because a server holds the data folder is refused before loading the code that would
// have written to it.

const HELP = `Bluelamp — the open-source digital police station

Usage:
  bluelamp [start] [--role=api|worker|all]   run the product (default: api and worker in one process)
  bluelamp audit verify [--force=SLUG]       verify the hash chain of every force's event log (or one)
                                             and every signed checkpoint in AUDIT_CHECKPOINT_DIR against it
  bluelamp audit checkpoint [--force=SLUG]   sign a checkpoint of each force's chain head now
  bluelamp migrate                           apply database migrations and exit
  bluelamp force create --slug=S --code=C --name=N
                                             create a force (code: 2-8 capital letters, used in references)
  bluelamp staff create --force=S --email=E --name=N --role=R
                                             add a member of staff; prints a one-time password they must
                                             change at first sign-in
  bluelamp staff reset-password --force=S --email=E
                                             issue a new one-time password (must be changed at next
                                             sign-in), end that person's sessions and clear the
                                             sign-in lock others' guesses put on the account
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

/** What to do instead, when another process holds the PGlite data folder. */
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

function dataFolderAdvice(error: DataFolderInUseError, argv: string[]): string {
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

const io = { out: (line: string) => process.stdout.write(`${line}\n`), err: (line: string) => process.stderr.write(`${line}\n`) };

async function auditCommand(subcommand: 'verify' | 'checkpoint', args: string[]): Promise<number> {
  const config = loadConfig(process.env, []);
  const slug = args.find((arg) => arg.startsWith('--force='))?.slice('--force='.length);
  return withDatabase(async (database) => {
    const { runAuditCheckpoint, runAuditVerify } = await import('./platform/events/audit-commands.ts');
    return subcommand === 'verify'
      ? runAuditVerify(database.db, config, { slug }, io)
      : runAuditCheckpoint(database.db, systemClock, config, { slug }, io);
  });
}

function option(args: string[], name: string): string {
  const value = args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (!value) throw new UsageError(`--${name}= is required`);
  return value;
}

class UsageError extends Error {}

async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env, []);
  const [{ openDatabase }, { migrate }] = await Promise.all([import('./platform/db/database.ts'), import('./platform/db/migrate.ts')]);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

async function createForceCommand(args: string[]): Promise<number> {
  const spec = { slug: option(args, 'slug'), code: option(args, 'code'), name: option(args, 'name') };
  if (!/^[a-z0-9-]{2,40}$/.test(spec.slug)) throw new UsageError('--slug= must be 2-40 lower-case letters, digits or dashes');
  if (!/^[A-Z]{2,8}$/.test(spec.code)) throw new UsageError('--code= must be 2-8 capital letters');
  return withDatabase(async (database) => {
    const { createForce } = await import('./capabilities/admin/forces.service.ts');
    const result = await createForce(database.db, systemClock, spec);
    process.stdout.write(result.isNew ? `Created force ${spec.slug} (${result.forceId})\n` : `Force ${spec.slug} already exists\n`);
    return result.isNew ? 0 : 1;
  });
}

async function createStaffCommand(args: string[]): Promise<number> {
  const role = option(args, 'role');
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role= must be one of ${STAFF_ROLES.join(', ')}`);
  const email = option(args, 'email');
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError('--email= must be an email address');
  const name = option(args, 'name');
  const slug = option(args, 'force');
  return withDatabase(async (database) => {
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
    process.stdout.write(`Created ${role} ${email}. One-time password (shown once, not stored): ${password}\nIt must be changed at first sign-in.\n`);
    return 0;
  });
}

async function resetPasswordCommand(args: string[]): Promise<number> {
  const slug = option(args, 'force');
  const email = option(args, 'email');
  return withDatabase(async (database) => {
    const { resetStaffPasswordByEmail } = await import('./capabilities/staff/staff.service.ts');
    const { sessionSecret } = loadConfig(process.env, []);
    const result = await resetStaffPasswordByEmail(database.db, systemClock, { forceSlug: slug, email, sessionSecret });
    if (!result) throw new UsageError(`no member of staff ${email} in force "${slug}"`);
    process.stdout.write(
      `Reset ${email}: ${result.sessionsEnded} session(s) ended. One-time password (shown once, not stored): ${result.oneTimePassword}\nIt must be changed at next sign-in.\n`,
    );
    return 0;
  });
}

async function rotateSecretsCommand(): Promise<number> {
  const config = loadConfig(process.env, []);
  const { SecretBox } = await import('./platform/secrets.ts');
  const secrets = new SecretBox(config.secretsKey, config.secretsKeysPrevious);
  return withDatabase(async (database) => {
    const { resealChannelAccounts } = await import('./capabilities/channels/channel-accounts.service.ts');
    const report = await resealChannelAccounts(database.db, systemClock, secrets);
    process.stdout.write(
      `Channel credentials: ${report.resealed} re-sealed, ${report.alreadyCurrent} already under the current key (${secrets.currentKeyId}), ${report.unreadable.length} unreadable\n`,
    );
    for (const item of report.unreadable) {
      process.stdout.write(`  unreadable: ${item.channel} account ${item.accountId} (force ${item.forceId}): ${item.reason}\n`);
    }
    if (report.unreadable.length > 0) {
      process.stdout.write('Add the key they were sealed with to SECRETS_KEY_PREVIOUS and run this again.\n');
      return 1;
    }
    return 0;
  });
}

async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [command = 'start', ...rest] = argv[0]?.startsWith('--') ? ['start', ...argv] : argv;
  if (command === 'start') {
    // A bad setting is reported before the product is loaded (startProcess reads the settings again).
    loadConfig(process.env, rest);
    const { startProcess } = await import('./main.ts');
    await startProcess(process.env, rest);
    return -1; // keep running
  }
  if (command === 'audit' && (rest[0] === 'verify' || rest[0] === 'checkpoint')) return auditCommand(rest[0], rest.slice(1));
  if (command === 'force' && rest[0] === 'create') return createForceCommand(rest.slice(1));
  if (command === 'staff' && rest[0] === 'create') return createStaffCommand(rest.slice(1));
  if (command === 'staff' && rest[0] === 'reset-password') return resetPasswordCommand(rest.slice(1));
  if (command === 'secrets' && rest[0] === 'rotate') return rotateSecretsCommand();
  if (command === 'migrate') {
    const config = loadConfig(process.env, []);
    const [{ openDatabase }, { migrate }] = await Promise.all([import('./platform/db/database.ts'), import('./platform/db/migrate.ts')]);
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const applied = await migrate(database);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date\n');
    await database.close();
    return 0;
  }
  process.stderr.write(`Unknown command: ${argv.join(' ')}\n\n${HELP}\n`);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\nRun with --help for usage.\n`);
      process.exit(2);
    }
    if (error instanceof DataFolderInUseError) {
      process.stderr.write(`${dataFolderAdvice(error, process.argv.slice(2))}\n`);
      process.exit(3);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nRun with --help to see every setting.\n`);
      process.exit(2);
    }
    process.stderr.write(`Bluelamp failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
