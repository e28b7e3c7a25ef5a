import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, withSystem } from '../db/database.ts';
import type { IntegrationTokenTable } from '../db/integration-token-tables.ts';
import { storedLast } from '../db/stored-order.ts';
import type { ServiceDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import type { EventType } from '../events/catalogue.ts';
import { record } from '../events/recorder.ts';
import { bearerTokenOf } from '../http/bearer-token.ts';
import { newId, type ForceId, type StaffId } from '../ids.ts';

// The credentials of the systems a force connects (its records system, its vehicle tracking):
// bearer tokens, shown once when made (decision 0203). Only each token's SHA-256 is kept: a token
// is 32 random bytes, so nothing is gained by a slow hash, and the hash is looked up directly (and
// needs no force to be known first). Each kind has its own table and its own prefix, so a token
// of one kind is never accepted as the other.

/** How the records system's tokens start. */
export const RECORDS_TOKEN_PREFIX = 'blrec_';
/** How vehicle tracking's tokens start. */
export const TRACKING_TOKEN_PREFIX = 'bltrk_';
/**
 * Every kind's prefix: the load-shedding gate reads them to tell an integration's call from the
 * public's by its header alone (decision 0203), so a new kind's prefix belongs here too.
 */
export const INTEGRATION_TOKEN_PREFIXES: readonly string[] = [RECORDS_TOKEN_PREFIX, TRACKING_TOKEN_PREFIX];

/** One kind of integration token: where its tokens are kept, how they start, the events it appends. */
export type IntegrationTokenKind = {
  /** The integration's name in logs and refusals, e.g. `records integration`. */
  name: string;
  table: IntegrationTokenTable;
  /** Every token of the kind starts with it (one of INTEGRATION_TOKEN_PREFIXES), so a token says what it is for. */
  prefix: string;
  /** The advisory lock a rotation takes per force; records keeps the name it had before the tokens were shared, so nodes of both versions take one lock. */
  lockName: string;
  issued: EventType<string, { label: string; hint: string; isRotation: boolean }>;
  revoked: EventType<string, { reason: 'revoked' | 'rotated' }>;
};

/** A token as the admin screen shows it: never the token itself. */
export type IntegrationTokenView = { id: string; label: string; hint: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

/** The caller a token names: its force and which token it was. */
export type IntegrationCaller = { forceId: ForceId; tokenId: string };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The force's tokens of the kind, newest first. */
export async function listIntegrationTokens(deps: ServiceDeps, kind: IntegrationTokenKind, forceId: ForceId): Promise<IntegrationTokenView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom(kind.table)
      .select(['id', 'label', 'token_hint', 'created_at', 'last_used_at', 'revoked_at'])
      .where('force_id', '=', forceId)
      .orderBy('created_at', 'desc')
      .orderBy('seq', storedLast)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      label: row.label,
      hint: row.token_hint,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  });
}

/**
 * Makes a token of the kind for the force. With `isRotation`, every token of the kind still in use
 * is revoked in the same transaction, so the new one is the only one that works. The token is in
 * the answer and nowhere else.
 */
export async function issueIntegrationToken(
  deps: ServiceDeps,
  kind: IntegrationTokenKind,
  forceId: ForceId,
  staffId: StaffId,
  input: { label: string; isRotation: boolean },
): Promise<{ token: string; view: IntegrationTokenView; revoked: string[] }> {
  const token = kind.prefix + randomBytes(32).toString('base64url');
  const id = newId();
  const now = deps.clock.now();
  const actor = { type: 'staff' as const, id: staffId };
  return withForce(deps.db, forceId, async (tx) => {
    // A force's tokens of a kind are made one at a time: a rotation revokes only the tokens it can
    // see, so two at once would each leave the other's token working.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${kind.lockName}:${forceId}`}, 0))`.execute(tx);
    let revoked: string[] = [];
    if (input.isRotation) {
      const rows = await tx.updateTable(kind.table).set({ revoked_at: now }).where('force_id', '=', forceId).where('revoked_at', 'is', null).returning('id').execute();
      revoked = rows.map((row) => row.id);
      for (const old of revoked) record(tx, forceId, deps.clock, kind.revoked.of({ actor, subjectId: old, data: { reason: 'rotated' } }));
    }
    const hint = token.slice(0, kind.prefix.length + 4);
    await tx
      .insertInto(kind.table)
      .values({ id, force_id: forceId, label: input.label, token_hash: hashOf(token), token_hint: hint, created_at: now, created_by: staffId, last_used_at: null, revoked_at: null })
      .execute();
    record(tx, forceId, deps.clock, kind.issued.of({ actor, subjectId: id, data: { label: input.label, hint, isRotation: input.isRotation } }));
    return { token, view: { id, label: input.label, hint, createdAt: now.toISOString(), lastUsedAt: null, revokedAt: null }, revoked };
  });
}

/** Revokes one of the force's tokens of the kind; revoking a revoked one changes nothing. */
export async function revokeIntegrationToken(deps: ServiceDeps, kind: IntegrationTokenKind, forceId: ForceId, staffId: StaffId, tokenId: string): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const row = await tx.selectFrom(kind.table).select(['id', 'revoked_at']).where('force_id', '=', forceId).where('id', '=', tokenId).forUpdate().executeTakeFirst();
    if (!row) throw notFound('token');
    if (row.revoked_at) return;
    await tx.updateTable(kind.table).set({ revoked_at: deps.clock.now() }).where('force_id', '=', forceId).where('id', '=', tokenId).execute();
    record(tx, forceId, deps.clock, kind.revoked.of({ actor: { type: 'staff', id: staffId }, subjectId: tokenId, data: { reason: 'revoked' } }));
  });
}

/**
 * Whether the header carries a bearer token of one of the integration kinds, by its prefix alone:
 * says what the caller claims to be, not that the token is good (authenticateIntegration decides).
 */
export function claimsIntegrationToken(authorization: string | undefined): boolean {
  const token = bearerTokenOf(authorization);
  return token !== null && INTEGRATION_TOKEN_PREFIXES.some((prefix) => token.length > prefix.length && token.startsWith(prefix));
}

/**
 * The force an `Authorization: Bearer <token>` header of the kind belongs to, or a 401 that says
 * only that the token was not accepted (missing, malformed, of another kind, unknown and revoked
 * look the same to the caller; the log says which).
 */
export async function authenticateIntegration(deps: ServiceDeps, kind: IntegrationTokenKind, authorization: string | undefined): Promise<IntegrationCaller> {
  const refuse = (why: string) => new AppError('unauthenticated', `${kind.name}: ${why}`, { publicMessage: 'A valid integration token is required (Authorization: Bearer …)' });
  const token = bearerTokenOf(authorization);
  if (!token) throw refuse('no bearer token');
  if (!token.startsWith(kind.prefix) || token.length > 200) throw refuse(`not a token of the ${kind.name}`);
  const hash = hashOf(token);
  const found = await withSystem(deps.db, async (tx) => {
    const row = await tx.selectFrom(kind.table).select(['id', 'force_id', 'token_hash', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash).executeTakeFirst();
    // The row is found by the hash's index; the hashes are compared again in constant time, so
    // no answer depends on how much of a guess was right.
    if (!row || row.revoked_at || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return null;
    const now = deps.clock.now();
    // Written at most once a minute: a busy integration does not turn every request into two writes.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await tx.updateTable(kind.table).set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return row;
  });
  if (!found) throw refuse('unknown or revoked token');
  return { forceId: found.force_id as ForceId, tokenId: found.id };
}
