import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { ServiceDeps } from '../../platform/deps.ts';

/**
 * A reporter's sign-in to their report's page, held by the server (decision 0167), as a victim's to
 * their case page is (decision 0158): the signed cookie names the report and the sign-in, and holds
 * only while the server holds that sign-in, for that report, in that force, until its end. A code
 * used for the report ends the earlier sign-ins to it, wherever their cookies are; signing out ends
 * the sign-in the cookie names; housekeeping deletes those past their end.
 */

/** A report sign-in as its cookie names it: the report (its contact) and the sign-in's id (its code's). */
export type ReportSignIn = { contactId: string; signInId: string };

/** Where a report sign-in stands: it holds, or it has ended (or is not this report's or this force's). */
export type ReportSignInState = 'current' | 'ended';

/**
 * Opens a sign-in to the report, held until `ends`, in the transaction that spends its code, and
 * ends the report's earlier sign-ins (their rows deleted, as staff sessions are; the grants are in
 * the log). One sign-in per report: a copy of an earlier cookie opens nothing from now on.
 */
export async function openReportSignIn(tx: Tx, forceId: ForceId, signIn: ReportSignIn, now: Date, ends: Date): Promise<void> {
  await tx.deleteFrom('portal_report_sign_ins').where('force_id', '=', forceId).where('contact_id', '=', signIn.contactId).execute();
  await tx
    .insertInto('portal_report_sign_ins')
    .values({ id: signIn.signInId, force_id: forceId, contact_id: signIn.contactId, created_at: now, expires_at: ends })
    .execute();
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
 * Ends the sign-in a cookie names (signing out, or asking for a new code on the same browser), and
 * says whether it still held until now. A cookie naming another report's sign-in ends nothing.
 */
export async function endReportSignIn(deps: Pick<ServiceDeps, 'db' | 'clock'>, forceId: ForceId, signIn: ReportSignIn): Promise<boolean> {
  const ended = await withForce(deps.db, forceId, (tx) =>
    tx
      .deleteFrom('portal_report_sign_ins')
      .where('force_id', '=', forceId)
      .where('id', '=', signIn.signInId)
      .where('contact_id', '=', signIn.contactId)
      .returning(['expires_at'])
      .executeTakeFirst(),
  );
  return ended !== undefined && ended.expires_at.getTime() > deps.clock.now().getTime();
}
