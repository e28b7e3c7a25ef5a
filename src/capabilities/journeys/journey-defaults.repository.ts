import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JourneyRule } from './journey-rules.schema.ts';

// The journey every force starts with. Statutory rules are the updates the Victims' Code requires
// (arrest, interview, release, bail, charge, out-of-court disposal, court dates and results, and
// the decision at closure); the rest are courtesy updates a victim may opt out of.

type Seed = Omit<JourneyRule, 'id' | 'position' | 'crimeType' | 'outcomeCodes' | 'victimCategory' | 'delayMinutes' | 'delayFrom' | 'fallback'> &
  Partial<Pick<JourneyRule, 'outcomeCodes' | 'victimCategory' | 'delayMinutes' | 'delayFrom' | 'fallback'>>;

const HOUR = 60;
const DAY = 24 * HOUR;

const closedWith = (templateKey: string, outcomeCodes: string[]): Seed => ({ milestone: 'case.closed', templateKey, outcomeCodes, statutory: true });

export const DEFAULT_JOURNEY_RULES: readonly Seed[] = [
  { milestone: 'case.created', templateKey: 'case.report_received', statutory: true },
  { milestone: 'case.created', templateKey: 'victims_code.rights', statutory: true, delayMinutes: 5 },
  { milestone: 'case.created', templateKey: 'victims_code.enhanced_rights', statutory: true, victimCategory: 'enhanced', delayMinutes: 5 },
  { milestone: 'case.created', templateKey: 'victim_support.offer', statutory: true, delayMinutes: HOUR },
  { milestone: 'case.allocated', templateKey: 'case.allocated', statutory: false },
  { milestone: 'case.investigation_started', templateKey: 'case.investigation_started', statutory: false },
  { milestone: 'case.investigation_started', templateKey: 'case.still_investigating', statutory: false, delayMinutes: 28 * DAY },
  { milestone: 'case.suspect_identified', templateKey: 'case.suspect_identified', statutory: false },
  { milestone: 'case.suspect_arrested', templateKey: 'case.suspect_arrested', statutory: true },
  { milestone: 'case.suspect_interviewed', templateKey: 'case.suspect_interviewed', statutory: true },
  { milestone: 'case.released_under_investigation', templateKey: 'case.released_under_investigation', statutory: true },
  { milestone: 'case.bailed', templateKey: 'case.bailed', statutory: true },
  { milestone: 'case.charged', templateKey: 'case.charged', statutory: true },
  { milestone: 'case.charged', templateKey: 'victims_code.personal_statement', statutory: true, delayMinutes: HOUR },
  { milestone: 'case.charged', templateKey: 'witness_care.referral', statutory: false, delayMinutes: 2 * HOUR },
  { milestone: 'case.out_of_court_disposal', templateKey: 'case.out_of_court_disposal', statutory: true },
  { milestone: 'case.court_date_set', templateKey: 'case.court_date_set', statutory: true },
  { milestone: 'case.court_date_set', templateKey: 'case.court_date.reminder', statutory: false, delayFrom: 'at', delayMinutes: -2 * DAY },
  { milestone: 'case.court_result', templateKey: 'case.court_result', statutory: true },
  { milestone: 'case.property_returned', templateKey: 'case.property_returned', statutory: false },
  { milestone: 'case.appointment_made', templateKey: 'case.appointment_made', statutory: false },
  { milestone: 'case.appointment_made', templateKey: 'appointment.reminder', statutory: false, delayFrom: 'at', delayMinutes: -DAY },
  { milestone: 'case.appointment_changed', templateKey: 'case.appointment_changed', statutory: false },
  { milestone: 'case.appointment_changed', templateKey: 'appointment.reminder', statutory: false, delayFrom: 'at', delayMinutes: -DAY },
  { milestone: 'case.appointment_cancelled', templateKey: 'case.appointment_cancelled', statutory: false },
  closedWith('case.closed.charged', ['1']),
  closedWith('case.closed.caution', ['2', '3']),
  closedWith('case.closed.taken_into_consideration', ['4']),
  closedWith('case.closed.penalty_notice', ['6', '7']),
  closedWith('case.closed.community_resolution', ['8', '22']),
  closedWith('case.closed.public_interest', ['9', '10']),
  closedWith('case.closed.prosecution_prevented', ['5', '11', '12', '13', '17']),
  closedWith('case.closed.evidential_difficulties', ['14', '15', '16']),
  closedWith('case.closed.no_suspect', ['18']),
  closedWith('case.closed.other_agency', ['20']),
  closedWith('case.not_investigated', ['21']),
  { milestone: 'case.closed', templateKey: 'case.closed', statutory: true, fallback: true },
  { milestone: 'case.closed', templateKey: 'case.satisfaction_survey', statutory: false, delayMinutes: 3 * DAY },
  { milestone: 'case.reopened', templateKey: 'case.reopened', statutory: false },
  // The answer itself is on the case page; this only says it is there, so it is a courtesy update.
  { milestone: 'portal.case_reply_sent', templateKey: 'case.message_from_officer', statutory: false },
];

/** Gives a force the default journey, unless it has rules already (its own edits stay). */
export async function seedDefaultJourneyRules(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
  const existing = await tx.selectFrom('journey_rules').select('id').where('force_id', '=', forceId).limit(1).executeTakeFirst();
  if (existing) return;
  const now = clock.now();
  await tx
    .insertInto('journey_rules')
    .values(
      DEFAULT_JOURNEY_RULES.map((rule, position) => ({
        id: newId(),
        force_id: forceId,
        milestone: rule.milestone,
        crime_type: null,
        victim_category: rule.victimCategory ?? 'all',
        outcome_codes: rule.outcomeCodes ? [...rule.outcomeCodes] : null,
        template_key: rule.templateKey,
        delay_minutes: rule.delayMinutes ?? 0,
        delay_from: rule.delayFrom ?? 'milestone',
        statutory: rule.statutory,
        fallback: rule.fallback ?? false,
        position,
        created_at: now,
      })),
    )
    .execute();
}
