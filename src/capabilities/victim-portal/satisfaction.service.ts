import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { isCaseVictim } from './case-access.service.ts';
import { portalSatisfactionAnswered } from './victim-portal.events.ts';

// The one-question survey a victim is asked when their case closes, and the results by team.

/** 1 very dissatisfied … 5 very satisfied. */
export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;

export type SurveyOutcome = 'saved' | 'already_answered' | 'not_closed';

/**
 * Stores a victim's answer once: a second answer (another tab, a resubmitted form) changes
 * nothing and says so. Only a closed case is asked.
 */
export async function answerSatisfactionSurvey(deps: ServiceDeps, forceId: ForceId, caseId: string, personId: string, score: number): Promise<SurveyOutcome> {
  if (!Number.isInteger(score) || score < 1 || score > 5) throw invalid('score', 'must be a whole number from 1 to 5');
  return withForce(deps.db, forceId, async (tx) => {
    const found = await tx.selectFrom('cases').select(['status', 'team']).where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
    if (!found || found.status !== 'closed' || !(await isCaseVictim(tx, forceId, caseId, personId))) return 'not_closed';
    const inserted = await tx
      .insertInto('case_surveys')
      .values({ force_id: forceId, case_id: caseId, person_id: personId, score, team: found.team, answered_at: deps.clock.now() })
      .onConflict((oc) => oc.columns(['force_id', 'case_id', 'person_id']).doNothing())
      .returning('score')
      .executeTakeFirst();
    if (!inserted) return 'already_answered';
    record(tx, forceId, deps.clock, portalSatisfactionAnswered.of({ actor: { type: 'public', id: null }, subjectId: caseId, data: { personId, score, team: found.team } }));
    return 'saved';
  });
}

export type TeamSatisfaction = {
  /** The case's team when the victim answered; null for cases with no team. */
  team: string | null;
  responses: number;
  /** Answers per score, 1 to 5. */
  counts: { 1: number; 2: number; 3: number; 4: number; 5: number };
  /** The mean score, to two places. */
  average: number;
  /** The share answering 4 or 5, as a percentage to one place. */
  satisfiedPercent: number;
};

/** Survey answers given in [from, to), by team, teams in name order (no team last). */
export async function satisfactionByTeam(deps: ServiceDeps, forceId: ForceId, from: Date, to: Date): Promise<TeamSatisfaction[]> {
  if (to.getTime() <= from.getTime()) throw invalid('to', 'must be after from');
  const rows = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('case_surveys')
      .select(['team', 'score', sql<number>`count(*)`.as('n')])
      .where('force_id', '=', forceId)
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
      .groupBy(['team', 'score'])
      .execute(),
  );
  const teams = new Map<string | null, TeamSatisfaction>();
  for (const row of rows) {
    const entry = teams.get(row.team) ?? { team: row.team, responses: 0, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, average: 0, satisfiedPercent: 0 };
    const score = row.score as 1 | 2 | 3 | 4 | 5;
    entry.counts[score] += Number(row.n);
    entry.responses += Number(row.n);
    teams.set(row.team, entry);
  }
  const result = [...teams.values()].map((entry) => {
    const total = SATISFACTION_SCORES.reduce((sum, score) => sum + score * entry.counts[score], 0);
    return {
      ...entry,
      average: Math.round((total / entry.responses) * 100) / 100,
      satisfiedPercent: Math.round(((entry.counts[4] + entry.counts[5]) / entry.responses) * 1000) / 10,
    };
  });
  return result.sort((a, b) => (a.team === null ? 1 : b.team === null ? -1 : a.team.localeCompare(b.team)));
}
