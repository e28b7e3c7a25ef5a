import { createHmac, timingSafeEqual } from 'node:crypto';
import { withForce, type Tx } from '../../platform/db/database.ts';
import { type CaseId, type ForceId, type PersonId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { queueTemplated } from '../journeys/journeys.service.ts';
import { findCodeAddress, type OwnAddresses } from '../report-status/code-address.service.ts';
import {
  MAX_CODE_ATTEMPTS,
  normaliseCode,
  normaliseReference,
  issuePortalCode,
  type ReportStatusDeps,
} from '../report-status/report-status.service.ts';
import type { Clock } from '../../platform/clock.ts';
import { endingEventOf, portalSignInState, type PortalSignInEnding } from '../report-status/portal-sign-in.machine.ts';
import { portalCaseAccessGranted, portalCaseCodeSent, portalCaseSignInEnded } from './victim-portal.events.ts';
import { storedFirst, storedLast } from '../../platform/db/stored-order.ts';

/**
 * Signing in to a case on the portal: the case reference and a one-time code sent to the victim's
 * own address (email, else a text to their phone). Same rules as a report's codes (decision 0005): six digits, 15 minutes, five tries,
 * at most five an hour, stored only as an HMAC under a key that is not in the database, and the
 * same quiet answer whether or not the reference exists. Each victim of the case (and the person
 * who reported it) gets a code of their own, so the session it opens is one victim's, on one case.
 */

const CODE_PATTERN = /^\d{6}$/;
const DUMMY_HASH = '0'.repeat(64);
/** An id no row has (ids are random v4 UUIDs), so an unknown reference costs the same queries. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * What a right code opens: this case, for this person, under the victim row they were on (null for
 * a reporter with none) and this sign-in (the code's id), decision 0155.
 */
export type CaseAccess = { caseId: CaseId; personId: PersonId; victimRowId: string | null; signInId: string };
/** What a case sign-in (or a page shown under it) was granted under: the case, the person and their victim row. */
export type CaseGrant = { caseId: string; personId: string; victimRowId: string | null };
/** A case sign-in as a cookie names it: what it was granted under, and the sign-in's id. */
export type CaseAccessNamed = CaseGrant & { signInId: string };

function hashCaseCode(secret: string, forceId: ForceId, caseId: string, personId: string, code: string): string {
  // A label of its own: a case code's hash can never stand for a report's.
  return createHmac('sha256', secret).update(`portal-case-code:v1:${forceId}:${caseId}:${personId}:${code}`).digest('hex');
}

function hashesMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

async function findCaseByReference(tx: Tx, forceId: ForceId, reference: string) {
  return tx
    .selectFrom('cases as c')
    .innerJoin('forces as f', 'f.id', 'c.force_id')
    .select(['c.id', 'c.reference', 'c.person_id', 'f.name as force_name'])
    .where('c.force_id', '=', forceId)
    .where('c.reference', '=', reference)
    .executeTakeFirst();
}

/**
 * One person who may follow a case, with their victim row and the addresses on it (both null for a
 * reporter said not to be its victim).
 */
export type CaseVictimPerson = { personId: string; victimRowId: string | null; own: OwnAddresses | null };

/**
 * The people a case's updates belong to: every victim on it who is a known person (the reporter of
 * its contact among them, decision 0056), each once, and the reporter even when the officer said
 * they are not the victim: they may follow their own report. A person removed as a victim (and
 * not on it again) may not. Witnesses and suspects never sign in here. Each comes with the
 * addresses on their victim row, which their codes go to first (`findCodeAddress`).
 */
export async function listCaseVictimPeople(tx: Tx, forceId: ForceId, caseId: string, casePersonId: string | null): Promise<CaseVictimPerson[]> {
  const victims = await tx
    .selectFrom('case_people')
    .select(['id', 'person_id', 'removed_at', 'email', 'phone'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('role', '=', 'victim')
    .where('person_id', 'is not', null)
    .orderBy('added_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
  const people = new Map<string, CaseVictimPerson>();
  for (const victim of victims) {
    if (victim.person_id && !victim.removed_at && !people.has(victim.person_id)) people.set(victim.person_id, { personId: victim.person_id, victimRowId: victim.id, own: { email: victim.email, phone: victim.phone } });
  }
  const wasRemoved = victims.some((victim) => victim.person_id === casePersonId && victim.removed_at);
  if (casePersonId && !wasRemoved && !people.has(casePersonId)) people.set(casePersonId, { personId: casePersonId, victimRowId: null, own: null });
  return [...people.values()];
}

/** Whether `personId` may still follow the case (a victim removed from it may not). */
export async function isCaseVictim(tx: Tx, forceId: ForceId, caseId: string, personId: string): Promise<boolean> {
  return (await findCaseVictimPerson(tx, forceId, caseId, personId)) !== null;
}

/** Whether `personId` may still follow the case from the portal: a victim removed from it (or a case not the force's) may not. */
export async function mayFollowCase(deps: Pick<ReportStatusDeps, 'db'>, forceId: ForceId, caseId: string, personId: string): Promise<boolean> {
  return withForce(deps.db, forceId, (tx) => isCaseVictim(tx, forceId, caseId, personId));
}

/**
 * Whether a sign-in granted under `grant` still holds: its victim row is still on the case, not
 * removed (a victim added again is on a new row, and signs in again). A reporter who had no victim
 * row when signing in keeps it while they may follow the case and no victim row of theirs on it has
 * been removed since: they had none then (decision 0155).
 */
export async function isCaseGrantCurrent(deps: Pick<ReportStatusDeps, 'db'>, forceId: ForceId, grant: CaseGrant): Promise<boolean> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom('case_people')
      .select(['id', 'removed_at'])
      .where('force_id', '=', forceId)
      .where('case_id', '=', grant.caseId)
      .where('person_id', '=', grant.personId)
      .where('role', '=', 'victim')
      .execute();
    if (grant.victimRowId !== null) return rows.some((row) => row.id === grant.victimRowId && row.removed_at === null);
    return !rows.some((row) => row.removed_at !== null) && (await isCaseVictim(tx, forceId, grant.caseId, grant.personId));
  });
}

/** Where a case sign-in stands: it holds; it has ended (or is not this case's, victim's or force's); its victim row has been taken off the case. */
export type CaseSignInState = 'current' | 'ended' | 'removed';

/**
 * Whether the sign-in a case cookie names still holds (decision 0158): the server keeps it, for
 * this force, case, victim and victim row, until its end, until the victim signs in to the case
 * again, or until housekeeping deletes it; and it was granted under a victim row still on the case
 * (`isCaseGrantCurrent`, decision 0155). A cookie naming another case, victim, row or force than its
 * sign-in's is `ended`, as is one whose sign-in has gone.
 */
export async function checkCaseSignIn(deps: Pick<ReportStatusDeps, 'db' | 'clock'>, forceId: ForceId, access: CaseAccessNamed): Promise<CaseSignInState> {
  const signIn = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('portal_case_sign_ins')
      .select(['case_id', 'person_id', 'victim_row_id', 'expires_at'])
      .where('force_id', '=', forceId)
      .where('id', '=', access.signInId)
      .executeTakeFirst(),
  );
  const isSame = signIn && signIn.case_id === access.caseId && signIn.person_id === access.personId && signIn.victim_row_id === access.victimRowId;
  if (!isSame || signIn.expires_at.getTime() <= deps.clock.now().getTime()) return 'ended';
  return (await isCaseGrantCurrent(deps, forceId, access)) ? 'current' : 'removed';
}

/**
 * Ends the sign-in a case cookie names (the victim signing out, decision 0170, or asking for a new
 * code on the browser holding it: `how`), wherever copies of its cookie are, and says whether it
 * still held until now; only then is its ending recorded (decision 0180). A cookie naming another
 * case, victim or victim row than its sign-in's ends nothing.
 */
export async function endCaseSignIn(deps: Pick<ReportStatusDeps, 'db' | 'clock'>, forceId: ForceId, access: CaseAccessNamed, how: Exclude<PortalSignInEnding, 'signed_in_again'>): Promise<boolean> {
  return withForce(deps.db, forceId, async (tx) => {
    const named = tx
      .deleteFrom('portal_case_sign_ins')
      .where('force_id', '=', forceId)
      .where('id', '=', access.signInId)
      .where('case_id', '=', access.caseId)
      .where('person_id', '=', access.personId);
    const ended = await (access.victimRowId === null ? named.where('victim_row_id', 'is', null) : named.where('victim_row_id', '=', access.victimRowId)).returning(['expires_at']).executeTakeFirst();
    return recordCaseSignInEnded(tx, forceId, deps.clock, { ...access, row: ended }, how);
  });
}

/** Records a removed case sign-in's ending when it was held until now: the machine's one event, or nothing. */
function recordCaseSignInEnded(tx: Tx, forceId: ForceId, clock: Clock, signIn: { caseId: string; personId: string; signInId: string; row: { expires_at: Date } | undefined }, how: PortalSignInEnding): boolean {
  if (endingEventOf('case', portalSignInState(signIn.row, clock.now()), how) !== portalCaseSignInEnded.type) return false;
  record(tx, forceId, clock, portalCaseSignInEnded.of({ actor: { type: 'public', id: null }, subjectId: signIn.caseId, data: { signInId: signIn.signInId, personId: signIn.personId, how } }));
  return true;
}

/** The person, if they may still follow the case, with their victim row and the addresses on it. */
export async function findCaseVictimPerson(tx: Tx, forceId: ForceId, caseId: string, personId: string): Promise<CaseVictimPerson | null> {
  const row = await tx.selectFrom('cases').select('person_id').where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!row) return null;
  return (await listCaseVictimPeople(tx, forceId, caseId, row.person_id)).find((victim) => victim.personId === personId) ?? null;
}

/**
 * Sends a fresh code for the case with this reference to each of its victims we can reach (email,
 * else a text: `findCodeAddress`). Says nothing either way: an unknown reference, a case with nobody to write to and a
 * victim over their hourly allowance all return quietly.
 */
export async function requestCaseAccessCode(deps: ReportStatusDeps, forceId: ForceId, reference: string, language?: string): Promise<void> {
  const wanted = normaliseReference(reference);
  if (wanted.length === 0 || wanted.length > 64) return;
  await withForce(deps.db, forceId, async (tx) => {
    const found = await findCaseByReference(tx, forceId, wanted);
    if (!found) return;
    for (const { personId, own } of await listCaseVictimPeople(tx, forceId, found.id, found.person_id)) {
      const address = await findCodeAddress(tx, forceId, personId, own);
      if (!address) continue;
      const issued = await issuePortalCode(tx, deps, forceId, { caseId: found.id, personId }, (code) => hashCaseCode(deps.codeSecret, forceId, found.id, personId, code));
      if (!issued) continue;
      const { codeId, code } = issued;
      // The report's code message, naming the case's reference: the victim checks on it the same way.
      const { outboxId } = await queueTemplated(tx, forceId, deps.clock, {
        channel: address.channel,
        templateKey: 'portal.access_code',
        values: { reference: found.reference, code, forceName: found.force_name },
        recipient: address.recipient,
        purpose: 'portal.access_code',
        idempotencyKey: `case-code:${codeId}`,
        caseId: found.id,
        language: language ?? null,
      });
      record(
        tx,
        forceId,
        deps.clock,
        portalCaseCodeSent.of({ actor: { type: 'public', id: null }, subjectId: found.id, data: { codeId, personId, ...(outboxId ? { outboxId } : {}) } }),
      );
    }
  });
}

/**
 * Checks a code against the newest live code of each victim of the case. A wrong guess counts
 * against every one of them; an unknown reference, a spent, expired or worn-out code and a wrong
 * code all give the same null. A right one opens a sign-in, held until `signInEnds` (the end its
 * cookie carries), and ends the victim's earlier sign-ins to the case (decision 0158).
 */
export async function verifyCaseAccessCode(deps: ReportStatusDeps, forceId: ForceId, reference: string, code: string, signInEnds: Date): Promise<CaseAccess | null> {
  const wanted = normaliseReference(reference);
  const given = normaliseCode(code);
  if (wanted.length === 0 || wanted.length > 64 || !CODE_PATTERN.test(given)) return null;
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const found = await findCaseByReference(tx, forceId, wanted);
    const caseId = found?.id ?? NO_ID;
    // Locked, so parallel guesses are counted one after another and cannot exceed the allowance.
    const rows = await tx
      .selectFrom('portal_codes')
      .select(['id', 'person_id', 'code_hash', 'attempts'])
      .where('force_id', '=', forceId)
      .where('case_id', '=', caseId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('seq', storedLast)
      .orderBy('id', 'desc')
      .limit(50)
      .forUpdate()
      .execute();
    const newestPerPerson = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (row.person_id && !newestPerPerson.has(row.person_id)) newestPerPerson.set(row.person_id, row);
    const live = [...newestPerPerson.values()].filter((row) => Number(row.attempts) < MAX_CODE_ATTEMPTS);
    // Always pay for at least one HMAC, whether or not there is anything to compare.
    let granted: (typeof live)[number] | null = null;
    for (const row of live.length > 0 ? live : [null]) {
      const personId = row?.person_id ?? NO_ID;
      const matches = hashesMatch(hashCaseCode(deps.codeSecret, forceId, caseId, personId, given), row?.code_hash ?? DUMMY_HASH);
      if (matches && row && !granted) granted = row;
    }
    if (!found || live.length === 0) return null;
    if (!granted?.person_id) {
      await tx
        .updateTable('portal_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('force_id', '=', forceId)
        .where(
          'id',
          'in',
          live.map((row) => row.id),
        )
        .execute();
      return null;
    }
    // A victim removed from the case since the code was sent is not let in.
    const victim = await findCaseVictimPerson(tx, forceId, found.id, granted.person_id);
    if (!victim) return null;
    await tx.updateTable('portal_codes').set({ used_at: now }).where('force_id', '=', forceId).where('id', '=', granted.id).execute();
    // One sign-in per victim per case: a code sent again and used ends the one before, wherever its cookie is.
    const earlier = await tx
      .deleteFrom('portal_case_sign_ins')
      .where('force_id', '=', forceId)
      .where('case_id', '=', found.id)
      .where('person_id', '=', granted.person_id)
      .returning(['id', 'expires_at'])
      .execute();
    for (const row of earlier.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      recordCaseSignInEnded(tx, forceId, deps.clock, { caseId: found.id, personId: granted.person_id, signInId: row.id, row }, 'signed_in_again');
    }
    await tx
      .insertInto('portal_case_sign_ins')
      .values({ id: granted.id, force_id: forceId, case_id: found.id, person_id: granted.person_id, victim_row_id: victim.victimRowId, created_at: now, expires_at: signInEnds })
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      portalCaseAccessGranted.of({ actor: { type: 'public', id: null }, subjectId: found.id, data: { codeId: granted.id, personId: granted.person_id } }),
    );
    return { caseId: found.id as CaseId, personId: granted.person_id as PersonId, victimRowId: victim.victimRowId, signInId: granted.id };
  });
}
