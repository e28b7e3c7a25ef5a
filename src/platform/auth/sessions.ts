import { createHash, randomBytes } from 'node:crypto';
import { readAsSystem, withSystem, type Db, type Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { publishLive } from '../realtime/live.ts';
import type { Clock } from '../clock.ts';
import type { ForceId, StaffId } from '../ids.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { STAFF_ROLES, type StaffRole } from './permissions.ts';

export const SESSION_COOKIE = 'bl_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000; // one shift

/** The signed-in member of staff behind a request. */
export type StaffPrincipal = {
  staffId: StaffId;
  forceId: ForceId;
  forceName: string;
  /** The force's code, which starts its references (DEMO-2026-000123). */
  forceCode: string;
  name: string;
  email: string;
  role: StaffRole;
  csrfToken: string;
  sessionId: string;
  /** When the session ends by itself; a live socket it opened closes then. */
  sessionExpiresAt: Date;
  /** Signed in with a one-time password: only change-password, me and logout are allowed. */
  mustChangePassword: boolean;
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function isStaffRole(value: string): value is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(value);
}

/**
 * Checks an email and password. Staff emails are unique across forces, so this is one of the few
 * lookups that runs across forces. Returns null on any mismatch, in the same time either way.
 * A deactivated account with the right password is refused with `account_deactivated`, so its
 * owner learns why (someone without the password learns nothing).
 */
export async function authenticateStaff(
  db: Db,
  email: string,
  password: string,
): Promise<{ staffId: StaffId; forceId: ForceId } | null> {
  const row = await withSystem(db, (tx) =>
    tx
      .selectFrom('staff')
      .select(['id', 'force_id', 'password_hash', 'is_active'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
      .executeTakeFirst(),
  );
  if (!row) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  const isValid = await verifyPassword(row.password_hash, password);
  if (!isValid) return null;
  if (!row.is_active) {
    throw new AppError('account_deactivated', 'sign-in to a deactivated account', {
      publicMessage: 'This account has been deactivated. Ask your force admin if you think this is wrong.',
    });
  }
  return { staffId: row.id as StaffId, forceId: row.force_id as ForceId };
}

/** Starts a session; returns the cookie token (only its hash is stored) and the CSRF token. */
export async function createSession(
  db: Db,
  clock: Clock,
  who: { staffId: StaffId; forceId: ForceId },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = clock.now();
  await withSystem(db, (tx) =>
    tx
      .insertInto('staff_sessions')
      .values({
        id: hashToken(token),
        force_id: who.forceId,
        staff_id: who.staffId,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: new Date(now.getTime() + SESSION_TTL_MS),
      })
      .execute(),
  );
  return { token, csrfToken };
}

/** The member of staff for a session cookie, or null if it is unknown, expired or deactivated. */
export async function resolveSession(db: Db, clock: Clock, token: string): Promise<StaffPrincipal | null> {
  if (token.length < 20 || token.length > 100) return null;
  return findLiveSession(db, clock, hashToken(token));
}

/** A stored session id: the hex SHA-256 of its token. */
const SESSION_ID = /^[0-9a-f]{64}$/;
/** Where the session id goes in the look-up's text. */
const SESSION_ID_SLOT = '$1';

function buildLiveSessionQuery(db: Db) {
  return db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff as st', 'st.id', 's.staff_id')
    .innerJoin('forces as f', 'f.id', 's.force_id')
    .select([
      's.id as session_id',
      's.csrf_token',
      's.expires_at',
      'st.id as staff_id',
      'st.force_id',
      'st.name',
      'st.email',
      'st.role',
      'st.is_active',
      'st.must_change_password',
      'f.name as force_name',
      'f.code as force_code',
    ])
    .where('s.id', '=', SESSION_ID_SLOT);
}

type LiveSessionRow = Awaited<ReturnType<ReturnType<typeof buildLiveSessionQuery>['executeTakeFirstOrThrow']>>;

/**
 * The session look-up runs on every staff request: its text is built once (the same for every
 * database), up to the id that ends it, so no request pays for building it.
 */
let liveSessionText: string | undefined;
function liveSessionSql(db: Db): string {
  if (liveSessionText === undefined) {
    const compiled = buildLiveSessionQuery(db).compile();
    if (compiled.parameters.length !== 1 || !compiled.sql.endsWith(SESSION_ID_SLOT)) throw new Error('the session look-up has one slot, at its end');
    liveSessionText = compiled.sql.slice(0, -SESSION_ID_SLOT.length);
  }
  return liveSessionText;
}

/**
 * A session by its stored id, as it is now: null once it has been signed out or ended, has
 * expired, or its member of staff is deactivated. What a long-lived connection (the console's live
 * stream) checks again, since it was authenticated once, when it opened.
 */
export async function findLiveSession(db: Db, clock: Clock, sessionId: string): Promise<StaffPrincipal | null> {
  // Stored ids are hashes (hashToken); anything else names no session, and only a hash goes into the text.
  if (!SESSION_ID.test(sessionId)) return null;
  const [row] = await readAsSystem<LiveSessionRow>(db, liveSessionSql(db), sessionId);
  if (!row || !row.is_active || row.expires_at.getTime() <= clock.now().getTime() || !isStaffRole(row.role)) {
    return null;
  }
  return {
    staffId: row.staff_id as StaffId,
    forceId: row.force_id as ForceId,
    forceName: row.force_name,
    forceCode: row.force_code,
    name: row.name,
    email: row.email,
    role: row.role,
    csrfToken: row.csrf_token,
    sessionId: row.session_id,
    sessionExpiresAt: row.expires_at,
    mustChangePassword: row.must_change_password,
  };
}

/**
 * Ends one session (signing out): the next request with its cookie gets 401, and on commit every
 * process closes the live sockets that session opened, and only those.
 */
export async function endSession(db: Db, session: { forceId: ForceId; staffId: StaffId; sessionId: string }): Promise<void> {
  await withSystem(db, async (tx) => {
    await tx.deleteFrom('staff_sessions').where('id', '=', session.sessionId).execute();
    await publishLive(tx, session.forceId, { type: 'staff.session_ended', staffId: session.staffId, sessionId: session.sessionId });
  });
}

/**
 * Ends every session of one member of staff (but `keepSessionId`, when given), in the caller's
 * transaction: the next request with any other cookie of theirs gets 401, and on commit their
 * open live sockets close. Returns how many ended.
 */
export async function endStaffSessions(tx: Tx, forceId: ForceId, staffId: string, keepSessionId?: string): Promise<number> {
  let query = tx.deleteFrom('staff_sessions').where('force_id', '=', forceId).where('staff_id', '=', staffId);
  if (keepSessionId) query = query.where('id', '!=', keepSessionId);
  const result = await query.executeTakeFirst();
  // On commit, every process closes the live sockets those sessions opened.
  await publishLive(tx, forceId, { type: 'staff.sessions_ended', staffId, keptSessionId: keepSessionId ?? null });
  return Number(result.numDeletedRows);
}
