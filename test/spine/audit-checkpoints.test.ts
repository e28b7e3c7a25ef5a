import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { hashEvent, toStoredEvent, verifyChain } from '../../src/platform/events/event-log.ts';
import { runAuditCheckpoint, runAuditVerify } from '../../src/platform/events/audit-commands.ts';
import {
  AUDIT_CHECKPOINT_JOB,
  CheckpointKeyError,
  checkpointFile,
  keyIdOf,
  loadCheckpointKeys,
  parseCheckpointLine,
  signCheckpoint,
} from '../../src/platform/events/checkpoints.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { ConfigError, loadConfig } from '../../src/platform/config/config.ts';
import type { ForceId } from '../../src/platform/ids.ts';

const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'pem' }).toString();

/** Captures what a CLI command prints. */
function capture() {
  const lines: string[] = [];
  return { lines, io: { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) }, text: () => lines.join('\n') };
}

/**
 * What an attacker with database write access does: edits one event as the owning role (with the
 * append-only trigger switched off) and re-hashes every event after it, and the chain head, so
 * the chain verifies again.
 */
async function rewriteAndRehash(app: TestApp, forceId: ForceId, seq: number): Promise<void> {
  await withSystem(app.database.db, async (tx) => {
    await sql`set local session_replication_role = replica`.execute(tx);
    const rows = await tx.selectFrom('events').selectAll().where('force_id', '=', forceId).where('seq', '>=', seq).orderBy('seq').execute();
    const before = await tx.selectFrom('events').select('hash').where('force_id', '=', forceId).where('seq', '=', seq - 1).executeTakeFirst();
    let prevHash = before?.hash ?? '0'.repeat(64);
    for (const row of rows) {
      const event = toStoredEvent(row);
      const data = Number(event.seq) === seq ? { ...event.data, channel: 'rewritten' } : event.data;
      const hash = hashEvent({ ...event, data, prevHash });
      await sql`update events set data = ${JSON.stringify(data)}::jsonb, prev_hash = ${prevHash}, hash = ${hash}
        where force_id = ${forceId} and seq = ${event.seq}`.execute(tx);
      prevHash = hash;
    }
    await sql`update event_chain_heads set last_hash = ${prevHash} where force_id = ${forceId}`.execute(tx);
  });
}

async function report(app: TestApp, id: string): Promise<void> {
  await submitPublicReport(app.deps, app.demoForceId, {
    submissionId: id,
    whatHappened: `My bicycle was taken (${id})`,
    where: 'Market Street',
    when: 'yesterday',
    name: null,
    email: `${id}@example.org`,
  });
}

/**
 * Lets the report's processing and its follow-ups (acknowledgement, clocks) append their events
 * first, so that the head a checkpoint signs is the head the test reads afterwards.
 */
async function settle(app: TestApp): Promise<void> {
  await app.reports.settled();
  await app.runner?.runDue();
}

describe('signed audit checkpoints', () => {
  let app: TestApp;
  let dir: string;
  const keys = generateKeyPairSync('ed25519');
  const signingKey = pem(keys.privateKey, 'pkcs8');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bluelamp-checkpoints-'));
    app = await createTestApp({ env: { AUDIT_CHECKPOINT_DIR: dir, AUDIT_SIGNING_KEY: signingKey } });
    await report(app, 'cp-1');
    await settle(app);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs-a-checkpoint-of-the-head-through-the-durable-job-and-only-when-it-moved', async () => {
    await enqueueRecurringJobs(app.database.db, app.deps.clock, { type: AUDIT_CHECKPOINT_JOB, intervalMs: 300_000 });
    await app.runner?.runDue();
    const file = checkpointFile(dir, app.demoForceId);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = parseCheckpointLine(lines[0] ?? '');
    if (!('line' in parsed)) throw new Error(parsed.error);
    const head = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('event_chain_heads').select(['last_seq', 'last_hash']).where('force_id', '=', app.demoForceId).executeTakeFirstOrThrow(),
    );
    expect(parsed.line).toMatchObject({ forceId: app.demoForceId, seq: Number(head.last_seq), hash: head.last_hash, keyId: keyIdOf(keys.publicKey) });

    // The same slot again, and a head that has not moved: nothing new is written.
    await withSystem(app.database.db, (tx) => tx.deleteFrom('jobs').where('type', '=', AUDIT_CHECKPOINT_JOB).execute());
    await enqueueRecurringJobs(app.database.db, app.deps.clock, { type: AUDIT_CHECKPOINT_JOB, intervalMs: 300_000 });
    await app.runner?.runDue();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);

    // On demand, after more events: a second line.
    await report(app, 'cp-2');
    await settle(app);
    const out = capture();
    expect(await runAuditCheckpoint(app.database.db, app.deps.clock, app.config, { slug: 'demo' }, out.io)).toBe(0);
    expect(out.text()).toMatch(/demo: checkpoint signed at seq \d+/);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);

    const verified = capture();
    expect(await runAuditVerify(app.database.db, app.config, { slug: undefined }, verified.io)).toBe(0);
    expect(verified.text()).toMatch(/demo: ok, \d+ events verified, 2 signed checkpoints match/);
  });

  it('verifies-with-the-public-key-alone', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', AUDIT_CHECKPOINT_DIR: dir, AUDIT_VERIFY_KEY: pem(keys.publicKey, 'spki') });
    const out = capture();
    expect(await runAuditVerify(app.database.db, config, { slug: 'demo' }, out.io)).toBe(0);
    expect(out.text()).toMatch(/2 signed checkpoints match/);
  });

  it('reports-a-forged-checkpoint-line', async () => {
    const file = checkpointFile(dir, app.demoForceId);
    const original = readFileSync(file, 'utf8');
    try {
      const parsed = parseCheckpointLine(original.trim().split('\n')[0] ?? '');
      if (!('line' in parsed)) throw new Error(parsed.error);
      // Someone with the file but not the key changes the hash and keeps the signature...
      appendFileSync(file, `${JSON.stringify({ ...parsed.line, hash: 'f'.repeat(64) })}\n`);
      // ...or signs with a key of their own.
      const intruder = generateKeyPairSync('ed25519');
      appendFileSync(file, `${JSON.stringify(signCheckpoint(intruder.privateKey, { ...parsed.line, keyId: keyIdOf(keys.publicKey) }))}\n`);
      appendFileSync(file, 'not json\n');
      const out = capture();
      expect(await runAuditVerify(app.database.db, app.config, { slug: 'demo' }, out.io)).toBe(1);
      expect(out.text()).toMatch(/BAD CHECKPOINT at line 3 of .*force-.*\.jsonl \(seq \d+\): signature does not match the line/);
      expect(out.text()).toMatch(/BAD CHECKPOINT at line 4 of .*: signature does not match the line/);
      expect(out.text()).toMatch(/BAD CHECKPOINT at line 5 of .*: line is not JSON/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('detects-a-rewrite-re-hashed-to-the-head-at-the-first-checkpoint-it-contradicts', async () => {
    const file = checkpointFile(dir, app.demoForceId);
    const first = parseCheckpointLine(readFileSync(file, 'utf8').trim().split('\n')[0] ?? '');
    if (!('line' in first)) throw new Error(first.error);
    const target = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('events')
        .select('seq')
        .where('force_id', '=', app.demoForceId)
        .where('type', '=', 'contact.received')
        .orderBy('seq')
        .executeTakeFirstOrThrow(),
    );
    expect(Number(target.seq)).toBeLessThanOrEqual(first.line.seq);
    await rewriteAndRehash(app, app.demoForceId, Number(target.seq));

    // The chain alone verifies: this is what `audit verify` said before checkpoints.
    const chainOnly = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(chainOnly).toMatchObject({ ok: true, firstBroken: null });

    const out = capture();
    expect(await runAuditVerify(app.database.db, app.config, { slug: 'demo' }, out.io)).toBe(1);
    expect(out.text()).toContain(
      `demo: REWRITTEN: the chain contradicts the checkpoint at line 1 of ${file} (signed ${first.line.at}): the chain has hash`,
    );
    expect(out.text()).toContain(`at seq ${first.line.seq}; the checkpoint signed ${first.line.hash}`);

    // The periodic signer refuses to sign the rewritten head, and the on-demand one says why.
    const linesBefore = readFileSync(file, 'utf8');
    const signing = capture();
    expect(await runAuditCheckpoint(app.database.db, app.deps.clock, app.config, { slug: 'demo' }, signing.io)).toBe(1);
    expect(signing.text()).toMatch(/NOT SIGNED: the chain contradicts its last checkpoint at seq \d+/);
    await withSystem(app.database.db, (tx) => tx.deleteFrom('jobs').where('type', '=', AUDIT_CHECKPOINT_JOB).execute());
    await enqueueRecurringJobs(app.database.db, app.deps.clock, { type: AUDIT_CHECKPOINT_JOB, intervalMs: 300_000 });
    await app.runner?.runDue();
    const job = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('jobs').select(['state', 'last_error']).where('type', '=', AUDIT_CHECKPOINT_JOB).where('force_id', '=', app.demoForceId).executeTakeFirstOrThrow(),
    );
    expect(job.last_error).toMatch(/contradicts checkpoint at seq/);
    expect(readFileSync(file, 'utf8')).toBe(linesBefore);
  });

  it('fails-a-chain-whose-checkpoints-are-missing once the worker would have signed one', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'bluelamp-no-checkpoints-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', AUDIT_CHECKPOINT_DIR: empty, AUDIT_VERIFY_KEY: pem(keys.publicKey, 'spki') });
      const first = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('occurred_at').where('force_id', '=', app.demoForceId).orderBy('seq').limit(1).executeTakeFirstOrThrow());
      const soon = capture();
      expect(await runAuditVerify(app.database.db, config, { slug: 'demo', now: new Date(first.occurred_at.getTime() + 60_000) }, soon.io)).toBe(0);
      expect(soon.text()).toMatch(/demo: ok, \d+ events verified, no checkpoint yet/);
      const later = capture();
      const aDayOn = new Date(first.occurred_at.getTime() + 24 * 60 * 60 * 1000);
      expect(await runAuditVerify(app.database.db, config, { slug: 'demo', now: aDayOn }, later.io)).toBe(1);
      expect(later.text()).toContain(`demo: NO CHECKPOINT`);
      expect(later.text()).toContain(empty);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports-checkpoints-of-a-force-missing-from-the-database', async () => {
    const orphan = path.join(dir, 'force-00000000-0000-4000-8000-000000000000.jsonl');
    appendFileSync(orphan, '');
    try {
      const out = capture();
      await runAuditVerify(app.database.db, app.config, { slug: undefined }, out.io);
      expect(out.text()).toContain(`MISSING FORCE: ${orphan}`);
    } finally {
      rmSync(orphan);
    }
  });
});

describe('audit checkpoint keys', () => {
  it('refuses-a-key-that-is-not-ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      loadCheckpointKeys({ signingKey: pem(rsa.privateKey, 'pkcs8'), verifyKey: undefined, isProduction: true, checkpointDir: '/x', dataDir: 'memory://' }),
    ).toThrow(CheckpointKeyError);
    expect(() =>
      loadCheckpointKeys({ signingKey: 'no-such-key-file.pem', verifyKey: undefined, isProduction: true, checkpointDir: '/x', dataDir: 'memory://' }),
    ).toThrow(/AUDIT_SIGNING_KEY: cannot read key file/);
  });

  it('accepts-old-and-new-public-keys-so-lines-signed-before-a-key-change-still-verify', () => {
    const old = generateKeyPairSync('ed25519');
    const current = generateKeyPairSync('ed25519');
    const loaded = loadCheckpointKeys({
      signingKey: pem(current.privateKey, 'pkcs8'),
      verifyKey: `${pem(old.publicKey, 'spki')}${pem(current.publicKey, 'spki')}`,
      isProduction: true,
      checkpointDir: '/x',
      dataDir: 'memory://',
    });
    expect([...loaded.verifiers.keys()].sort()).toEqual([keyIdOf(old.publicKey), keyIdOf(current.publicKey)].sort());
    expect(loaded.signer?.keyId).toBe(keyIdOf(current.publicKey));
  });

  it('refuses-to-start-in-production-with-a-checkpoint-dir-and-no-key', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SECRETS_KEY: 'y'.repeat(40), AUDIT_CHECKPOINT_DIR: '/var/lib/bluelamp/checkpoints' }),
    ).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SECRETS_KEY: 'y'.repeat(40) }).audit.checkpointDir).toBeNull();
    expect(loadConfig({ DATA_DIR: './somewhere' }).audit.checkpointDir).toBe('./somewhere/audit-checkpoints');
    expect(loadConfig({ DATA_DIR: './somewhere', DATABASE_URL: 'postgres://db/x' }).audit.checkpointDir).toBeNull();
  });

  it('keeps-a-development-key-in-the-data-folder-outside-production', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bluelamp-devkey-'));
    try {
      // A verifier never creates a key it would then trust.
      const verifier = loadCheckpointKeys({ signingKey: undefined, verifyKey: undefined, isProduction: false, checkpointDir: path.join(dataDir, 'cp'), dataDir, mayGenerate: false });
      expect(verifier.signer).toBeNull();
      expect(existsSync(path.join(dataDir, 'audit-signing-key.pem'))).toBe(false);
      const first = loadCheckpointKeys({ signingKey: undefined, verifyKey: undefined, isProduction: false, checkpointDir: path.join(dataDir, 'cp'), dataDir });
      const second = loadCheckpointKeys({ signingKey: undefined, verifyKey: undefined, isProduction: false, checkpointDir: path.join(dataDir, 'cp'), dataDir });
      expect(first.signer?.keyId).toBe(second.signer?.keyId);
      expect(loadCheckpointKeys({ signingKey: undefined, verifyKey: undefined, isProduction: true, checkpointDir: '/x', dataDir }).signer).toBeNull();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
