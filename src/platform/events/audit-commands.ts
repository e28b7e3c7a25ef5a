import { withForce, withSystem, type Db } from '../db/database.ts';
import type { Config } from '../config/config.ts';
import type { ForceId } from '../ids.ts';
import type { Clock } from '../clock.ts';
import { verifyChain } from './event-log.ts';
import { CheckpointKeyError, loadCheckpointKeys, writeCheckpoint } from './checkpoints.ts';
import { listOrphanCheckpointFiles, verifyChainWithCheckpoints } from './checkpoint-verify.ts';

type Output = { out(line: string): void; err(line: string): void };

async function chooseForces(db: Db, slug: string | undefined): Promise<{ id: ForceId; slug: string }[] | null> {
  const forces = await withSystem(db, (tx) => tx.selectFrom('forces').select(['id', 'slug']).orderBy('slug').execute());
  const chosen = slug ? forces.filter((force) => force.slug === slug) : forces;
  if (slug && chosen.length === 0) return null;
  return chosen.map((force) => ({ id: force.id as ForceId, slug: force.slug }));
}

/**
 * `bluelamp audit verify`: each force's chain end to end and, when a checkpoint directory is
 * set, every signed checkpoint against the recomputed chain. Exit code 0 only if all holds.
 */
export async function runAuditVerify(db: Db, config: Config, options: { slug: string | undefined; now?: Date }, io: Output): Promise<number> {
  const now = options.now ?? new Date();
  const forces = await chooseForces(db, options.slug);
  if (!forces) {
    io.err(`No force with slug "${options.slug}"`);
    return 2;
  }
  const dir = config.audit.checkpointDir;
  const keys = dir
    ? loadCheckpointKeys({
        signingKey: config.audit.signingKey,
        verifyKey: config.audit.verifyKey,
        isProduction: config.isProduction,
        checkpointDir: dir,
        dataDir: config.dataDir,
        mayGenerate: false,
      })
    : null;
  if (!dir) io.out('No AUDIT_CHECKPOINT_DIR: checking the chain only (a rewrite re-hashed to the head cannot be detected without checkpoints).');
  else if (keys && keys.verifiers.size === 0) io.out('No AUDIT_SIGNING_KEY or AUDIT_VERIFY_KEY: checkpoint signatures cannot be checked.');
  let isAllOk = true;
  for (const force of forces) {
    if (!dir || !keys) {
      const result = await withForce(db, force.id, (tx) => verifyChain(tx, force.id));
      if (result.ok) io.out(`${force.slug}: ok, ${result.checked} events verified`);
      else {
        isAllOk = false;
        io.out(`${force.slug}: BROKEN at event ${result.firstBroken?.seq}: ${result.firstBroken?.reason} (${result.checked} events verified before it)`);
      }
      continue;
    }
    const result = await withForce(db, force.id, (tx) => verifyChainWithCheckpoints(tx, force.id, { dir, verifiers: keys.verifiers }));
    if (!result.chain.ok) {
      io.out(
        `${force.slug}: BROKEN at event ${result.chain.firstBroken?.seq}: ${result.chain.firstBroken?.reason} (${result.chain.checked} events verified before it)`,
      );
    }
    if (result.contradiction) {
      const c = result.contradiction;
      io.out(`${force.slug}: REWRITTEN: the chain contradicts the checkpoint at line ${c.lineNumber} of ${c.file} (signed ${c.at}): ${c.reason}`);
    }
    for (const bad of result.badLines) {
      io.out(`${force.slug}: BAD CHECKPOINT at line ${bad.lineNumber} of ${bad.file}${bad.seq !== null ? ` (seq ${bad.seq})` : ''}: ${bad.reason}`);
    }
    if (result.ok && result.checkpointsVerified === 0 && result.chain.checked > 0) {
      // A chain with no checkpoint cannot show a rewrite: fine for a few minutes after its first
      // event (the worker has not signed one yet), not after that (the checkpoints were removed
      // with the rewrite, or this is not the directory the worker writes to).
      const first = await withForce(db, force.id, (tx) => tx.selectFrom('events').select('occurred_at').where('force_id', '=', force.id).orderBy('seq').limit(1).executeTakeFirst());
      const since = first ? now.getTime() - first.occurred_at.getTime() : 0;
      if (since > 2 * config.audit.checkpointIntervalMs) {
        isAllOk = false;
        io.out(
          `${force.slug}: NO CHECKPOINT: ${result.chain.checked} events since ${first?.occurred_at.toISOString()} and no signed checkpoint of them in ${dir}: ` +
            'they were removed, or this is not the directory the worker writes to; a rewrite cannot be detected without them',
        );
      } else {
        io.out(`${force.slug}: ok, ${result.chain.checked} events verified, no checkpoint yet (the worker signs one every ${config.audit.checkpointIntervalMs / 1000} s)`);
      }
    } else if (result.ok) {
      io.out(`${force.slug}: ok, ${result.chain.checked} events verified, ${result.checkpointsVerified} signed checkpoints match`);
    } else {
      isAllOk = false;
      if (result.unchecked > 0) io.out(`${force.slug}: ${result.unchecked} checkpoints beyond the break could not be compared`);
    }
  }
  if (dir && !options.slug) {
    const all = await withSystem(db, (tx) => tx.selectFrom('forces').select('id').execute());
    for (const file of await listOrphanCheckpointFiles(dir, all.map((force) => force.id))) {
      isAllOk = false;
      io.out(`MISSING FORCE: ${file} holds checkpoints of a force that is not in the database`);
    }
  }
  return isAllOk ? 0 : 1;
}

/** `bluelamp audit checkpoint`: signs and appends a checkpoint of each force's chain head now. */
export async function runAuditCheckpoint(db: Db, clock: Clock, config: Config, options: { slug: string | undefined }, io: Output): Promise<number> {
  const dir = config.audit.checkpointDir;
  if (!dir) {
    io.err('AUDIT_CHECKPOINT_DIR is not set: there is nowhere to write checkpoints.');
    return 2;
  }
  const keys = loadCheckpointKeys({
    signingKey: config.audit.signingKey,
    verifyKey: config.audit.verifyKey,
    isProduction: config.isProduction,
    checkpointDir: dir,
    dataDir: config.dataDir,
  });
  if (!keys.signer) throw new CheckpointKeyError('AUDIT_SIGNING_KEY: is required to sign checkpoints');
  const forces = await chooseForces(db, options.slug);
  if (!forces) {
    io.err(`No force with slug "${options.slug}"`);
    return 2;
  }
  let isAllOk = true;
  for (const force of forces) {
    const outcome = await writeCheckpoint(db, clock, { dir, keys, forceId: force.id, onlyIfChanged: false });
    if (outcome.status === 'written') io.out(`${force.slug}: checkpoint signed at seq ${outcome.seq}`);
    else if (outcome.status === 'empty') io.out(`${force.slug}: no events yet, nothing to sign`);
    else if (outcome.status === 'contradiction') {
      isAllOk = false;
      io.out(`${force.slug}: NOT SIGNED: the chain contradicts its last checkpoint at seq ${outcome.seq}: ${outcome.reason}`);
    }
  }
  return isAllOk ? 0 : 1;
}
