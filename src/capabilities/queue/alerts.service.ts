import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { notFound } from '../../platform/errors.ts';
import { GRADE_LABELS } from '../grading/grading.schema.ts';
import type { IncidentAlertView } from '../incidents/incidents.schema.ts';
import { incidentBreachAlertAcknowledged } from '../incidents/response-clocks.events.ts';
import { VICTIM_UPDATES_ALERT_KIND, caseVictimUpdatesAlertAcknowledged } from '../cases/victims-code.events.ts';
import { caseAlertQuery, toCaseAlertView } from './case-alerts.service.ts';
import type { CaseAlertView } from './routing.schema.ts';
import { alertAcknowledged, alertRaised } from './queue.events.ts';
import { alertMoveEvent, alertStatus, canMoveAlert, moveAlert, type AlertKindOfAny, type AlertMoved } from './alert.machine.ts';
import { storedFirst, storedLast } from '../../platform/db/stored-order.ts';

export type AlertKind = 'threat_to_life' | 'sla_breach';

export type AlertView = {
  id: string;
  kind: AlertKind;
  contactId: string;
  contactReference: string;
  message: string;
  raisedAt: string;
  /**
   * A missed target's: when it was due (a breach found late, at the clock's stop, is raised long
   * after), and when its clock stopped (null while it runs). Null for a threat to life.
   */
  dueAt: string | null;
  clockStoppedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  note: string | null;
};

/**
 * Records an alert for supervisors; returns the `alert.raised` event for the caller to record
 * with its others, which pushes it to their consoles once it commits. An SLA alert is raised once
 * per clock.
 */
export async function raiseAlert(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: AlertInput,
): Promise<NewEvent> {
  const [event] = await raiseAlerts(tx, forceId, clock, [input]);
  if (!event) throw new Error('the alert was not raised');
  return event;
}

export type AlertInput = { kind: AlertKind; contactId: string; clockId?: string; message: string };

/** Raises several alerts with one insert (a batch of new contacts); their events in input order. */
export async function raiseAlerts(tx: Tx, forceId: ForceId, clock: Clock, inputs: readonly AlertInput[]): Promise<NewEvent[]> {
  if (inputs.length === 0) return [];
  const raisedAt = clock.now();
  const alerts = inputs.map((input) => ({ id: newId(), input, transition: moveAlert('new', input.kind, 'raise') }));
  await tx
    .insertInto('alerts')
    .values(
      alerts.map(({ id, input }) => ({
        id,
        force_id: forceId,
        kind: input.kind,
        contact_id: input.contactId,
        clock_id: input.clockId ?? null,
        message: input.message,
        raised_at: raisedAt,
      })),
    )
    .execute();
  return alerts.map(({ id, input, transition }) =>
    alertMoveEvent(
      transition,
      alertRaised.of({
        actor: { type: 'system', id: null },
        subjectId: input.contactId,
        data: { alertId: id, kind: input.kind, message: input.message, ...(input.clockId ? { clockId: input.clockId } : {}) },
      }),
    ),
  );
}

function alertQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('alerts as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .leftJoin('sla_clocks as k', 'k.id', 'a.clock_id')
    .leftJoin('staff as s', 's.id', 'a.acknowledged_by')
    .select([
      'a.id',
      'a.kind',
      'a.contact_id',
      'c.reference',
      'a.message',
      'a.raised_at',
      'k.due_at',
      'k.stopped_at',
      'a.acknowledged_at',
      'a.acknowledgement_note',
      's.name as acknowledged_by_name',
    ])
    .where('a.force_id', '=', forceId)
    // Alerts about contacts; an incident's missed target is answered with a breach reason (incidents' own list).
    .where('a.kind', 'in', ['threat_to_life', 'sla_breach']);
}

type AlertRow = {
  id: string;
  kind: AlertKind | 'response_breach' | typeof VICTIM_UPDATES_ALERT_KIND;
  contact_id: string | null;
  reference: string;
  message: string;
  raised_at: Date;
  due_at: Date | null;
  stopped_at: Date | null;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
  acknowledged_by_name: string | null;
};

function toAlertView(row: AlertRow): AlertView {
  // The query keeps contact alerts only; these say so to the compiler.
  if (row.kind === 'response_breach' || row.kind === VICTIM_UPDATES_ALERT_KIND || row.contact_id === null) throw new Error('an incident or case alert in the list of contact alerts');
  return {
    id: row.id,
    kind: row.kind,
    contactId: row.contact_id,
    contactReference: row.reference,
    message: row.message,
    raisedAt: row.raised_at.toISOString(),
    dueAt: row.due_at?.toISOString() ?? null,
    clockStoppedAt: row.stopped_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedByName: row.acknowledged_by_name,
    note: row.acknowledgement_note,
  };
}

/** Alerts still waiting for a supervisor, threat to life first, then oldest first. */
export async function listOpenAlerts(tx: Tx, forceId: ForceId): Promise<AlertView[]> {
  return (await openAlertRows(tx, forceId)).map(toAlertView);
}

function openAlertRows(tx: Tx, forceId: ForceId) {
  return alertQuery(tx, forceId)
    .select('a.seq')
    .where('a.acknowledged_at', 'is', null)
    .orderBy((eb) => eb.case().when('a.kind', '=', 'threat_to_life').then(0).else(1).end())
    .orderBy('a.raised_at')
    .orderBy('a.seq', storedFirst)
    .orderBy('a.id')
    .limit(200)
    .execute();
}

/** A contact's alerts, newest first. */
export async function listContactAlerts(tx: Tx, forceId: ForceId, contactId: string): Promise<AlertView[]> {
  const rows = await alertQuery(tx, forceId).where('a.contact_id', '=', contactId).orderBy('a.raised_at', 'desc').orderBy('a.seq', storedLast).orderBy('a.id', 'desc').execute();
  return rows.map(toAlertView);
}

/**
 * A supervisor acknowledges an alert: once, with their name and an optional note, as an event (of
 * the contact, or of the incident whose target was missed; the reason for a breach may still be owed).
 */
export async function acknowledgeAlert(
  deps: ServiceDeps,
  forceId: ForceId,
  alertId: string,
  staffId: StaffId,
  note: string | undefined,
): Promise<SupervisorAlertView> {
  return withForce(deps.db, forceId, async (tx) => {
    const found = await tx
      .selectFrom('alerts')
      .select(['id', 'kind', 'contact_id', 'incident_id', 'case_id', 'response_clock_id', 'put_right_at', 'acknowledged_at'])
      .where('force_id', '=', forceId)
      .where('id', '=', alertId)
      .forUpdate()
      .executeTakeFirst();
    if (!found) throw notFound('alert');
    // A second acknowledgement is the machine's refusal (409), in the words supervisors have always had.
    const transition = moveAlert(alertStatus(found), found.kind, 'acknowledge');
    await tx
      .updateTable('alerts')
      .set({ acknowledged_at: deps.clock.now(), acknowledged_by: staffId, acknowledgement_note: note ?? null })
      .where('force_id', '=', forceId)
      .where('id', '=', alertId)
      .execute();
    const actor = { type: 'staff', id: staffId } as const;
    if (found.kind === 'response_breach') {
      // The table's check keeps an incident and its clock on every alert of this kind.
      if (!found.incident_id || !found.response_clock_id) throw new Error(`response breach alert ${alertId} without its incident or clock`);
      record(tx, forceId, deps.clock, alertMoveEvent(transition, incidentBreachAlertAcknowledged.of({ actor, subjectId: found.incident_id, data: { alertId, clockId: found.response_clock_id, note: note ?? null } })));
      return toIncidentAlertView(await incidentAlertQuery(tx, forceId).where('a.id', '=', alertId).executeTakeFirstOrThrow());
    }
    if (found.kind === VICTIM_UPDATES_ALERT_KIND) {
      // The table's checks keep a case on every alert of this kind, and only there.
      if (!found.case_id) throw new Error(`case alert ${alertId} without its case`);
      record(tx, forceId, deps.clock, alertMoveEvent(transition, caseVictimUpdatesAlertAcknowledged.of({ actor, subjectId: found.case_id, data: { alertId, note: note ?? null } })));
      return toCaseAlertView(await caseAlertQuery(tx, forceId).where('a.id', '=', alertId).executeTakeFirstOrThrow());
    }
    if (!found.contact_id) throw new Error(`contact alert ${alertId} without its contact`);
    record(tx, forceId, deps.clock, alertMoveEvent(transition, alertAcknowledged.of({ actor, subjectId: found.contact_id, data: { alertId, kind: found.kind, note: note ?? null } })));
    return toAlertView(await alertQuery(tx, forceId).where('a.id', '=', alertId).executeTakeFirstOrThrow());
  });
}

function incidentAlertQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('alerts as a')
    .innerJoin('incidents as i', 'i.id', 'a.incident_id')
    .innerJoin('response_clocks as k', 'k.id', 'a.response_clock_id')
    .leftJoin('staff as s', 's.id', 'a.acknowledged_by')
    .select(['a.id', 'i.id as incident_id', 'i.number', 'k.id as clock_id', 'k.kind as clock_kind', 'k.grade', 'k.due_at', 'a.message', 'a.raised_at', 'a.acknowledged_at', 'a.acknowledgement_note', 's.name as acknowledged_by_name'])
    .where('a.force_id', '=', forceId)
    .where('a.kind', '=', 'response_breach');
}

type IncidentAlertRow = Awaited<ReturnType<ReturnType<typeof incidentAlertQuery>['executeTakeFirstOrThrow']>>;

function toIncidentAlertView(row: IncidentAlertRow): IncidentAlertView {
  return {
    id: row.id,
    kind: 'response_breach',
    incidentId: row.incident_id,
    incidentReference: `INC-${row.number}`,
    grade: { code: row.grade, label: GRADE_LABELS[row.grade] },
    clockId: row.clock_id,
    clockKind: row.clock_kind,
    dueAt: row.due_at.toISOString(),
    message: row.message,
    raisedAt: row.raised_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedByName: row.acknowledged_by_name,
    note: row.acknowledgement_note,
  };
}

/** What supervisors are alerted to: a contact's alert, an incident's missed response target, or a case's unopened clocks. */
export type SupervisorAlertView = AlertView | IncidentAlertView | CaseAlertView;

/**
 * Every alert waiting for a supervisor, about contacts, incidents and cases alike: threats to life first,
 * then oldest first, and of those raised at the same time the first stored first (decision 0157),
 * whatever their kind, as each kind's own list orders them.
 */
export async function listSupervisorAlerts(tx: Tx, forceId: ForceId): Promise<SupervisorAlertView[]> {
  const incidentRows = await incidentAlertQuery(tx, forceId).select('a.seq').where('a.acknowledged_at', 'is', null).orderBy('a.raised_at').orderBy('a.seq', storedFirst).orderBy('a.id').limit(200).execute();
  const caseRows = await caseAlertQuery(tx, forceId).select('a.seq').where('a.acknowledged_at', 'is', null).orderBy('a.raised_at').orderBy('a.seq', storedFirst).orderBy('a.id').limit(200).execute();
  const all: { view: SupervisorAlertView; raisedAt: Date; seq: number | null }[] = [
    ...(await openAlertRows(tx, forceId)).map((row) => ({ view: toAlertView(row), raisedAt: row.raised_at, seq: row.seq })),
    ...incidentRows.map((row) => ({ view: toIncidentAlertView(row), raisedAt: row.raised_at, seq: row.seq })),
    ...caseRows.map((row) => ({ view: toCaseAlertView(row), raisedAt: row.raised_at, seq: row.seq })),
  ];
  return all.sort(inSupervisorOrder).map(({ view }) => view);
}

/**
 * The one order of the supervisors' list, the same as each kind's query: threat to life, time,
 * the order stored (none, for rows stored before `seq`, first), then the id. Total: the list reads
 * the same at every request, whichever kind's query met a row first.
 */
function inSupervisorOrder(a: { view: SupervisorAlertView; raisedAt: Date; seq: number | null }, b: typeof a): number {
  const rank = (alert: SupervisorAlertView) => (alert.kind === 'threat_to_life' ? 0 : 1);
  const bySeq = a.seq === b.seq ? 0 : a.seq === null ? -1 : b.seq === null ? 1 : a.seq - b.seq;
  const byId = a.view.id < b.view.id ? -1 : a.view.id > b.view.id ? 1 : 0;
  return rank(a.view) - rank(b.view) || a.raisedAt.getTime() - b.raisedAt.getTime() || bySeq || byId;
}

/**
 * Raises the supervisors' alert for an incident's missed response target, once per clock; returns
 * it for the breach event, which says so. It stays open until someone records why.
 */
export async function raiseIncidentAlert(tx: Tx, forceId: ForceId, clock: Clock, input: { incidentId: string; responseClockId: string; message: string }): Promise<AlertMoved<'incident.clock_breached'>> {
  // The caller holds the clock's row and marks its breach once; the unique index is the last word.
  const { event } = moveAlert('new', 'response_breach', 'raise');
  const id = newId();
  await tx
    .insertInto('alerts')
    .values({ id, force_id: forceId, kind: 'response_breach', contact_id: null, clock_id: null, incident_id: input.incidentId, response_clock_id: input.responseClockId, message: input.message, raised_at: clock.now() })
    .execute();
  return { alertId: id, event };
}

/** The alerts of missed response targets a statement picks, locked in id order, with their state. */
function lockBreachAlerts(tx: Tx, forceId: ForceId) {
  return tx.selectFrom('alerts').select(['id', 'kind', 'response_clock_id', 'acknowledged_at']).where('force_id', '=', forceId).where('kind', '=', 'response_breach').orderBy('id').forUpdate();
}

/** Acknowledges, as the machine says, the alerts it lets `move` close. */
async function closeBreachAlerts<M extends 'close_with_reason' | 'close_merged'>(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  found: readonly { id: string; kind: AlertKindOfAny; response_clock_id: string | null; acknowledged_at: Date | null }[],
  move: M,
  input: { staffId: StaffId; note: string },
) {
  // A reason or a merge after a supervisor's acknowledgement leaves the alert as it was.
  const closing = found.filter((row) => canMoveAlert(alertStatus(row), row.kind, move)).map((row) => ({ row, transition: moveAlert(alertStatus(row), row.kind, move) }));
  if (closing.length === 0) return [];
  await tx
    .updateTable('alerts')
    .set({ acknowledged_at: clock.now(), acknowledged_by: input.staffId, acknowledgement_note: input.note })
    .where('force_id', '=', forceId)
    .where('id', 'in', closing.map(({ row }) => row.id))
    .execute();
  return closing;
}

/**
 * Closes the alert of a missed response target once its reason is recorded, if no supervisor had
 * acknowledged it; returns it then, for the reason's event (which says who), else null.
 */
export async function acknowledgeIncidentAlert(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { responseClockId: string; staffId: StaffId; note: string },
): Promise<AlertMoved<'incident.breach_reason_recorded'> | null> {
  const found = await lockBreachAlerts(tx, forceId).where('response_clock_id', '=', input.responseClockId).execute();
  const [closed] = await closeBreachAlerts(tx, forceId, clock, found, 'close_with_reason', input);
  return closed ? { alertId: closed.row.id, event: closed.transition.event } : null;
}

/**
 * Closes every alert still open about an incident's missed targets, with one note (a duplicate
 * merged away: its response is measured on the incident it went into); returns each closed alert
 * and its clock, for the caller's events.
 */
export async function acknowledgeIncidentAlerts(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { incidentId: string; staffId: StaffId; note: string },
): Promise<(AlertMoved<'incident.breach_alert_acknowledged'> & { clockId: string })[]> {
  const found = await lockBreachAlerts(tx, forceId).where('incident_id', '=', input.incidentId).execute();
  const closed = await closeBreachAlerts(tx, forceId, clock, found, 'close_merged', input);
  return closed
    .flatMap(({ row, transition }) => (row.response_clock_id ? [{ alertId: row.id, clockId: row.response_clock_id, event: transition.event }] : []))
    .sort((a, b) => a.alertId.localeCompare(b.alertId));
}

/**
 * Moves the alert of a missed response target from one clock to the clock that took its breach
 * over (a regrade past a target already missed): the breach is one, so is its alert, and the
 * reason recorded on the clock now running closes it. Returns each alert moved, for the new
 * clock's `incident.clock_started`, which names the clock it took the breach from.
 */
export async function moveIncidentAlert(tx: Tx, forceId: ForceId, input: { fromClockId: string; toClockId: string }): Promise<AlertMoved<'incident.clock_started'>[]> {
  const found = await lockBreachAlerts(tx, forceId).where('response_clock_id', '=', input.fromClockId).execute();
  const moved = found.map((row) => ({ alertId: row.id, event: moveAlert(alertStatus(row), row.kind, 'follow_breach').event }));
  if (moved.length === 0) return [];
  await tx.updateTable('alerts').set({ response_clock_id: input.toClockId }).where('force_id', '=', forceId).where('id', 'in', moved.map((m) => m.alertId)).execute();
  return moved;
}
