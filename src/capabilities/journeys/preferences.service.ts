import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { journeyPreferencesChanged } from './journey.events.ts';
import { preferencesOf, type PreferencesView } from './preferences.schema.ts';
import type { ContactPreferences } from './safe-contact.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// A victim's contact preferences on a case, as the investigator records them or the victim sets
// them on the portal. The journey reads
// them where it queues each message (journey-send.service.ts), so a change holds for every later
// message, whichever rule sends it.

/**
 * The victim's id on the case (their `case_people` row, role victim, not removed). A known
 * person's id names their row too: it was the reporter's victim id before the reporter had a row
 * (decision 0056), so an address kept from then still finds them.
 */
async function requireVictim(tx: Tx, forceId: ForceId, caseId: string, victimId: string): Promise<string> {
  const found = await tx.selectFrom('cases').select('id').where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!found) throw notFound('case');
  const victim = await tx
    .selectFrom('case_people')
    .select('id')
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where((eb) => eb.or([eb('id', '=', victimId), eb('person_id', '=', victimId)]))
    .where('role', '=', 'victim')
    .where('removed_at', 'is', null)
    .orderBy('added_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .executeTakeFirst();
  if (!victim) throw notFound('victim');
  return victim.id;
}

function viewOf(victimId: string, preferences: ContactPreferences, updatedAt: Date | null): PreferencesView {
  return { victimId, ...preferences, isSet: updatedAt !== null, updatedAt: updatedAt?.toISOString() ?? null };
}

/** A victim's contact preferences on a case (the defaults until someone sets them). */
export async function getVictimPreferences(deps: ServiceDeps, forceId: ForceId, caseId: string, givenId: string): Promise<PreferencesView> {
  return withForce(deps.db, forceId, async (tx) => {
    const victimId = await requireVictim(tx, forceId, caseId, givenId);
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

/** Sets a victim's contact preferences on a case; the change is an event on the case, by whoever made it. */
export async function setVictimPreferences(
  deps: ServiceDeps,
  forceId: ForceId,
  actor: Actor,
  caseId: string,
  givenId: string,
  preferences: ContactPreferences,
): Promise<PreferencesView> {
  if (preferences.portalOnly && !preferences.channels.includes('portal')) throw invalid('channels', 'must include portal when contact is portal only');
  if (preferences.neverSms && preferences.channels.length === 1 && preferences.channels[0] === 'sms') throw invalid('channels', 'lists only SMS, which "never by SMS" rules out');
  return withForce(deps.db, forceId, async (tx) => {
    const victimId = await requireVictim(tx, forceId, caseId, givenId);
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
      updated_by: actor.type === 'staff' ? actor.id : null,
    };
    await tx
      .insertInto('victim_contact_preferences')
      .values({ force_id: forceId, case_id: caseId, victim_id: victimId, ...values })
      .onConflict((oc) => oc.columns(['force_id', 'case_id', 'victim_id']).doUpdateSet(values))
      .execute();
    record(tx, forceId, deps.clock, journeyPreferencesChanged.of({ actor, subjectId: caseId, data: { victimId, ...preferences } }));
    return viewOf(victimId, preferences, now);
  });
}

/**
 * The victim id a portal visitor has on the case: their `case_people` row (the reporter's too,
 * since decision 0056). Null when they are not a victim on it (removed since, say).
 */
async function victimIdOfPerson(tx: Tx, forceId: ForceId, caseId: string, personId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('case_people')
    .select('id')
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('person_id', '=', personId)
    .where('role', '=', 'victim')
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** What a victim may change of their own preferences on the portal. */
export type PortalPreferences = Pick<ContactPreferences, 'channels' | 'language' | 'neverSms' | 'portalOnly' | 'optOutNonStatutory'>;

/** A portal visitor's own preferences on their case, or null when they are not a victim on it. */
export async function getOwnPreferences(deps: ServiceDeps, forceId: ForceId, caseId: string, personId: string): Promise<PreferencesView | null> {
  const victimId = await withForce(deps.db, forceId, (tx) => victimIdOfPerson(tx, forceId, caseId, personId));
  return victimId ? getVictimPreferences(deps, forceId, caseId, victimId) : null;
}

/**
 * The victim changes their own preferences. Safe times and the domestic-abuse marker stay as the
 * officer set them; and where the officer marked domestic abuse, the portal can make contact
 * safer ("portal only", "never by SMS") but not undo it: someone else holding the victim's phone
 * must not be able to turn texts back on. Returns null when they are not a victim on the case.
 */
export async function setOwnPreferences(deps: ServiceDeps, forceId: ForceId, caseId: string, personId: string, change: PortalPreferences): Promise<PreferencesView | null> {
  const current = await getOwnPreferences(deps, forceId, caseId, personId);
  if (!current) return null;
  const guarded = current.domesticAbuse;
  const portalOnly = change.portalOnly || (guarded && current.portalOnly);
  const neverSms = change.neverSms || (guarded && current.neverSms);
  const channels = portalOnly && !change.channels.includes('portal') ? [...change.channels, 'portal' as const] : change.channels;
  return setVictimPreferences(deps, forceId, { type: 'public', id: personId }, caseId, current.victimId, {
    channels,
    language: change.language,
    safeWindows: current.safeWindows,
    neverSms,
    portalOnly,
    optOutNonStatutory: change.optOutNonStatutory,
    domesticAbuse: current.domesticAbuse,
  });
}
