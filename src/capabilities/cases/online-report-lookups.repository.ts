import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// What drafting an online report reads of its force besides the report: the active crime types
// the classifier may suggest, and the two clocks' targets from the force settings. They change
// rarely (settings by a force admin, crime types only when a release seeds new ones), so each
// process keeps them per force instead of reading them for every report.

/** The product's targets, when the force has set none (the Met's: processed in an hour, classified in a day). */
export const DEFAULT_PROCESSED_WITHIN_MINUTES = 60;
export const DEFAULT_CLASSIFIED_WITHIN_HOURS = 24;

export type OnlineReportTargets = { processedMinutes: number; classifiedHours: number };
export type ForceLookups = { crimeTypes: ReadonlySet<string>; targets: OnlineReportTargets };

/**
 * How long a copy is trusted without word of a change. A settings change is an event whose wake-up
 * (`force.settings_changed`) makes every listening process forget the force's copy at once; this
 * bound covers a process whose listener was down, and crime types added by another node's start-up.
 */
export const LOOKUPS_TRUSTED_MS = 60_000;

/** The force's targets for its online reports, from its settings. */
export function targetsFromSettings(settings: { [key: string]: unknown }): OnlineReportTargets {
  const processed = settings.onlineReportProcessedWithinMinutes;
  const classified = settings.onlineReportClassifiedWithinHours;
  return {
    processedMinutes: typeof processed === 'number' && processed > 0 ? processed : DEFAULT_PROCESSED_WITHIN_MINUTES,
    classifiedHours: typeof classified === 'number' && classified > 0 ? classified : DEFAULT_CLASSIFIED_WITHIN_HOURS,
  };
}

/** The force's targets for its online reports, read now. */
export async function onlineReportTargets(tx: Tx, forceId: ForceId): Promise<OnlineReportTargets> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirstOrThrow();
  return targetsFromSettings(row.settings);
}

/** One per app (so per database): the forces' lookups, kept until their force changes. */
export class OnlineReportLookups {
  private readonly byForce = new Map<string, { until: number; value: ForceLookups }>();

  /** The force's lookups, read with the caller's transaction when not kept (or kept too long). */
  async get(tx: Tx, forceId: ForceId): Promise<ForceLookups> {
    const kept = this.byForce.get(forceId);
    // Wall time, not the injected clock: this is how long a copy is trusted, not a business rule.
    if (kept && kept.until > Date.now()) return kept.value;
    const settings = await onlineReportTargets(tx, forceId);
    const crimeTypes = await tx.selectFrom('crime_types').select('code').where('force_id', '=', forceId).where('active', '=', true).execute();
    const value = { crimeTypes: new Set(crimeTypes.map((t) => t.code)), targets: settings };
    // A force whose catalogue is not seeded yet is read again next time.
    if (crimeTypes.length > 0) this.byForce.set(forceId, { until: Date.now() + LOOKUPS_TRUSTED_MS, value });
    return value;
  }

  /** Forgets a force's copy (its settings changed), or every force's. */
  forget(forceId?: string): void {
    if (forceId === undefined) this.byForce.clear();
    else this.byForce.delete(forceId);
  }
}
