import { randomBytes } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { buildApp, type App, type AppOverrides } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { openDatabase, type Db } from '../src/platform/db/database.ts';
import { ENGINE } from './helpers.ts';
import { makeScratchFolder } from './scratch-folder.ts';
import { baseTestEnv, emptyCluster, testDatabaseUrl } from './template-database.ts';

// The suite's apps connect as a superuser (PGlite's own user, `postgres` on the server), and
// superusers bypass row-level security whatever the policies say. An app made here connects as an
// ordinary role instead, NOSUPERUSER NOBYPASSRLS, that owns the database it is given and nothing
// else, and starts from an empty database as a deployment's first start does: it migrates and seeds
// under the policies.

/** What a deployment's database user is: no superuser, no bypass of row-level security. */
export const OWNER_ATTRIBUTES = 'login nosuperuser nobypassrls nocreatedb noreplication';

export type OwnerApp = {
  app: App;
  /** The role the app connects as. */
  owner: string;
  /**
   * Makes a role (NOLOGIN, NOSUPERUSER, NOBYPASSRLS) with the given memberships that the owner may
   * SET ROLE to: made by the server's administrator on PostgreSQL, by the owner itself on PGlite.
   * Dropped when the app closes.
   */
  makeRole(name: string, memberOf: string[]): Promise<void>;
  /**
   * Makes a login (NOSUPERUSER NOBYPASSRLS NOINHERIT) that is a member of the given roles, as an
   * administrator would for a deployment that keeps the owner's privileges behind SET ROLE.
   * Dropped when the app closes.
   */
  makeNoInheritLogin(name: string, memberOf: string[]): Promise<void>;
  /**
   * Runs work on the app's database as that login: its own connection on PostgreSQL, the engine's
   * one connection given to it on PGlite. With `role`, its sessions switch to that role first, as
   * `alter role … set role …` makes them.
   */
  asLogin<T>(name: string, options: { role?: string }, work: (db: Db) => Promise<T>): Promise<T>;
  /** Runs statements in the app's database as the server's administrator (a superuser). */
  administer(statements: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * The product on the engine under test, connected as an ordinary role that owns an empty database.
 * On PostgreSQL an administrator has created `bluelamp_app` and granted it to that role (the server
 * holds roles for every database); on PGlite the role may create roles and makes `bluelamp_app` at
 * its first start, the README's two ways.
 */
export async function createOwnerApp(options: { overrides?: AppOverrides; env?: Record<string, string> } = {}): Promise<OwnerApp> {
  const owner = `bluelamp_owner_${randomBytes(4).toString('hex')}`;
  return ENGINE === 'postgres' ? ownerOnPostgres(owner, options) : ownerOnPglite(owner, options);
}

async function ownerOnPostgres(owner: string, options: { overrides?: AppOverrides; env?: Record<string, string> }): Promise<OwnerApp> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `bluelamp_test_owner_${randomBytes(6).toString('hex')}`;
  // A server that asks for passwords on this address (not only trust) lets the owner in with its own.
  const password = randomBytes(12).toString('hex');
  await runOn(adminUrl, async (admin) => {
    await admin.query(`create role ${owner} ${OWNER_ATTRIBUTES} password '${password}'`);
    await admin.query(`do $$ begin create role bluelamp_app nologin; exception when duplicate_object or unique_violation then null; end $$`);
    await admin.query(`grant bluelamp_app to ${owner}`);
    await admin.query(`create database ${name} owner ${owner}`);
  });
  const url = new URL(testDatabaseUrl(adminUrl, name));
  url.username = owner;
  url.password = password;
  const config = loadConfig({ ...baseTestEnv(), DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '5', ...options.env });
  const made: string[] = [];
  const dropAll = () =>
    runOn(adminUrl, async (admin) => {
      await admin.query(`drop database if exists ${name} with (force)`);
      for (const role of made) await admin.query(`drop role if exists ${role}`);
      await admin.query(`drop owned by ${owner}`);
      await admin.query(`drop role ${owner}`);
    });
  // A start that fails (a migration the owner may not run) leaves no database or role behind on the server.
  const app = await buildApp(config, { startWorker: false, isResponseCheckExact: true, ...options.overrides }).catch(async (error: unknown) => {
    await dropAll();
    throw error;
  });
  return {
    app,
    owner,
    async makeRole(role, memberOf) {
      made.push(role);
      await runOn(adminUrl, async (admin) => {
        await admin.query(`create role ${role} nologin nosuperuser nobypassrls${memberOf.length ? ` in role ${memberOf.join(', ')}` : ''}`);
        await admin.query(`grant ${role} to ${owner}`);
      });
    },
    async makeNoInheritLogin(login, memberOf) {
      made.unshift(login);
      await runOn(adminUrl, (admin) =>
        admin.query(`create role ${login} login nosuperuser nobypassrls noinherit password '${password}'${memberOf.length ? ` in role ${memberOf.join(', ')}` : ''}`),
      );
    },
    async asLogin(login, { role }, work) {
      const asLogin = new URL(url);
      asLogin.username = login;
      if (role) asLogin.searchParams.set('options', `${asLogin.searchParams.get('options') ?? ''} -c role=${role}`.trim());
      const database = await openDatabase({ databaseUrl: asLogin.toString(), poolSize: 1 });
      try {
        return await work(database.db);
      } finally {
        await database.close();
      }
    },
    async administer(statements) {
      const inDatabase = new URL(adminUrl);
      inDatabase.pathname = `/${name}`;
      await runOn(inDatabase.toString(), (admin) => admin.query(statements));
    },
    async close() {
      await app.close();
      await dropAll();
    },
  };
}

async function ownerOnPglite(owner: string, options: { overrides?: AppOverrides; env?: Record<string, string> }): Promise<OwnerApp> {
  // A new cluster, as a first start makes one, copied rather than made (initdb takes seconds).
  const folder = makeScratchFolder('bluelamp-owner-');
  cpSync(await emptyCluster(), path.join(folder, 'pglite'), { recursive: true });
  const pglite = await PGlite.create({ dataDir: path.join(folder, 'pglite') });
  await pglite.exec(`create role ${owner} ${OWNER_ATTRIBUTES} createrole; alter database postgres owner to ${owner};`);
  // PGlite has one connection: from here on it is the owner's session, as a server login would be
  // (SET ROLE is checked against the session's user, so the owner needs membership of bluelamp_app).
  await pglite.exec(`set session authorization ${owner}`);
  const database = await openDatabase({
    dataDir: 'memory://',
    lent: {
      pglite,
      giveBack: async () => {
        await pglite.close();
        rmSync(folder, { recursive: true, force: true });
      },
    },
  });
  const config = loadConfig({ ...baseTestEnv(), ...options.env });
  const app = await buildApp(config, { startWorker: false, isResponseCheckExact: true, database, ...options.overrides }).catch(async (error: unknown) => {
    await database.close().catch(() => {});
    throw error;
  });
  return {
    app,
    owner,
    async makeRole(role, memberOf) {
      // The owner may create roles here, and administers those it creates; it grants itself the new one.
      await pglite.exec(`create role ${role} nologin nosuperuser nobypassrls${memberOf.length ? ` in role ${memberOf.join(', ')}` : ''}; grant ${role} to ${owner};`);
    },
    async makeNoInheritLogin(login, memberOf) {
      // Made by the engine's superuser (postgres), the session's authenticated user, as an administrator
      // would (PGlite keeps the session user for SET SESSION AUTHORIZATION DEFAULT)
      await pglite.exec(
        `set session authorization postgres; create role ${login} login nosuperuser nobypassrls noinherit${memberOf.length ? ` in role ${memberOf.join(', ')}` : ''}; set session authorization ${owner};`,
      );
    },
    async asLogin(login, { role }, work) {
      // Nothing else uses the one connection while a test holds it (the worker is not started).
      await pglite.exec(`set session authorization ${login};${role ? ` set role ${role};` : ''}`);
      try {
        return await work(database.db);
      } finally {
        await pglite.exec(`set session authorization ${owner}`);
      }
    },
    async administer(statements) {
      try {
        await pglite.exec(`set session authorization postgres; ${statements}`);
      } finally {
        await pglite.exec(`set session authorization ${owner}`);
      }
    },
    close: () => app.close(),
  };
}

async function runOn<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
