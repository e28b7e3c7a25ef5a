import type { Grade } from '../grading/grading.schema.ts';
import type { ResponseClockKind } from './response-clock.schema.ts';

// The response report's arithmetic, pure: from each incident's facts (its creation, first dispatch
// and first arrival as the events record them, and the target of each kind that applied) to
// counts, shares within target and percentiles per area and grade. Both targets are measured from
// the incident's creation, as the clocks measure them.

/** What the report needs of one incident. Times come from its events. */
export type IncidentResponseFacts = {
  incidentId: string;
  number: number;
  areaName: string | null;
  grade: Grade;
  createdAt: Date;
  firstDispatchAt: Date | null;
  firstArrivalAt: Date | null;
  /** Minutes allowed to deploy / to arrive (from the clock that ran, else the force's target), or null for none. */
  deployTargetMinutes: number | null;
  arriveTargetMinutes: number | null;
  /** Whether the incident ended (closed, cancelled, resolved) and when. */
  endedAt: Date | null;
};

export type ResponseBreach = {
  incidentId: string;
  number: number;
  areaName: string | null;
  grade: Grade;
  kind: ResponseClockKind;
  dueAt: Date;
  /** When the target was missed: its due time, however late the breach was found. */
  breachedAt: Date;
  reasonCode: string | null;
  reasonLabel: string | null;
  reasonText: string | null;
};

/** One measure (deploy or arrive) of one group: how many were measured, how many in time, and the times. */
export type ResponseMeasure = {
  /** Incidents with a target whose outcome is known: the unit came, or the target passed without it. */
  measured: number;
  withinTarget: number;
  /** withinTarget ÷ measured, as a percentage with one decimal; null when nothing was measured. */
  withinTargetPercent: number | null;
  /** Minutes from creation, over the incidents where it happened (with or without a target). */
  medianMinutes: number | null;
  p90Minutes: number | null;
};

export type ResponseReportRow = {
  areaName: string | null;
  grade: Grade;
  incidents: number;
  deploy: ResponseMeasure;
  arrive: ResponseMeasure;
  breaches: number;
};

const MINUTE = 60_000;
const GRADE_ORDER: Record<Grade, number> = { immediate: 0, priority: 1, scheduled: 2, resolution_without_deployment: 3 };

/**
 * The value below which `fraction` of the sorted values fall, by linear interpolation between the
 * closest ranks (the method spreadsheets call PERCENTILE.INC); null for no values.
 */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, fraction));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/**
 * Whether a target was met, missed, or cannot be judged yet (or ever): met when the moment came
 * within the target; missed when it came late, or when the target passed without it while the
 * incident was still open; not judged when there is no target, or when the incident ended (or the
 * report's end came) before the target passed without the moment.
 */
export function judgeTarget(createdAt: Date, at: Date | null, targetMinutes: number | null, endedAt: Date | null, asOf: Date): 'met' | 'missed' | null {
  if (targetMinutes === null) return null;
  const dueMs = createdAt.getTime() + targetMinutes * MINUTE;
  if (at) return at.getTime() <= dueMs ? 'met' : 'missed';
  const stillOpenAt = endedAt ? Math.min(endedAt.getTime(), asOf.getTime()) : asOf.getTime();
  return stillOpenAt > dueMs ? 'missed' : null;
}

function measure(incidents: readonly IncidentResponseFacts[], kind: ResponseClockKind, asOf: Date): ResponseMeasure {
  let measured = 0;
  let within = 0;
  const minutes: number[] = [];
  for (const incident of incidents) {
    const at = kind === 'deploy' ? incident.firstDispatchAt : incident.firstArrivalAt;
    const target = kind === 'deploy' ? incident.deployTargetMinutes : incident.arriveTargetMinutes;
    if (at) minutes.push((at.getTime() - incident.createdAt.getTime()) / MINUTE);
    const verdict = judgeTarget(incident.createdAt, at, target, incident.endedAt, asOf);
    if (verdict === null) continue;
    measured += 1;
    if (verdict === 'met') within += 1;
  }
  minutes.sort((a, b) => a - b);
  return {
    measured,
    withinTarget: within,
    withinTargetPercent: measured === 0 ? null : oneDecimal((within / measured) * 100),
    medianMinutes: oneDecimal(percentile(minutes, 0.5)),
    p90Minutes: oneDecimal(percentile(minutes, 0.9)),
  };
}

/**
 * Rows per area and grade (areas by name, incidents with no area last; grades from Immediate),
 * plus a row per grade over all areas. `asOf` is when the report is drawn: an open incident past
 * its target counts as missed from then on.
 */
export function buildResponseReport(
  incidents: readonly IncidentResponseFacts[],
  breaches: readonly ResponseBreach[],
  asOf: Date,
): { rows: ResponseReportRow[]; totals: ResponseReportRow[] } {
  const groups = new Map<string, IncidentResponseFacts[]>();
  const byGrade = new Map<Grade, IncidentResponseFacts[]>();
  for (const incident of incidents) {
    const key = `${incident.areaName ?? ''}\u0000${incident.grade}`;
    groups.set(key, [...(groups.get(key) ?? []), incident]);
    byGrade.set(incident.grade, [...(byGrade.get(incident.grade) ?? []), incident]);
  }
  const breachesOf = (areaName: string | null | undefined, grade: Grade) =>
    breaches.filter((b) => b.grade === grade && (areaName === undefined || b.areaName === areaName)).length;
  const row = (areaName: string | null, grade: Grade, members: readonly IncidentResponseFacts[], allAreas: boolean): ResponseReportRow => ({
    areaName,
    grade,
    incidents: members.length,
    deploy: measure(members, 'deploy', asOf),
    arrive: measure(members, 'arrive', asOf),
    breaches: breachesOf(allAreas ? undefined : areaName, grade),
  });
  const rows = [...groups.values()].map((members) => {
    const first = members[0] as IncidentResponseFacts;
    return row(first.areaName, first.grade, members, false);
  });
  rows.sort((a, b) => {
    if (a.areaName !== b.areaName) {
      if (a.areaName === null) return 1;
      if (b.areaName === null) return -1;
      return a.areaName.localeCompare(b.areaName, 'en-GB');
    }
    return GRADE_ORDER[a.grade] - GRADE_ORDER[b.grade];
  });
  const totals = [...byGrade.entries()].sort(([a], [b]) => GRADE_ORDER[a] - GRADE_ORDER[b]).map(([grade, members]) => row(null, grade, members, true));
  return { rows, totals };
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break, and a leading `=`, `+`, `-`,
 * `@`, tab or carriage return neutralised with an apostrophe, so a spreadsheet never runs a
 * formula from a typed reason (CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines of CSV (CRLF, as RFC 4180 says) from a header and rows. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
