import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import type { BatchJobHandler } from '../../platform/jobs/jobs.ts';
import { clockChecksOf } from '../../platform/jobs/clock-checks.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { acknowledgeIncidentAlert, moveIncidentAlert, raiseIncidentAlert } from '../queue/alerts.service.ts';
import type { AlertMoved } from '../queue/alert.machine.ts';
import { alertMoveEvent } from '../queue/alert.machine.ts';
import { GRADE_LABELS } from '../grading/grading.schema.ts';
import { planResponseClock, responseClockKindFor, settingOf, type ResponseClockKind, type ResponseMilestones, type ResponseTarget } from './response-clock.schema.ts';
import { CLOCK_STOP_REASONS, ResponseClockMoveRefused, nextResponseClockState, responseClockState, type ClockStopCause, type ResponseClockMove, type ResponseClockState } from './response-clock.machine.ts';
import { incidentBreachReasonRecorded, incidentClockBreached, incidentClockStarted, incidentClockWarning } from './response-clocks.events.ts';
import type { IncidentClock, ResponseClockView } from './incidents.schema.ts';

/** What moved the incident, and so may stop its countdown or start the next: its creation, or a stop's cause. */
export type ClockCause = 'created' | ClockStopCause;

/** Where the clock's machine leads, or throws its refusal (a 409). */
function moveClock(state: ResponseClockState | 'new', move: ResponseClockMove): ResponseClockState {
  const next = nextResponseClockState(state, move);
  if (next instanceof ResponseClockMoveRefused) throw next;
  return next.to;
}

/** The force's response targets per grade and setting. */
export async function loadResponseTargets(tx: Tx, forceId: ForceId): Promise<ResponseTarget[]> {
  const rows = await tx.selectFrom('response_targets').select(['grade', 'setting', 'deploy_minutes', 'arrive_minutes']).where('force_id', '=', forceId).execute();
  return rows.map((row) => ({ grade: row.grade, setting: row.setting, deployMinutes: row.deploy_minutes, arriveMinutes: row.arrive_minutes }));
}

/**
 * Whether the incident has had a unit dispatched and one on scene, from its committed events (the
 * moves of the transaction under way are read from its state instead, by the caller).
 */
async function responseMilestones(tx: Tx, forceId: ForceId, incidentId: string): Promise<ResponseMilestones> {
  const rows = await tx
    .selectFrom('events')
    .select('type')
    .distinct()
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'incident')
    .where('subject_id', '=', incidentId)
    .where('type', 'in', ['incident.dispatched', 'incident.unit_on_scene'])
    .execute();
  const types = new Set(rows.map((row) => row.type));
  return { dispatched: types.has('incident.dispatched'), arrived: types.has('incident.unit_on_scene') };
}

/**
 * Brings an incident's countdown in line with its state, in the caller's transaction (the
 * incident's row is already locked): the deploy clock runs from creation until the first dispatch,
 * then the arrive clock until the first unit is on scene (neither undone by a unit standing down); a regrade stops the running clock and
 * starts one of the same kind against the new grade's target, measured from the same creation
 * time. A breach already recorded moves to a restarted clock whose new due time has also passed
 * (with its reason and its alert), so one missed target is counted once. Every start, stop and
 * hand-over goes through the clock's machine; a stop is recorded by the caller's event for the
 * incident's move (`cause`), already appended.
 */
export async function syncResponseClock(tx: Tx, forceId: ForceId, clock: Clock, incidentId: string, cause: ClockCause): Promise<void> {
  const incident = await tx
    .selectFrom('incidents as i')
    .leftJoin('areas as d', 'd.id', 'i.district_id')
    .select(['i.status', 'i.grade', 'i.created_at', 'i.number', 'd.setting'])
    .where('i.force_id', '=', forceId)
    .where('i.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) throw notFound('incident');
  const setting = settingOf(incident.setting);
  const reached = await responseMilestones(tx, forceId, incidentId);
  const wanted = responseClockKindFor(incident.status, incident.grade, setting, await loadResponseTargets(tx, forceId), reached);
  const running = await tx.selectFrom('response_clocks').selectAll().where('force_id', '=', forceId).where('incident_id', '=', incidentId).where('stopped_at', 'is', null).forUpdate().executeTakeFirst();
  const now = clock.now();
  let stoppedAs: ResponseClockState | null = null;
  if (running) {
    if (wanted && wanted.kind === running.kind && cause !== 'regraded') return;
    if (cause === 'created') throw new Error('an incident being created has no countdown to stop');
    let state = responseClockState(running);
    // Its due time passed before its check ran (a worker behind, or down): the target was missed
    // all the same, so it breaches now, as the check would have, before it stops.
    if (state !== 'breached' && running.due_at.getTime() < now.getTime()) {
      state = moveClock(state, { type: 'breach' });
      running.breached_at = now;
      await breachResponseClock(tx, forceId, clock, { ...running, number: incident.number }, now);
    }
    stoppedAs = moveClock(state, { type: 'stop', cause, kind: running.kind });
    await tx.updateTable('response_clocks').set({ stopped_at: now, stop_reason: CLOCK_STOP_REASONS[cause] }).where('force_id', '=', forceId).where('id', '=', running.id).execute();
  }
  if (!wanted || !incident.grade) return;
  const { warnAt, dueAt } = planResponseClock({ measuredFrom: incident.created_at, minutes: wanted.minutes });
  const carried = running && running.kind === wanted.kind && running.breached_at && dueAt.getTime() <= now.getTime() ? running : null;
  moveClock('new', { type: 'start', carriesBreach: carried !== null });
  const clockId = newId();
  await tx
    .insertInto('response_clocks')
    .values({
      id: clockId,
      force_id: forceId,
      incident_id: incidentId,
      kind: wanted.kind,
      grade: incident.grade,
      setting,
      target_minutes: wanted.minutes,
      measured_from: incident.created_at,
      started_at: now,
      warn_at: warnAt,
      due_at: dueAt,
      warned_at: carried?.warned_at ?? null,
      breached_at: carried?.breached_at ?? null,
      breach_reason_code: carried?.breach_reason_code ?? null,
      breach_reason_text: carried?.breach_reason_text ?? null,
      breach_reason_by: carried?.breach_reason_by ?? null,
      breach_reason_at: carried?.breach_reason_at ?? null,
    })
    .execute();
  let followed: AlertMoved[] = [];
  if (carried) {
    // The breach moves, it is not copied: one missed target is one breach (in the report, on the
    // incident screen) with one alert, whose reason is recorded on the clock now running.
    moveClock(stoppedAs ?? 'new', { type: 'hand_over_breach' });
    await tx
      .updateTable('response_clocks')
      .set({ breached_at: null, breach_reason_code: null, breach_reason_text: null, breach_reason_by: null, breach_reason_at: null })
      .where('force_id', '=', forceId)
      .where('id', '=', carried.id)
      .execute();
    followed = await moveIncidentAlert(tx, forceId, { fromClockId: carried.id, toClockId: clockId });
  }
  record(
    tx,
    forceId,
    clock,
    // The alert that followed its breach moved with this event, which names the clock it left.
    followed.reduce((event, moved) => alertMoveEvent(moved, event), incidentClockStarted.of({
      actor: { type: 'system', id: null },
      subjectId: incidentId,
      data: {
        clockId,
        kind: wanted.kind,
        grade: incident.grade,
        setting,
        targetMinutes: wanted.minutes,
        measuredFrom: incident.created_at.toISOString(),
        warnAt: warnAt.toISOString(),
        dueAt: dueAt.toISOString(),
        cause: cause === 'regraded' ? 'regraded' : cause === 'dispatched' ? 'dispatched' : 'created',
        ...(carried ? { breachCarriedFrom: carried.id } : {}),
      },
    })),
  );
}

const KIND_TEXT: Record<ResponseClockKind, string> = { deploy: 'deploy', arrive: 'arrival' };

type BreachedClock = { id: string; kind: ResponseClockKind; grade: keyof typeof GRADE_LABELS; setting: string; target_minutes: number; incident_id: string; due_at: Date; number: number };

/** Marks a clock breached, raises the supervisors' alert asking why, and appends `incident.clock_breached`. */
async function breachResponseClock(tx: Tx, forceId: ForceId, clock: Clock, row: BreachedClock, now: Date): Promise<void> {
  await tx.updateTable('response_clocks').set({ breached_at: now }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
  const message = `INC-${row.number}: ${KIND_TEXT[row.kind]} target missed (${GRADE_LABELS[row.grade]}, ${row.setting}, ${row.target_minutes} min); say why.`;
  const raised = await raiseIncidentAlert(tx, forceId, clock, { incidentId: row.incident_id, responseClockId: row.id, message });
  const breached = incidentClockBreached.of({ actor: { type: 'system', id: null }, subjectId: row.incident_id, data: { clockId: row.id, kind: row.kind, dueAt: row.due_at.toISOString(), alertId: raised.alertId } });
  record(tx, forceId, clock, alertMoveEvent(raised, breached));
}

/**
 * The response clocks' checks, many to a transaction (decision 0040): at the warning point a
 * still-running clock is marked and `incident.clock_warning` appended; at the due time it is marked
 * breached, an alert raised that asks for a reason, and `incident.clock_breached` appended. The
 * clock's machine decides: a check that finds its clock stopped, already breached, or (for a
 * warning) already warned does nothing, so a rerun changes nothing. Warnings come before
 * breaches, so a clock whose warning and due time both passed while no worker ran is warned, then
 * breached.
 */
export function createResponseClockCheckHandler(options: { clock: Clock; maxBatch: number }): BatchJobHandler {
  return {
    maxBatch: options.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      const { checks, clockIds } = clockChecksOf(jobs);
      const rows = await tx
        .selectFrom('response_clocks as k')
        .innerJoin('incidents as i', 'i.id', 'k.incident_id')
        .select(['k.id', 'k.kind', 'k.grade', 'k.setting', 'k.target_minutes', 'k.incident_id', 'k.due_at', 'k.stopped_at', 'k.stop_reason', 'k.warned_at', 'k.breached_at', 'i.number'])
        .where('k.force_id', '=', forceId)
        .where('k.id', 'in', clockIds)
        // In one order, so two batches sharing clocks cannot each wait for the other.
        .orderBy('k.id')
        .forUpdate('k')
        .execute();
      const clocks = new Map(rows.map((row) => [row.id, { ...row }]));
      const now = options.clock.now();
      for (const check of checks) {
        const row = clocks.get(check.clockId);
        if (!row) continue;
        const next = nextResponseClockState(responseClockState(row), { type: check.isWarning ? 'warn' : 'breach' });
        if (next instanceof ResponseClockMoveRefused) continue;
        if (check.isWarning) {
          row.warned_at = now;
          await tx.updateTable('response_clocks').set({ warned_at: now }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
          record(tx, forceId, options.clock, incidentClockWarning.of({ actor: { type: 'system', id: null }, subjectId: row.incident_id, data: { clockId: row.id, kind: row.kind, dueAt: row.due_at.toISOString() } }));
          continue;
        }
        row.breached_at = now;
        await breachResponseClock(tx, forceId, options.clock, row, now);
      }
    },
  };
}

/**
 * Records why a response target was missed: a reason from the force's list, and free text; closes
 * its alert if still open. Sent for a clock a regrade has just stopped, it goes to the clock the
 * breach moved to.
 */
export async function recordBreachReason(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  incidentId: string,
  clockId: string,
  input: { reasonCode: string; text?: string | undefined },
): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const lockClock = (where: { id: string } | { kind: ResponseClockKind; startedAt: Date }) => {
      let query = tx
        .selectFrom('response_clocks')
        .select(['id', 'kind', 'stopped_at', 'breached_at', 'breach_reason_at'])
        .where('force_id', '=', forceId)
        .where('incident_id', '=', incidentId);
      query = 'id' in where ? query.where('id', '=', where.id) : query.where('kind', '=', where.kind).where('started_at', '=', where.startedAt).where('breached_at', '<=', where.startedAt);
      return query.forUpdate().executeTakeFirst();
    };
    let row = await lockClock({ id: clockId });
    if (!row) throw notFound('response clock');
    // A regrade (perhaps at this very moment) moved the breach, with its alert, to the clock it
    // started as it stopped this one: one missed target is one breach, so its reason goes there.
    // A breach of that clock after it started is its own, and not this one's to explain.
    if (!row.breached_at && row.stopped_at) row = (await lockClock({ kind: row.kind, startedAt: row.stopped_at })) ?? row;
    if (!row.breached_at) throw conflict('this target has not been missed; there is nothing to explain');
    if (row.breach_reason_at) throw conflict('a reason has already been recorded for this breach');
    const reason = await tx.selectFrom('breach_reasons').select(['code', 'label']).where('force_id', '=', forceId).where('code', '=', input.reasonCode).where('is_active', '=', true).executeTakeFirst();
    if (!reason) throw invalid('reasonCode', "choose one of the force's breach reasons");
    const text = input.text?.trim() || null;
    if (input.reasonCode === 'other' && !text) throw invalid('text', 'say what happened when the reason is "other"');
    const now = deps.clock.now();
    await tx
      .updateTable('response_clocks')
      .set({ breach_reason_code: reason.code, breach_reason_text: text, breach_reason_by: staffId, breach_reason_at: now })
      .where('force_id', '=', forceId)
      .where('id', '=', row.id)
      .execute();
    const closed = await acknowledgeIncidentAlert(tx, forceId, deps.clock, { responseClockId: row.id, staffId, note: text ? `${reason.label}: ${text}` : reason.label });
    const reasonRecorded = incidentBreachReasonRecorded.of({ actor: { type: 'staff', id: staffId }, subjectId: incidentId, data: { clockId: row.id, kind: row.kind, reasonCode: reason.code, text, alertId: closed?.alertId ?? null } });
    record(tx, forceId, deps.clock, closed ? alertMoveEvent(closed, reasonRecorded) : reasonRecorded);
  });
}

/** The running countdown of each incident named, for lists (the contract the dispatcher's board reads). */
export async function runningClocks(tx: Tx, forceId: ForceId, incidentIds: readonly string[]): Promise<Map<string, IncidentClock>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('response_clocks')
    .select(['incident_id', 'kind', 'started_at', 'warn_at', 'due_at', 'breached_at'])
    .where('force_id', '=', forceId)
    .where('incident_id', 'in', incidentIds)
    .where('stopped_at', 'is', null)
    .execute();
  return new Map(
    rows.map((row) => [
      row.incident_id,
      { kind: row.kind, startedAt: row.started_at.toISOString(), warnAt: row.warn_at.toISOString(), dueAt: row.due_at.toISOString(), breachedAt: row.breached_at?.toISOString() ?? null },
    ]),
  );
}

/**
 * For each incident named, the kinds of target it missed whose reason is still to be recorded, on
 * clocks the unit sent or on scene stopped: the board shows them, since its countdown has moved
 * on. A clock still running past its target shows in the countdown; one a regrade stopped handed
 * its breach to the clock it started.
 */
export async function missesAwaitingReason(tx: Tx, forceId: ForceId, incidentIds: readonly string[]): Promise<Map<string, ResponseClockKind[]>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('response_clocks')
    .select(['incident_id', 'kind'])
    .where('force_id', '=', forceId)
    .where('incident_id', 'in', incidentIds)
    .where('breached_at', 'is not', null)
    .where('breach_reason_code', 'is', null)
    .where('stop_reason', 'in', ['dispatched', 'arrived'])
    .orderBy('started_at')
    .orderBy(sql`seq nulls first`)
    .orderBy('id')
    .execute();
  const misses = new Map<string, ResponseClockKind[]>();
  for (const row of rows) misses.set(row.incident_id, [...(misses.get(row.incident_id) ?? []), row.kind]);
  return misses;
}

/** Every clock an incident has run, oldest first, with any breach and its reason. */
export async function incidentClocks(tx: Tx, forceId: ForceId, incidentId: string): Promise<ResponseClockView[]> {
  const rows = await tx
    .selectFrom('response_clocks as k')
    .leftJoin('breach_reasons as r', (join) => join.onRef('r.force_id', '=', 'k.force_id').onRef('r.code', '=', 'k.breach_reason_code'))
    .selectAll('k')
    .select('r.label as reason_label')
    .where('k.force_id', '=', forceId)
    .where('k.incident_id', '=', incidentId)
    // Clocks started at one time (a regrade, a dispatch in one instant) in the order they were
    // started (decision 0178); those stored before `seq` have none, the running one last among them,
    // the others by id (decision 0185).
    .orderBy('k.started_at')
    .orderBy(sql`k.stopped_at is null`)
    .orderBy(sql`k.seq nulls first`)
    .orderBy('k.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    grade: row.grade,
    setting: row.setting,
    targetMinutes: row.target_minutes,
    measuredFrom: row.measured_from.toISOString(),
    startedAt: row.started_at.toISOString(),
    warnAt: row.warn_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    stoppedAt: row.stopped_at?.toISOString() ?? null,
    stopReason: row.stop_reason,
    breachedAt: row.breached_at?.toISOString() ?? null,
    breachReason:
      row.breach_reason_code && row.breach_reason_at
        ? { code: row.breach_reason_code, label: row.reason_label ?? row.breach_reason_code, text: row.breach_reason_text, recordedAt: row.breach_reason_at.toISOString(), recordedBy: row.breach_reason_by }
        : null,
  }));
}
