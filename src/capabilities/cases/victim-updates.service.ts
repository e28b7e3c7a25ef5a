import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { caseVictimInformed, caseVictimUpdateBreached, caseVictimUpdateRetimed, caseVictimUpdateWithdrawn } from './victims-code.events.ts';
import { INFORMED_HOWS, REFERRAL_HOWS, dutyStanding, englandAndWalesBankHolidays, planDuty, retimedClock, type BankHolidays, type DutyHow, type InformedHow, type ReferralHow, type VictimDuty } from './victims-code.schema.ts';
import { VictimUpdateMoveRefused, WITHDRAWN_HOW, moveVictimUpdate, victimUpdateState } from './victim-update.machine.ts';

// Victims' Code clocks for staff: the updates due (the officer's, their team's, the force's), the
// officer saying a victim was told, and the supervisor's report of breaches by team; and the moves
// a change to the victim makes to their clocks (re-timed, withdrawn), through the clock's machine.

const BANK_HOLIDAYS = englandAndWalesBankHolidays();

/** Where a clock stands: open, past its warning point, past its due time, or met (on time, late), or the referral declined. */
export type VictimUpdateStanding = 'open' | 'due_soon' | 'overdue' | 'on_time' | 'late' | 'declined' | 'withdrawn';

export type VictimUpdateView = {
  id: string;
  caseId: string;
  caseReference: string;
  duty: VictimDuty;
  victimName: string | null;
  /** The timescale the clock runs on (or was missed against): one working day for enhanced rights. */
  enhancedRights: boolean;
  /** The named victim's rights now, which a missed clock may not share (decision 0133); null with no victim named. */
  victimEnhancedRights: boolean | null;
  /** Missed before the victim it is now owed to was named: its due time passed before they were added to the case. */
  missedBeforeNamed: boolean;
  milestoneType: string;
  milestoneAt: string;
  /** When its times count from: the milestone, or the victim's addition when they were added after it (decision 0137). */
  countedFrom: string;
  workingDays: number;
  dueAt: string;
  warnAt: string;
  standing: VictimUpdateStanding;
  satisfiedAt: string | null;
  how: DutyHow | null;
  note: string | null;
  breachedAt: string | null;
  officerInCase: string | null;
  officerName: string | null;
  team: string | null;
};

function viewQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('victim_updates as vu')
    .innerJoin('cases as c', (join) => join.onRef('c.id', '=', 'vu.case_id').onRef('c.force_id', '=', 'vu.force_id'))
    .leftJoin('case_people as cp', 'cp.id', 'vu.case_person_id')
    .leftJoin('people as p', 'p.id', 'vu.person_id')
    .leftJoin('staff as s', 's.id', 'c.officer_in_case')
    .select([
      'vu.id',
      'vu.case_id',
      'c.reference',
      'vu.duty',
      'cp.name as victim_name',
      'cp.enhanced_rights as victim_enhanced_rights',
      'cp.added_at as victim_added_at',
      'p.display_name',
      'vu.enhanced_rights',
      'vu.milestone_type',
      'vu.milestone_at',
      'vu.counted_from',
      'vu.working_days',
      'vu.due_at',
      'vu.warn_at',
      'vu.satisfied_at',
      'vu.how',
      'vu.note',
      'vu.breached_at',
      'c.officer_in_case',
      's.name as officer_name',
      'c.team',
    ])
    .where('vu.force_id', '=', forceId);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewQuery>['execute']>>[number];

function viewOf(row: ViewRow, now: Date): VictimUpdateView {
  const standing = dutyStanding({ dueAt: row.due_at, satisfiedAt: row.satisfied_at, how: row.how, now });
  return {
    id: row.id,
    caseId: row.case_id,
    caseReference: row.reference,
    duty: row.duty,
    victimName: row.victim_name ?? row.display_name ?? null,
    enhancedRights: row.enhanced_rights,
    victimEnhancedRights: row.victim_enhanced_rights ?? null,
    missedBeforeNamed: (standing === 'overdue' || standing === 'late') && row.victim_added_at !== null && row.victim_added_at.getTime() > row.due_at.getTime(),
    milestoneType: row.milestone_type,
    milestoneAt: row.milestone_at.toISOString(),
    countedFrom: row.counted_from.toISOString(),
    workingDays: row.working_days,
    dueAt: row.due_at.toISOString(),
    warnAt: row.warn_at.toISOString(),
    standing: standing === 'open' && now.getTime() >= row.warn_at.getTime() ? 'due_soon' : standing,
    satisfiedAt: row.satisfied_at?.toISOString() ?? null,
    how: row.how,
    note: row.note,
    breachedAt: row.breached_at?.toISOString() ?? null,
    officerInCase: row.officer_in_case,
    officerName: row.officer_name ?? null,
    team: row.team,
  };
}

/**
 * Updates not yet given, soonest due first (overdue ones first of all): on the cases the officer
 * is officer in case for (`mine`), on their team's cases (`team`: the team named, or every team
 * of the cases they hold), or the force's (`all`).
 */
export async function listVictimUpdatesDue(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  which: 'mine' | 'team' | 'all',
  team?: string,
): Promise<VictimUpdateView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    let query = viewQuery(tx, forceId).where('vu.satisfied_at', 'is', null);
    if (which === 'mine') query = query.where('c.officer_in_case', '=', staffId);
    if (which === 'team') {
      query = team
        ? query.where('c.team', '=', team)
        : query.where('c.team', 'in', (q) =>
            q.selectFrom('cases').select('team').where('force_id', '=', forceId).where('officer_in_case', '=', staffId).where('team', 'is not', null),
          );
    }
    const rows = await query.orderBy('vu.due_at').orderBy('vu.id').limit(500).execute();
    const now = deps.clock.now();
    return rows.map((row) => viewOf(row, now));
  });
}

/** Every clock of one case, met or not, oldest milestone first: what each victim has been told and when. */
export async function listCaseVictimUpdates(deps: ServiceDeps, forceId: ForceId, caseId: string): Promise<VictimUpdateView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const found = await tx.selectFrom('cases').select('id').where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
    if (!found) throw notFound('case');
    const rows = await viewQuery(tx, forceId).where('vu.case_id', '=', caseId).orderBy('vu.milestone_at').orderBy('vu.due_at').orderBy('vu.id').execute();
    const now = deps.clock.now();
    return rows.map((row) => viewOf(row, now));
  });
}

/**
 * An officer says a victim was told of a milestone (by phone, visit, letter or email), or, for
 * the support referral, that the victim was referred or declined. Late is recorded as late.
 */
export async function recordVictimInformed(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  caseId: string,
  updateId: string,
  input: { how: InformedHow | ReferralHow; note?: string | null | undefined },
): Promise<VictimUpdateView> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .selectFrom('victim_updates')
      .select(['id', 'duty', 'case_person_id', 'due_at', 'satisfied_at', 'how'])
      .where('force_id', '=', forceId)
      .where('case_id', '=', caseId)
      .where('id', '=', updateId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('victim update');
    if (row.satisfied_at) throw conflict(`this update was already recorded (${row.how ?? 'given'}, ${row.satisfied_at.toISOString()})`);
    const allowed: readonly string[] = row.duty === 'referral' ? REFERRAL_HOWS : INFORMED_HOWS;
    if (!allowed.includes(input.how)) throw invalid('how', `must be one of ${allowed.join(', ')} for this update`);
    const now = deps.clock.now();
    const note = input.note?.trim() || null;
    await tx
      .updateTable('victim_updates')
      .set({ satisfied_at: now, how: input.how, informed_by: staffId, note })
      .where('force_id', '=', forceId)
      .where('id', '=', updateId)
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      caseVictimInformed.of({
        actor: { type: 'staff', id: staffId },
        subjectId: caseId,
        data: { updateId, duty: row.duty, casePersonId: row.case_person_id, dueAt: row.due_at.toISOString(), how: input.how, isLate: now.getTime() > row.due_at.getTime(), outboxId: null },
      }),
    );
    const updated = await viewQuery(tx, forceId).where('vu.id', '=', updateId).executeTakeFirstOrThrow();
    return viewOf(updated, now);
  });
}

export type VictimsCodeTeamFigures = {
  /** The case's team, or null for cases allocated to none. */
  team: string | null;
  total: number;
  onTime: number;
  /** Met after the due time. */
  late: number;
  /** Not met and past the due time (one withdrawn after its breach too). */
  overdue: number;
  /** Not met, not yet due. */
  open: number;
  /** Referrals the victim declined. */
  declined: number;
  /** Withdrawn unbreached (the victim was removed from the case): left out of the total. */
  withdrawn: number;
  /** Late and overdue together: the Code's breaches. */
  breaches: number;
};

/** Victims' Code clocks falling due in [from, to), by the case's team: on time, late, overdue, open, declined, withdrawn. */
export async function victimsCodeReport(deps: ServiceDeps, forceId: ForceId, range: { from: Date; to: Date }): Promise<VictimsCodeTeamFigures[]> {
  if (range.from.getTime() >= range.to.getTime()) throw invalid('from', 'must be before to');
  const now = deps.clock.now();
  return withForce(deps.db, forceId, async (tx) => {
    const counted = (condition: ReturnType<typeof sql>) => sql<number>`(count(*) filter (where ${condition}))::int`;
    const rows = await tx
      .selectFrom('victim_updates as vu')
      .innerJoin('cases as c', (join) => join.onRef('c.id', '=', 'vu.case_id').onRef('c.force_id', '=', 'vu.force_id'))
      .select([
        'c.team',
        // A clock withdrawn before it breached (its victim removed) was owed to nobody on the case:
        // not counted. One withdrawn after its breach was never met: it stays a breach (overdue).
        counted(sql`vu.how is distinct from 'withdrawn' or vu.breached_at is not null`).as('total'),
        counted(sql`vu.how = 'withdrawn' and vu.breached_at is null`).as('withdrawn'),
        counted(sql`vu.how = 'declined'`).as('declined'),
        counted(sql`vu.how not in ('declined', 'withdrawn') and vu.satisfied_at <= vu.due_at`).as('on_time'),
        counted(sql`vu.how not in ('declined', 'withdrawn') and vu.satisfied_at > vu.due_at`).as('late'),
        counted(sql`(vu.satisfied_at is null and vu.due_at <= ${now}::timestamptz) or (vu.how = 'withdrawn' and vu.breached_at is not null)`).as('overdue'),
        counted(sql`vu.satisfied_at is null and vu.due_at > ${now}::timestamptz`).as('open'),
      ])
      .where('vu.force_id', '=', forceId)
      .where('vu.due_at', '>=', range.from)
      .where('vu.due_at', '<', range.to)
      .groupBy('c.team')
      .orderBy('c.team')
      .execute();
    return rows.map((row) => ({
      team: row.team,
      total: Number(row.total),
      onTime: Number(row.on_time),
      late: Number(row.late),
      overdue: Number(row.overdue),
      open: Number(row.open),
      declined: Number(row.declined),
      withdrawn: Number(row.withdrawn),
      breaches: Number(row.late) + Number(row.overdue),
    }));
  });
}

/** Who changed the victim, for the clocks' events: the actor, and whether staff or the records system. */
export type VictimChange = { actor: Actor; source: 'staff' | 'records_system' };

/** The victim's clocks not yet met, locked: the ones a change to the victim may move. */
async function unmetClocksOf(tx: Tx, forceId: ForceId, casePersonId: string) {
  return tx
    .selectFrom('victim_updates')
    .select(['id', 'case_id', 'duty', 'case_person_id', 'milestone_at', 'counted_from', 'working_days', 'due_at', 'satisfied_at', 'how', 'breached_at'])
    .where('force_id', '=', forceId)
    .where('case_person_id', '=', casePersonId)
    .where('satisfied_at', 'is', null)
    .orderBy('milestone_at')
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Re-times a victim's open Victims' Code clocks to their enhanced rights (one working day, or
 * five), from each one's milestone, in the caller's transaction, each with
 * `case.victim_update_retimed` saying why; a warning mark whose new time has not come is cleared
 * for the sweep to mark again when it does. A clock met, or missed (breached, or past its due time
 * and not yet swept), is left as it was (the machine refuses it: decision 0133), and referrals keep
 * their two days. Returns how many were re-timed.
 */
export async function retimeVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, casePersonId: string, hasEnhancedRights: boolean, change: VictimChange, holidays: BankHolidays = BANK_HOLIDAYS): Promise<number> {
  const now = clock.now();
  let retimed = 0;
  for (const row of await unmetClocksOf(tx, forceId, casePersonId)) {
    if (row.duty === 'referral') continue;
    if (moveVictimUpdate(victimUpdateState(row, now), 'retime') instanceof VictimUpdateMoveRefused) continue;
    const plan = planDuty({ duty: row.duty, from: row.counted_from, hasEnhancedRights, holidays });
    if (plan.workingDays === row.working_days && plan.dueAt.getTime() === row.due_at.getTime()) continue;
    await tx
      .updateTable('victim_updates')
      .set({ enhanced_rights: hasEnhancedRights, ...retimedClock(plan, now) })
      .where('force_id', '=', forceId)
      .where('id', '=', row.id)
      .execute();
    retimed += 1;
    record(
      tx,
      forceId,
      clock,
      caseVictimUpdateRetimed.of({
        actor: change.actor,
        subjectId: row.case_id,
        data: {
          updateId: row.id,
          duty: row.duty,
          casePersonId,
          dueAt: plan.dueAt.toISOString(),
          previousDueAt: row.due_at.toISOString(),
          workingDays: plan.workingDays,
          warnAt: plan.warnAt.toISOString(),
          reason: hasEnhancedRights ? 'enhanced_rights_given' : 'enhanced_rights_withdrawn',
          source: change.source,
        },
      }),
    );
  }
  return retimed;
}

/**
 * Withdraws every clock of a victim not yet met, in the caller's transaction, when they are removed
 * from the case: each is closed (`how` withdrawn), leaves the officers' lists, and records
 * `case.victim_update_withdrawn`. A breach stays marked and counted: one missed before the sweep
 * reached it (its due time passed untold) is marked now, with `case.victim_update_breached`, as the
 * sweep would have, before it is withdrawn (decision 0133). Returns how many.
 */
export async function withdrawVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, casePersonId: string, change: VictimChange): Promise<number> {
  const now = clock.now();
  let withdrawn = 0;
  for (const row of await unmetClocksOf(tx, forceId, casePersonId)) {
    const state = victimUpdateState(row, now);
    if (moveVictimUpdate(state, 'withdraw') instanceof VictimUpdateMoveRefused) continue;
    if (state === 'breached' && !row.breached_at) {
      // Missed, not yet swept: the report counts it overdue now, and the withdrawal must not hide it.
      row.breached_at = now;
      await tx.updateTable('victim_updates').set({ breached_at: now }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
      const data = { updateId: row.id, duty: row.duty, casePersonId, dueAt: row.due_at.toISOString() };
      record(tx, forceId, clock, caseVictimUpdateBreached.of({ actor: { type: 'system', id: null }, subjectId: row.case_id, data }));
    }
    await tx.updateTable('victim_updates').set({ satisfied_at: now, how: WITHDRAWN_HOW }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
    withdrawn += 1;
    record(
      tx,
      forceId,
      clock,
      caseVictimUpdateWithdrawn.of({
        actor: change.actor,
        subjectId: row.case_id,
        data: { updateId: row.id, duty: row.duty, casePersonId, dueAt: row.due_at.toISOString(), reason: 'victim_removed', wasBreached: row.breached_at !== null, source: change.source },
      }),
    );
  }
  return withdrawn;
}
