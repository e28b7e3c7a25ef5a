import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, withSystem } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { recordsTokenIssued, recordsTokenRevoked } from './records-integration.events.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

// The credentials a force's records system uses: bearer tokens, shown once when made. Only each
// token's SHA-256 is kept: a token is 32 random bytes, so nothing is gained by a slow hash, and the
// hash is looked up directly (and needs no force to be known first).

const PREFIX = 'blrec_';

/** A token as the admin screen shows it: never the token itself. */
export type RecordsTokenView = { id: string; label: string; hint: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The force's tokens, newest first. */
export async function listRecordsTokens(deps: ServiceDeps, forceId: ForceId): Promise<RecordsTokenView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom('records_integration_tokens')
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
 * Makes a token for the force's records system. With `isRotation`, every token still in use is
 * revoked in the same transaction, so the new one is the only one that works. The token is in the
 * answer and nowhere else.
 */
export async function issueRecordsToken(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  input: { label: string; isRotation: boolean },
): Promise<{ token: string; view: RecordsTokenView; revoked: string[] }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const id = newId();
  const now = deps.clock.now();
  const actor = { type: 'staff' as const, id: staffId };
  return withForce(deps.db, forceId, async (tx) => {
    // A force's tokens are made one at a time: a rotation revokes only the tokens it can see, so
    // two at once would each leave the other's token working.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`records-tokens:${forceId}`}, 0))`.execute(tx);
    let revoked: string[] = [];
    if (input.isRotation) {
      const rows = await tx
        .updateTable('records_integration_tokens')
        .set({ revoked_at: now })
        .where('force_id', '=', forceId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      revoked = rows.map((row) => row.id);
      for (const old of revoked) record(tx, forceId, deps.clock, recordsTokenRevoked.of({ actor, subjectId: old, data: { reason: 'rotated' } }));
    }
    const hint = token.slice(0, PREFIX.length + 4);
    await tx
      .insertInto('records_integration_tokens')
      .values({ id, force_id: forceId, label: input.label, token_hash: hashOf(token), token_hint: hint, created_at: now, created_by: staffId, last_used_at: null, revoked_at: null })
      .execute();
    record(tx, forceId, deps.clock, recordsTokenIssued.of({ actor, subjectId: id, data: { label: input.label, hint, isRotation: input.isRotation } }));
    return { token, view: { id, label: input.label, hint, createdAt: now.toISOString(), lastUsedAt: null, revokedAt: null }, revoked };
  });
}

/** Revokes one of the force's tokens; revoking a revoked one changes nothing. */
export async function revokeRecordsToken(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, tokenId: string): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const row = await tx.selectFrom('records_integration_tokens').select(['id', 'revoked_at']).where('force_id', '=', forceId).where('id', '=', tokenId).forUpdate().executeTakeFirst();
    if (!row) throw notFound('token');
    if (row.revoked_at) return;
    await tx.updateTable('records_integration_tokens').set({ revoked_at: deps.clock.now() }).where('force_id', '=', forceId).where('id', '=', tokenId).execute();
    record(tx, forceId, deps.clock, recordsTokenRevoked.of({ actor: { type: 'staff', id: staffId }, subjectId: tokenId, data: { reason: 'revoked' } }));
  });
}

/**
 * The force an `Authorization: Bearer <token>` header belongs to, or a 401 that says only that the
 * token was not accepted (missing, unknown and revoked look the same to the caller).
 */
export async function authenticateRecordsSystem(deps: ServiceDeps, authorization: string | undefined): Promise<{ forceId: ForceId; tokenId: string }> {
  const refuse = (why: string) => new AppError('unauthenticated', `records integration: ${why}`, { publicMessage: 'A valid integration token is required (Authorization: Bearer …)' });
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  const token = match?.[1];
  if (!token) throw refuse('no bearer token');
  if (!token.startsWith(PREFIX) || token.length > 200) throw refuse('not an integration token');
  const hash = hashOf(token);
  const found = await withSystem(deps.db, async (tx) => {
    const row = await tx.selectFrom('records_integration_tokens').select(['id', 'force_id', 'revoked_at', 'last_used_at']).where('token_hash', '=', hash).executeTakeFirst();
    if (!row || row.revoked_at) return null;
    const now = deps.clock.now();
    // Written at most once a minute: a busy integration does not turn every update into two writes.
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await tx.updateTable('records_integration_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return row;
  });
  if (!found) throw refuse('unknown or revoked token');
  return { forceId: found.force_id as ForceId, tokenId: found.id };
}
