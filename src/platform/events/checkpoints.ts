import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { withSystem, type Db, type Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import type { JobHandler } from '../jobs/jobs.ts';
import { ConfigError } from '../config/config.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * Signed checkpoints of each force's chain head, kept outside the database. The hash chain shows
 * that events were not edited one by one; it cannot show that someone with write access did not
 * edit an event and re-hash everything after it. A checkpoint signed with a key the database never
 * holds, written to append-only storage elsewhere, pins (seq, hash) at a moment: a later rewrite
 * contradicts it. See docs/decisions/0015-signed-audit-checkpoints.md.
 */

/** The job that signs a checkpoint of one force's chain head when it has moved. */
export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';

/** What a checkpoint line asserts, in the order a reader expects; the signature covers its canonical JSON. */
export type CheckpointBody = { v: 1; forceId: string; seq: number; hash: string; at: string; keyId: string };
export type CheckpointLine = CheckpointBody & { sig: string };

/** The key that signs and the keys that verify (the signer's own public key among them). */
export type CheckpointKeys = {
  signer: { privateKey: KeyObject; keyId: string } | null;
  verifiers: Map<string, KeyObject>;
};

/** Raised when a key setting is unusable; the message names the setting, never the key. */
export class CheckpointKeyError extends ConfigError {
  override name = 'CheckpointKeyError';
}

/** A short, stable name of a public key: the start of the SHA-256 of its DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function readPemSetting(setting: string, value: string): string {
  if (value.trimStart().startsWith('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new CheckpointKeyError(`${setting}: cannot read key file ${value} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function privateKeyFromPem(setting: string, pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new CheckpointKeyError(`${setting}: is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new CheckpointKeyError(`${setting}: must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/** Every public key in a PEM text (several may be concatenated, so old checkpoints still verify after a key change). */
export function publicKeysFromPem(setting: string, pem: string): KeyObject[] {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new CheckpointKeyError(`${setting}: holds no PEM public key`);
  return blocks.map((block) => {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      throw new CheckpointKeyError(`${setting}: holds a public key that cannot be read`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new CheckpointKeyError(`${setting}: keys must be Ed25519, not ${key.asymmetricKeyType}`);
    return key;
  });
}

/**
 * The checkpoint keys from settings. Without a signing key, outside production and with a
 * checkpoint directory, a development key is generated once and kept in the data folder (logged
 * loudly: anyone with that folder can sign); in production no key means no signer.
 */
export function loadCheckpointKeys(options: {
  signingKey: string | undefined;
  verifyKey: string | undefined;
  isProduction: boolean;
  checkpointDir: string | null;
  dataDir: string;
  /** False for verifiers: they use a development key that exists but never create one. */
  mayGenerate?: boolean;
  logger?: Logger;
}): CheckpointKeys {
  let privateKey: KeyObject | null = null;
  if (options.signingKey) {
    privateKey = privateKeyFromPem('AUDIT_SIGNING_KEY', readPemSetting('AUDIT_SIGNING_KEY', options.signingKey));
  } else if (!options.isProduction && options.checkpointDir) {
    if (options.dataDir === 'memory://') {
      if (options.mayGenerate === false) return verifiersOnly(options.verifyKey);
      privateKey = generateKeyPairSync('ed25519').privateKey;
      options.logger?.warn('audit checkpoints are signed with a throw-away development key (no AUDIT_SIGNING_KEY, data in memory)');
    } else {
      const file = path.resolve(options.dataDir, 'audit-signing-key.pem');
      if (!existsSync(file) && options.mayGenerate === false) return verifiersOnly(options.verifyKey);
      if (!existsSync(file)) {
        mkdirSync(path.dirname(file), { recursive: true });
        const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      }
      privateKey = privateKeyFromPem(file, readFileSync(file, 'utf8'));
      options.logger?.warn(
        { keyFile: file },
        'audit checkpoints are signed with a development key kept in the data folder; set AUDIT_SIGNING_KEY to a key kept elsewhere in production',
      );
    }
  }
  const keys = verifiersOnly(options.verifyKey);
  if (!privateKey) return keys;
  const keyId = keyIdOf(createPublicKey(privateKey));
  keys.verifiers.set(keyId, createPublicKey(privateKey));
  return { signer: { privateKey, keyId }, verifiers: keys.verifiers };
}

function verifiersOnly(verifyKey: string | undefined): CheckpointKeys {
  const verifiers = new Map<string, KeyObject>();
  if (verifyKey) {
    for (const key of publicKeysFromPem('AUDIT_VERIFY_KEY', readPemSetting('AUDIT_VERIFY_KEY', verifyKey))) verifiers.set(keyIdOf(key), key);
  }
  return { signer: null, verifiers };
}

/** The one file a force's checkpoints are appended to. */
export function checkpointFile(dir: string, forceId: string): string {
  return path.join(dir, `force-${forceId}.jsonl`);
}

/** The signed part of a checkpoint line, in its canonical field order. */
export function bodyOf(line: CheckpointBody): CheckpointBody {
  return { v: 1, forceId: line.forceId, seq: line.seq, hash: line.hash, at: line.at, keyId: line.keyId };
}

/** Signs a checkpoint body. */
export function signCheckpoint(privateKey: KeyObject, body: CheckpointBody): CheckpointLine {
  const sig = sign(null, Buffer.from(canonicalJson(bodyOf(body))), privateKey).toString('base64');
  return { ...bodyOf(body), sig };
}

/** The last line of a checkpoint file, read from its tail (files grow for years; only the end matters here). */
async function readLastCheckpoint(file: string): Promise<CheckpointLine | null> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return null;
  }
  if (size === 0) return null;
  const handle = await open(file, 'r');
  try {
    const length = Math.min(size, 8192);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((line) => line.trim() !== '');
    const last = lines.at(-1);
    if (!last) return null;
    const parsed = parseCheckpointLine(last);
    return 'error' in parsed ? null : parsed.line;
  } finally {
    await handle.close();
  }
}

/**
 * Appends one line with O_APPEND and forces it to disk before returning, so a checkpoint that was
 * reported written survives a crash, and nothing before it in the file is ever rewritten.
 */
async function appendDurably(file: string, text: string): Promise<void> {
  const isNew = !existsSync(file);
  const handle = await open(file, 'a', 0o640);
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (isNew) {
    // A new file is only durable once its directory entry is.
    const dir = await open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } catch {
      // Some filesystems (and platforms) refuse fsync on a directory; the file itself is synced.
    } finally {
      await dir.close();
    }
  }
}

export type CheckpointOutcome =
  | { status: 'written'; forceId: string; seq: number; hash: string }
  | { status: 'unchanged'; forceId: string; seq: number }
  | { status: 'empty'; forceId: string }
  /** The chain no longer holds what the last checkpoint signed: it was rewritten. Nothing is signed. */
  | { status: 'contradiction'; forceId: string; seq: number; reason: string };

async function readHead(tx: Tx, forceId: ForceId): Promise<{ seq: number; hash: string } | null> {
  const head = await tx.selectFrom('event_chain_heads').select(['last_seq', 'last_hash']).where('force_id', '=', forceId).executeTakeFirst();
  return head && Number(head.last_seq) > 0 ? { seq: Number(head.last_seq), hash: head.last_hash } : null;
}

/**
 * Signs and appends a checkpoint of one force's chain head. Before signing, the event at the last
 * checkpoint's seq must still have the hash that was signed: a signer never extends a chain that
 * contradicts its own earlier signature. With `onlyIfChanged`, an unmoved head writes nothing.
 */
export async function writeCheckpoint(
  db: Db,
  clock: Clock,
  options: { dir: string; keys: CheckpointKeys; forceId: ForceId; onlyIfChanged: boolean },
): Promise<CheckpointOutcome> {
  const signer = options.keys.signer;
  if (!signer) throw new CheckpointKeyError('no audit signing key (set AUDIT_SIGNING_KEY)');
  const file = checkpointFile(options.dir, options.forceId);
  const last = await readLastCheckpoint(file);
  const facts = await withSystem(db, async (tx) => {
    const head = await readHead(tx, options.forceId);
    const pinned = last
      ? await tx.selectFrom('events').select('hash').where('force_id', '=', options.forceId).where('seq', '=', last.seq).executeTakeFirst()
      : undefined;
    return { head, pinned };
  });
  if (last) {
    if (!facts.pinned) {
      return { status: 'contradiction', forceId: options.forceId, seq: last.seq, reason: `event ${last.seq} of the last checkpoint is missing` };
    }
    if (facts.pinned.hash !== last.hash) {
      return {
        status: 'contradiction',
        forceId: options.forceId,
        seq: last.seq,
        reason: `event ${last.seq} has hash ${facts.pinned.hash.slice(0, 16)}…, the last checkpoint signed ${last.hash.slice(0, 16)}…`,
      };
    }
  }
  const head = facts.head;
  if (!head) return { status: 'empty', forceId: options.forceId };
  if (options.onlyIfChanged && last && last.seq === head.seq && last.hash === head.hash) {
    return { status: 'unchanged', forceId: options.forceId, seq: head.seq };
  }
  const line = signCheckpoint(signer.privateKey, {
    v: 1,
    forceId: options.forceId,
    seq: head.seq,
    hash: head.hash,
    at: clock.now().toISOString(),
    keyId: signer.keyId,
  });
  mkdirSync(options.dir, { recursive: true });
  await appendDurably(file, `${JSON.stringify(line)}\n`);
  return { status: 'written', forceId: options.forceId, seq: head.seq, hash: head.hash };
}

/** What the job handler reports, for metrics and the log. */
export type CheckpointObserver = { onCheckpoint(outcome: CheckpointOutcome): void; onCheckpointFailure(forceId: string): void };

/**
 * The periodic checkpoint job of one force. A contradiction is logged as an error and fails the
 * job (it ends dead, visible to admins) rather than signing a rewritten chain.
 */
export function createCheckpointHandler(options: {
  db: Db;
  clock: Clock;
  logger: Logger;
  dir: string;
  keys: CheckpointKeys;
  observer?: CheckpointObserver;
}): JobHandler {
  return async ({ job }) => {
    let outcome: CheckpointOutcome;
    try {
      outcome = await writeCheckpoint(options.db, options.clock, { dir: options.dir, keys: options.keys, forceId: job.forceId, onlyIfChanged: true });
    } catch (error) {
      options.observer?.onCheckpointFailure(job.forceId);
      throw error;
    }
    options.observer?.onCheckpoint(outcome);
    if (outcome.status === 'contradiction') {
      options.logger.error({ forceId: job.forceId, seq: outcome.seq, reason: outcome.reason }, 'audit chain contradicts its last signed checkpoint');
      throw new Error(`audit chain contradicts checkpoint at seq ${outcome.seq}: ${outcome.reason}`);
    }
  };
}

/** Parses one line of a checkpoint file; anything malformed is an error naming what is wrong. */
export function parseCheckpointLine(text: string): { line: CheckpointLine } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'is not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { error: 'is not a checkpoint object' };
  const v = value as Record<string, unknown>;
  const isValid =
    v.v === 1 &&
    typeof v.forceId === 'string' &&
    typeof v.seq === 'number' &&
    Number.isInteger(v.seq) &&
    v.seq > 0 &&
    typeof v.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.hash) &&
    typeof v.at === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.sig === 'string';
  if (!isValid) return { error: 'lacks a field or has one of the wrong kind' };
  return {
    line: { v: 1, forceId: v.forceId as string, seq: v.seq as number, hash: v.hash as string, at: v.at as string, keyId: v.keyId as string, sig: v.sig as string },
  };
}
