import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { journeyPreferencesChanged } from './journey.events.ts';
import { preferencesOf, type PreferencesView } from './preferences.schema.ts';
import type { ContactPreferences } from './safe-contact.ts';

// A victim's contact preferences on a case, as the investigator records them. The journey reads
// them where it queues each message (journey-send.service.ts), so a change holds for every later
// message, whichever rule sends it.

/**
 * Checks the victim belongs to the case: a victim on it (`case_people`), or the person who
 * reported it (the case's own person).
 */
async function requireVictim(tx: Tx, forceId: ForceId, caseId: string, victimId: string): Promise<void> {
  const found = await tx.selectFrom('cases').select(['id', 'person_id']).where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!found) throw notFound('case');
  if (found.person_id === victimId) return;
  const victim = await tx
    .selectFrom('case_people')
    .select('id')
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('id', '=', victimId)
    .where('role', '=', 'victim')
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!victim) throw notFound('victim');
}

function viewOf(victimId: string, preferences: ContactPreferences, updatedAt: Date | null): PreferencesView {
  return { victimId, ...preferences, isSet: updatedAt !== null, updatedAt: updatedAt?.toISOString() ?? null };
}

/** A victim's contact preferences on a case (the defaults until someone sets them). */
export async function getVictimPreferences(deps: ServiceDeps, forceId: ForceId, caseId: string, victimId: string): Promise<PreferencesView> {
  return withForce(deps.db, forceId, async (tx) => {
    await requireVictim(tx, forceId, caseId, victimId);
    const row = await tx
      .selectFrom('victim_contact_preferences')
      .selectAll()
      .where('force_id', '=', forceId)
      .where('case_id', '=', caseId)
      .where('victim_id', '=', victimId)
      .executeTakeFirst();
    return viewOf(victimId, preferencesOf(row ?? null), row?.updated_at ?? null);
  });
}

/** Sets a victim's contact preferences on a case; the change is an event on the case. */
export async function setVictimPreferences(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  caseId: string,
  victimId: string,
  preferences: ContactPreferences,
): Promise<PreferencesView> {
  if (preferences.portalOnly && !preferences.channels.includes('portal')) throw invalid('channels', 'must include portal when contact is portal only');
  if (preferences.neverSms && preferences.channels.length === 1 && preferences.channels[0] === 'sms') throw invalid('channels', 'lists only SMS, which "never by SMS" rules out');
  return withForce(deps.db, forceId, async (tx) => {
    await requireVictim(tx, forceId, caseId, victimId);
    const now = deps.clock.now();
    const values = {
      channels: preferences.channels,
      language: preferences.language,
      safe_windows: JSON.stringify(preferences.safeWindows),
      never_sms: preferences.neverSms,
      portal_only: preferences.portalOnly,
      opt_out_non_statutory: preferences.optOutNonStatutory,
      domestic_abuse: preferences.domesticAbuse,
      updated_at: now,
      updated_by: staffId,
    };
    await tx
      .insertInto('victim_contact_preferences')
      .values({ force_id: forceId, case_id: caseId, victim_id: victimId, ...values })
      .onConflict((oc) => oc.columns(['force_id', 'case_id', 'victim_id']).doUpdateSet(values))
      .execute();
    record(tx, forceId, deps.clock, journeyPreferencesChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: caseId, data: { victimId, ...preferences } }));
    return viewOf(victimId, preferences, now);
  });
}
