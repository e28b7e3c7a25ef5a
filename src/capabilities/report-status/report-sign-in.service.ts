import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { record } from '../../platform/events/recorder.ts';
import { endingEventOf, portalSignInState, type PortalSignInEnding } from './portal-sign-in.machine.ts';
import { portalReportSignInEnded } from './report-status.events.ts';

/**
 * A reporter's sign-in to their report's page, held by the server (decision 0167), as a victim's to
 * their case page is (decision 0158): the signed cookie names the report and the sign-in, and holds
 * only while the server holds that sign-in, for that report, in that force, until its end. A code
 * used for the report ends the earlier sign-ins to it, wherever their cookies are; signing out ends
 * the sign-in the cookie names; housekeeping deletes those past their end. Each ending of a sign-in
 * still held is a move of `portal-sign-in.machine.ts`, recorded with its one event (decision 0180).
 */

/** A report sign-in as its cookie names it: the report (its contact) and the sign-in's id (its code's). */
export type ReportSignIn = { contactId: string; signInId: string };

/** Where a report sign-in stands: it holds, or it has ended (or is not this report's or this force's). */
export type ReportSignInState = 'current' | 'ended';

/**
 * Opens a sign-in to the report, held until `ends`, in the transaction that spends its code, and
 * ends the report's earlier sign-ins (their rows deleted, as staff sessions are; each still held
 * records its ending, `signed_in_again`). One sign-in per report: a copy of an earlier cookie opens
 * nothing from now on.
 */
export async function openReportSignIn(tx: Tx, forceId: ForceId, clock: Clock, signIn: ReportSignIn, ends: Date): Promise<void> {
  const now = clock.now();
  const earlier = await tx
    .deleteFrom('portal_report_sign_ins')
    .where('force_id', '=', forceId)
    .where('contact_id', '=', signIn.contactId)
    .returning(['id', 'expires_at'])
    .execute();
  for (const row of sortedById(earlier)) recordReportSignInEnded(tx, forceId, clock, { contactId: signIn.contactId, signInId: row.id }, row, 'signed_in_again');
  await tx
    .insertInto('portal_report_sign_ins')
    .values({ id: signIn.signInId, force_id: forceId, contact_id: signIn.contactId, created_at: now, expires_at: ends })
    .execute();
}

/** Rows in id order, so the events of one statement's rows come in the same order on both engines. */
function sortedById<R extends { id: string }>(rows: R[]): R[] {
  return [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Records a removed sign-in's ending when it was held until now: the machine's one event, or nothing. */
function recordReportSignInEnded(tx: Tx, forceId: ForceId, clock: Clock, signIn: ReportSignIn, row: { expires_at: Date } | undefined, how: PortalSignInEnding): boolean {
  const type = endingEventOf('report', portalSignInState(row, clock.now()), how);
  if (type !== portalReportSignInEnded.type) return false;
  record(tx, forceId, clock, portalReportSignInEnded.of({ actor: { type: 'public', id: null }, subjectId: signIn.contactId, data: { signInId: signIn.signInId, how } }));
  return true;
}

/**
 * Whether the sign-in a report cookie names still holds: its row is in this force, for this report,
 * and not past its end. A cookie naming another report than its sign-in's, or a sign-in of another
 * force, is `ended`, as is one whose sign-in has gone.
 */
export async function checkReportSignIn(deps: Pick<ServiceDeps, 'db' | 'clock'>, forceId: ForceId, signIn: ReportSignIn): Promise<ReportSignInState> {
  const row = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('portal_report_sign_ins')
      .select(['contact_id', 'expires_at'])
      .where('force_id', '=', forceId)
      .where('id', '=', signIn.signInId)
      .executeTakeFirst(),
  );
  if (!row || row.contact_id !== signIn.contactId) return 'ended';
  return row.expires_at.getTime() > deps.clock.now().getTime() ? 'current' : 'ended';
}

/**
 * Ends the sign-in a cookie names (signing out, or asking for a new code on the same browser:
 * `how`), and says whether it still held until now; only then is its ending recorded. A cookie
 * naming another report's sign-in ends nothing.
 */
export async function endReportSignIn(deps: Pick<ServiceDeps, 'db' | 'clock'>, forceId: ForceId, signIn: ReportSignIn, how: Exclude<PortalSignInEnding, 'signed_in_again'>): Promise<boolean> {
  return withForce(deps.db, forceId, async (tx) => {
    const ended = await tx
      .deleteFrom('portal_report_sign_ins')
      .where('force_id', '=', forceId)
      .where('id', '=', signIn.signInId)
      .where('contact_id', '=', signIn.contactId)
      .returning(['expires_at'])
      .executeTakeFirst();
    return recordReportSignInEnded(tx, forceId, deps.clock, signIn, ended, how);
  });
}
