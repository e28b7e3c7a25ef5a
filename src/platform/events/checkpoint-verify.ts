import { verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';
import { canonicalJson } from './canonical-json.ts';
import { verifyChain, type ChainVerification } from './event-log.ts';
import { bodyOf, checkpointFile, parseCheckpointLine, type CheckpointLine } from './checkpoints.ts';

// Reading checkpoint files back and checking a force's chain against them (`audit verify`).

/** One problem found in a force's checkpoints, with where it is. */
export type CheckpointProblem = { file: string; lineNumber: number; seq: number | null; at: string | null; reason: string };

export type CheckpointVerification = {
  chain: ChainVerification;
  /** Checkpoints whose signature and (seq, hash) both held. */
  checkpointsVerified: number;
  /** The first checkpoint the recomputed chain contradicts, if any. */
  contradiction: CheckpointProblem | null;
  /** Lines that are malformed, signed by an unknown key, or whose signature fails. */
  badLines: CheckpointProblem[];
  /** Checkpoints beyond a broken chain, which could not be compared. */
  unchecked: number;
  ok: boolean;
};

/**
 * Verifies a force's chain end to end and, while walking it, compares every checkpoint's (seq,
 * hash) with the recomputed chain. A rewrite that re-hashed to the head passes the chain check
 * and is caught at the first checkpoint signed before it.
 */
export async function verifyChainWithCheckpoints(
  tx: Tx,
  forceId: ForceId,
  options: { dir: string; verifiers: Map<string, KeyObject> },
): Promise<CheckpointVerification> {
  const file = checkpointFile(options.dir, forceId);
  const badLines: CheckpointProblem[] = [];
  // seq → the checkpoints that pin it, in file order.
  const pins = new Map<number, { line: CheckpointLine; lineNumber: number }[]>();
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const rows = text.split('\n');
  rows.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const lineNumber = index + 1;
    const parsed = parseCheckpointLine(raw);
    if ('error' in parsed) {
      badLines.push({ file, lineNumber, seq: null, at: null, reason: `line ${parsed.error}` });
      return;
    }
    const line = parsed.line;
    const where = { file, lineNumber, seq: line.seq, at: line.at };
    if (line.forceId !== forceId) {
      badLines.push({ ...where, reason: `names force ${line.forceId}, not the force of this file` });
      return;
    }
    const key = options.verifiers.get(line.keyId);
    if (!key) {
      badLines.push({ ...where, reason: `signed by unknown key ${line.keyId} (give its public key in AUDIT_VERIFY_KEY)` });
      return;
    }
    let isSigned: boolean;
    try {
      isSigned = verify(null, Buffer.from(canonicalJson(bodyOf(line))), key, Buffer.from(line.sig, 'base64'));
    } catch {
      isSigned = false;
    }
    if (!isSigned) {
      badLines.push({ ...where, reason: 'signature does not match the line (forged or altered)' });
      return;
    }
    const list = pins.get(line.seq) ?? [];
    list.push({ line, lineNumber });
    pins.set(line.seq, list);
  });

  // Held in an object: the walk's callback sets it, which flow analysis would not see on a plain variable.
  const found: { contradiction: CheckpointProblem | null; verified: number } = { contradiction: null, verified: 0 };
  const chain = await verifyChain(tx, forceId, (event) => {
    for (const pin of pins.get(event.seq) ?? []) {
      if (pin.line.hash === event.hash) {
        found.verified += 1;
      } else if (!found.contradiction) {
        found.contradiction = {
          file,
          lineNumber: pin.lineNumber,
          seq: event.seq,
          at: pin.line.at,
          reason: `the chain has hash ${event.hash} at seq ${event.seq}; the checkpoint signed ${pin.line.hash}`,
        };
      }
    }
  });
  const lastChecked = chain.ok ? chain.checked : (chain.firstBroken?.seq ?? 1) - 1;
  let unchecked = 0;
  const beyond = [...pins.entries()].filter(([seq]) => seq > lastChecked).sort(([a], [b]) => a - b);
  for (const [seq, list] of beyond) {
    if (chain.ok && !found.contradiction) {
      const first = list[0];
      if (first) {
        found.contradiction = {
          file,
          lineNumber: first.lineNumber,
          seq,
          at: first.line.at,
          reason: `the checkpoint signed seq ${seq}, but the chain ends at seq ${chain.checked} (events were removed)`,
        };
      }
    } else {
      unchecked += list.length;
    }
  }
  const contradiction = found.contradiction;
  return { chain, checkpointsVerified: found.verified, contradiction, badLines, unchecked, ok: chain.ok && !contradiction && badLines.length === 0 };
}

/** Checkpoint files whose force is not in the database (a force removed wholesale is a rewrite too). */
export async function listOrphanCheckpointFiles(dir: string, forceIds: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const known = new Set(forceIds.map((id) => `force-${id}.jsonl`));
  return names.filter((name) => /^force-.+\.jsonl$/.test(name) && !known.has(name)).map((name) => path.join(dir, name));
}
