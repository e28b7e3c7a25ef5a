import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { VICTIM_UPDATES_ALERT_KIND } from '../cases/victims-code.events.ts';
import type { CaseAlertView } from './routing.schema.ts';
import { alertStatus, moveAlert, type AlertMoved } from './alert.machine.ts';

// The supervisors' alerts about cases whose Victims' Code clocks could not be opened (decisions
// 0123, 0128): raised by the sweep's first failure, put right when the clocks are opened, open
// again should they fail again before a supervisor acknowledges it. The cases room records each
// move's event on the case.

/** The alerts about cases, with their case's reference and who acknowledged them. */
export function caseAlertQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('alerts as a')
    .innerJoin('cases as c', (join) => join.onRef('c.id', '=', 'a.case_id').onRef('c.force_id', '=', 'a.force_id'))
    .leftJoin('staff as s', 's.id', 'a.acknowledged_by')
    .select(['a.id', 'c.id as case_id', 'c.reference', 'a.message', 'a.raised_at', 'a.put_right_at', 'a.acknowledged_at', 'a.acknowledgement_note', 's.name as acknowledged_by_name'])
    .where('a.force_id', '=', forceId)
    .where('a.kind', '=', VICTIM_UPDATES_ALERT_KIND);
}

/** What supervisors read of a case's alert. */
export function toCaseAlertView(row: Awaited<ReturnType<ReturnType<typeof caseAlertQuery>['executeTakeFirstOrThrow']>>): CaseAlertView {
  return {
    id: row.id,
    kind: VICTIM_UPDATES_ALERT_KIND,
    caseId: row.case_id,
    caseReference: row.reference,
    message: row.message,
    raisedAt: row.raised_at.toISOString(),
    putRightAt: row.put_right_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedByName: row.acknowledged_by_name,
    note: row.acknowledgement_note,
  };
}

/**
 * Raises the supervisors' alert that a case's Victims' Code clocks could not be opened (decision
 * 0123), unless one about the case still waits for them; returns it for the caller's
 * `case.victim_updates_not_opened`, which says so, or null when one was waiting already.
 */
export async function raiseCaseAlert(tx: Tx, forceId: ForceId, clock: Clock, input: { caseId: string; message: string }): Promise<AlertMoved<'case.victim_updates_not_opened'> | null> {
  const { event } = moveAlert('new', VICTIM_UPDATES_ALERT_KIND, 'raise');
  const id = newId();
  const raised = await tx
    .insertInto('alerts')
    .values({ id, force_id: forceId, kind: VICTIM_UPDATES_ALERT_KIND, contact_id: null, clock_id: null, case_id: input.caseId, message: input.message, raised_at: clock.now() })
    // One open alert a case (a partial unique index): a second sweep at once adds none.
    .onConflict((oc) => oc.columns(['force_id', 'case_id']).where('case_id', 'is not', null).where('acknowledged_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return raised ? { alertId: raised.id, event } : null;
}


/** A case's alert that waits for a supervisor, locked, with its state; none when it has been acknowledged. */
function lockWaitingCaseAlerts(tx: Tx, forceId: ForceId, caseIds: readonly string[]) {
  return tx
    .selectFrom('alerts')
    .select(['id', 'case_id', 'put_right_at', 'acknowledged_at'])
    .where('force_id', '=', forceId)
    .where('kind', '=', VICTIM_UPDATES_ALERT_KIND)
    .where('case_id', 'in', caseIds)
    .where('acknowledged_at', 'is', null)
    .orderBy('id')
    .forUpdate();
}

/**
 * Puts right, as the machine says, the alert still open about each of these cases: their clocks
 * were opened (decision 0128). The alert stays for a supervisor, saying when it was put right.
 * Returns each alert put right and its case, for the caller's `case.victim_updates_put_right`.
 */
export async function putRightCaseAlerts(tx: Tx, forceId: ForceId, clock: Clock, caseIds: readonly string[]): Promise<(AlertMoved<'case.victim_updates_put_right'> & { caseId: string })[]> {
  if (caseIds.length === 0) return [];
  const found = await lockWaitingCaseAlerts(tx, forceId, caseIds).where('put_right_at', 'is', null).execute();
  const moved = found.flatMap((row) => (row.case_id ? [{ alertId: row.id, caseId: row.case_id, event: moveAlert(alertStatus(row), VICTIM_UPDATES_ALERT_KIND, 'put_right').event }] : []));
  if (moved.length === 0) return [];
  await tx.updateTable('alerts').set({ put_right_at: clock.now() }).where('force_id', '=', forceId).where('id', 'in', moved.map((m) => m.alertId)).execute();
  return moved;
}

/**
 * Opens again the case's alert that was put right but not yet acknowledged: its clocks could not
 * be opened again (decision 0128). Returns it for the caller's `case.victim_updates_not_opened`,
 * which says so, or null when the case has no such alert.
 */
export async function openCaseAlertAgain(tx: Tx, forceId: ForceId, caseId: string): Promise<AlertMoved<'case.victim_updates_not_opened'> | null> {
  const [found] = await lockWaitingCaseAlerts(tx, forceId, [caseId]).where('put_right_at', 'is not', null).execute();
  if (!found) return null;
  const { event } = moveAlert(alertStatus(found), VICTIM_UPDATES_ALERT_KIND, 'fail_again');
  await tx.updateTable('alerts').set({ put_right_at: null }).where('force_id', '=', forceId).where('id', '=', found.id).execute();
  return { alertId: found.id, event };
}
