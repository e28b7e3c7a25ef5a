import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { GRADE_LABELS, type Grade } from '../grading/grading.schema.ts';
import { responseTargetMinutes, settingOf } from './response-clock.schema.ts';
import { loadResponseTargets } from './response-clocks.service.ts';
import { buildResponseReport, toCsv, type IncidentResponseFacts, type ResponseBreach, type ResponseReportRow } from './response-report.schema.ts';

// The response report: incidents created in a period, by area and grade, measured from their
// events (the first dispatch and the first arrival) against the target that applied to each.

/** The longest period one report covers. */
export const REPORT_MAX_DAYS = 366;
const DAY = 86_400_000;
const TIME_ZONE = 'Europe/London';

/** The instant a calendar day (YYYY-MM-DD) begins in the UK, whatever the offset that day. */
export function ukDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // The UK's offset at that moment (0 or +1 hour), read from the time-zone data.
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(new Date(utcMidnight));
  const offsetHours = Number(parts);
  return new Date(utcMidnight - offsetHours * 3_600_000);
}

export type ResponseReport = {
  from: string;
  to: string;
  asOf: Date;
  rows: ResponseReportRow[];
  totals: ResponseReportRow[];
  breaches: ResponseBreach[];
};

/** The report over the UK days `from` to `to`, both included. */
export async function responseReport(deps: ServiceDeps, forceId: ForceId, period: { from: string; to: string }): Promise<ResponseReport> {
  const start = ukDayStart(period.from);
  const end = ukDayStart(new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY).toISOString().slice(0, 10));
  if (end.getTime() <= start.getTime()) throw invalid('to', 'must not be before from');
  if (end.getTime() - start.getTime() > (REPORT_MAX_DAYS + 1) * DAY) throw invalid('to', `must be within ${REPORT_MAX_DAYS} days of from: a report covers at most ${REPORT_MAX_DAYS} days`);
  const now = deps.clock.now();
  const asOf = now.getTime() < end.getTime() ? now : end;

  return withForce(deps.db, forceId, async (tx) => {
    const targets = await loadResponseTargets(tx, forceId);
    const firstEvent = (type: string) =>
      sql<Date | null>`(select min(e.occurred_at) from events e where e.force_id = i.force_id and e.subject_type = 'incident' and e.subject_id = i.id::text and e.type = ${type})`;
    // A regrade stops a clock and starts its successor at one time: the successor is the one still
    // running, or stopped later (decision 0157), or started later (`seq`, decision 0178) when two
    // regrades or a regrade and a dispatch came in one instant.
    const lastTarget = (kind: 'deploy' | 'arrive') =>
      sql<number | null>`(select rc.target_minutes from response_clocks rc where rc.force_id = i.force_id and rc.incident_id = i.id and rc.kind = ${kind} order by rc.started_at desc, rc.stopped_at desc nulls first, rc.seq desc nulls last, rc.id desc limit 1)`;
    const rows = await tx
      .selectFrom('incidents as i')
      .leftJoin('areas as a', 'a.id', 'i.district_id')
      .select(['i.id', 'i.number', 'i.grade', 'i.created_at', 'i.ended_at', 'a.name as area_name', 'a.setting'])
      .select([
        firstEvent('incident.dispatched').as('first_dispatch_at'),
        firstEvent('incident.unit_on_scene').as('first_arrival_at'),
        lastTarget('deploy').as('deploy_clock_minutes'),
        lastTarget('arrive').as('arrive_clock_minutes'),
      ])
      .where('i.force_id', '=', forceId)
      .where('i.created_at', '>=', start)
      .where('i.created_at', '<', end)
      .where('i.merged_into_id', 'is', null)
      .where('i.grade', 'is not', null)
      .orderBy('i.number')
      .execute();
    const facts: IncidentResponseFacts[] = rows.map((row) => {
      const grade = row.grade as Grade;
      const setting = settingOf(row.setting);
      const date = (value: Date | string | null) => (value === null ? null : new Date(value));
      return {
        incidentId: row.id,
        number: Number(row.number),
        areaName: row.area_name,
        grade,
        createdAt: row.created_at,
        firstDispatchAt: date(row.first_dispatch_at),
        firstArrivalAt: date(row.first_arrival_at),
        // The target the incident's own clock ran against (its last grade's); the force's
        // current one when that clock never started (an arrival never dispatched, say).
        deployTargetMinutes: row.deploy_clock_minutes ?? responseTargetMinutes(targets, grade, setting, 'deploy'),
        arriveTargetMinutes: row.arrive_clock_minutes ?? responseTargetMinutes(targets, grade, setting, 'arrive'),
        endedAt: row.ended_at,
      };
    });
    const breachRows = await tx
      .selectFrom('response_clocks as rc')
      .innerJoin('incidents as i', 'i.id', 'rc.incident_id')
      .leftJoin('areas as a', 'a.id', 'i.district_id')
      .leftJoin('breach_reasons as br', (join) => join.onRef('br.force_id', '=', 'rc.force_id').onRef('br.code', '=', 'rc.breach_reason_code'))
      .select(['i.id', 'i.number', 'a.name as area_name', 'rc.grade', 'rc.kind', 'rc.due_at', 'rc.breach_reason_code', 'br.label as reason_label', 'rc.breach_reason_text'])
      .where('rc.force_id', '=', forceId)
      .where('rc.breached_at', 'is not', null)
      .where('i.created_at', '>=', start)
      .where('i.created_at', '<', end)
      .where('i.merged_into_id', 'is', null)
      // In the order the targets were missed, not the order the breaches were found (decision 0132).
      .orderBy('rc.due_at')
      .orderBy('i.number')
      .orderBy(sql`rc.seq nulls first`)
      .orderBy('rc.id')
      .execute();
    const breaches: ResponseBreach[] = breachRows.map((row) => ({
      incidentId: row.id,
      number: Number(row.number),
      areaName: row.area_name,
      grade: row.grade,
      kind: row.kind,
      dueAt: row.due_at,
      // A breach found late (the check behind, or only at the clock's stop) was still missed at its
      // due time; `breached_at` and the event's time say when it was found.
      breachedAt: row.due_at,
      reasonCode: row.breach_reason_code,
      reasonLabel: row.reason_label,
      reasonText: row.breach_reason_text,
    }));
    return { from: period.from, to: period.to, asOf, ...buildResponseReport(facts, breaches, asOf), breaches };
  });
}

const area = (name: string | null) => name ?? 'No area';

/** The report as CSV: the rows per area and grade, the totals per grade, then each breach. */
export function responseReportCsv(report: ResponseReport): string {
  const header = [
    'section', 'area', 'grade', 'incidents',
    'deploy measured', 'deployed within target', 'deployed within target %', 'deploy median min', 'deploy 90th percentile min',
    'arrive measured', 'arrived within target', 'arrived within target %', 'arrive median min', 'arrive 90th percentile min',
    'breaches',
  ];
  const line = (section: string, row: ResponseReportRow) => [
    section, section === 'all areas' ? 'All areas' : area(row.areaName), GRADE_LABELS[row.grade], row.incidents,
    row.deploy.measured, row.deploy.withinTarget, row.deploy.withinTargetPercent, row.deploy.medianMinutes, row.deploy.p90Minutes,
    row.arrive.measured, row.arrive.withinTarget, row.arrive.withinTargetPercent, row.arrive.medianMinutes, row.arrive.p90Minutes,
    row.breaches,
  ];
  const summary = toCsv(header, [...report.rows.map((row) => line('area', row)), ...report.totals.map((row) => line('all areas', row))]);
  const breaches = toCsv(
    ['incident', 'area', 'grade', 'target', 'due at', 'breached at', 'reason code', 'reason', 'reason text'],
    report.breaches.map((b) => [b.number, area(b.areaName), GRADE_LABELS[b.grade], b.kind === 'deploy' ? 'Deploy' : 'Arrive', b.dueAt.toISOString(), b.breachedAt.toISOString(), b.reasonCode, b.reasonLabel, b.reasonText]),
  );
  return `${summary}\r\n${breaches}`;
}
