import { z } from 'zod';
import { GRADES } from '../grading/grading.schema.ts';
import { AREA_SETTINGS } from './response-clock.schema.ts';

// The lists a force starts with and then edits: why a response target was missed, what kind of
// incident it is (opening codes under the four national incident categories), and how an incident
// ended (closing codes). Pure data.

export const INCIDENT_CATEGORIES = ['public_safety_welfare', 'crime', 'anti_social_behaviour', 'transport'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

export const INCIDENT_CATEGORY_LABELS: Record<IncidentCategory, string> = {
  public_safety_welfare: 'Public safety and welfare',
  crime: 'Crime',
  anti_social_behaviour: 'Anti-social behaviour',
  transport: 'Transport',
};

export type ListEntry = { code: string; label: string };
export type IncidentTypeEntry = ListEntry & { category: IncidentCategory };

/** Reasons a deploy or arrival target was missed, as control rooms give them; `other` needs free text. */
export const DEFAULT_BREACH_REASONS: readonly ListEntry[] = [
  { code: 'no_unit_available', label: 'No unit available' },
  { code: 'awaited_specialist_advice', label: 'Awaited specialist advice' },
  { code: 'involved_children', label: 'Involved children' },
  { code: 'awaited_specialist_unit', label: 'Awaited a specialist unit (firearms, dogs, roads)' },
  { code: 'location_unclear', label: 'Location unclear or hard to reach' },
  { code: 'distance_rural', label: 'Distance (rural area)' },
  { code: 'traffic_or_weather', label: 'Traffic or weather' },
  { code: 'unit_diverted', label: 'Unit diverted to a higher-risk incident' },
  { code: 'regraded_late', label: 'Information came late; graded up after the call' },
  { code: 'other', label: 'Other (say what happened)' },
];

/**
 * Opening codes, under the four categories of the national standard for incident recording
 * (public safety and welfare, crime, anti-social behaviour, transport).
 */
export const DEFAULT_INCIDENT_TYPES: readonly IncidentTypeEntry[] = [
  { category: 'public_safety_welfare', code: 'unclassified', label: 'Not yet classified' },
  { category: 'public_safety_welfare', code: 'concern_for_safety', label: 'Concern for safety' },
  { category: 'public_safety_welfare', code: 'missing_person', label: 'Missing person' },
  { category: 'public_safety_welfare', code: 'sudden_death', label: 'Sudden death' },
  { category: 'public_safety_welfare', code: 'collapse_illness_injury', label: 'Collapse, illness or injury' },
  { category: 'public_safety_welfare', code: 'domestic_incident', label: 'Domestic incident (no crime)' },
  { category: 'public_safety_welfare', code: 'mental_health', label: 'Mental health' },
  { category: 'public_safety_welfare', code: 'suspicious_circumstances', label: 'Suspicious circumstances' },
  { category: 'public_safety_welfare', code: 'alarm', label: 'Alarm activation' },
  { category: 'public_safety_welfare', code: 'civil_dispute', label: 'Civil dispute' },
  { category: 'public_safety_welfare', code: 'animals', label: 'Animals' },
  { category: 'public_safety_welfare', code: 'hazard', label: 'Hazard or dangerous object' },
  { category: 'public_safety_welfare', code: 'abandoned_call', label: 'Abandoned or silent call' },
  { category: 'crime', code: 'crime', label: 'Crime (not yet classified)' },
  { category: 'crime', code: 'crime_violence', label: 'Violence against the person' },
  { category: 'crime', code: 'crime_sexual', label: 'Sexual offence' },
  { category: 'crime', code: 'crime_robbery', label: 'Robbery' },
  { category: 'crime', code: 'crime_burglary', label: 'Burglary' },
  { category: 'crime', code: 'crime_vehicle', label: 'Vehicle crime' },
  { category: 'crime', code: 'crime_theft', label: 'Theft' },
  { category: 'crime', code: 'crime_damage', label: 'Criminal damage or arson' },
  { category: 'crime', code: 'crime_drugs', label: 'Drugs' },
  { category: 'crime', code: 'crime_weapons', label: 'Possession of weapons' },
  { category: 'crime', code: 'crime_public_order', label: 'Public order' },
  { category: 'crime', code: 'crime_fraud', label: 'Fraud' },
  { category: 'anti_social_behaviour', code: 'asb_personal', label: 'Anti-social behaviour: personal' },
  { category: 'anti_social_behaviour', code: 'asb_nuisance', label: 'Anti-social behaviour: nuisance' },
  { category: 'anti_social_behaviour', code: 'asb_environmental', label: 'Anti-social behaviour: environmental' },
  { category: 'transport', code: 'rtc_injury', label: 'Road traffic collision: injury' },
  { category: 'transport', code: 'rtc_damage_only', label: 'Road traffic collision: damage only' },
  { category: 'transport', code: 'road_related_offence', label: 'Road-related offence' },
  { category: 'transport', code: 'highway_disruption', label: 'Highway disruption' },
  { category: 'transport', code: 'rail_air_marine', label: 'Rail, air or marine incident' },
];

/** How an incident ended. `merged` is given by merging, not chosen. */
export const DEFAULT_CLOSING_CODES: readonly ListEntry[] = [
  { code: 'arrest_made', label: 'Arrest made' },
  { code: 'crime_recorded', label: 'Crime recorded' },
  { code: 'advice', label: 'Advice given' },
  { code: 'words_of_advice', label: 'Words of advice to those involved' },
  { code: 'referred_to_partner', label: 'Referred to a partner agency' },
  { code: 'person_found', label: 'Person found safe' },
  { code: 'no_trace', label: 'No trace on arrival' },
  { code: 'no_further_action', label: 'No further police action' },
  { code: 'duplicate', label: 'Duplicate of another incident' },
  { code: 'hoax', label: 'Hoax or malicious' },
  { code: 'called_off', label: 'Called off by the caller' },
  { code: 'merged', label: 'Merged into another incident' },
];

const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9_]+$/, 'use lower-case letters, digits and underscores');
const label = z.string().trim().min(1, 'give a label').max(120);
const minutes = z.number().int().min(1, 'must be at least 1 minute').max(525_600, 'must be a year or less').nullable();

export const responseTargetView = z
  .object({
    grade: z.enum(GRADES),
    setting: z.enum(AREA_SETTINGS),
    deployMinutes: minutes.describe('incident created to first unit dispatched; null: no deploy target'),
    arriveMinutes: minutes.describe('incident created to first unit on scene; null: no arrival target'),
  })
  .meta({ id: 'ResponseTarget' });

export const replaceResponseTargetsBody = z.strictObject({
  targets: z
    .array(
      z
        .strictObject(responseTargetView.shape)
        // A unit cannot arrive before it is sent: both are measured from the incident's creation.
        .refine((t) => t.deployMinutes === null || t.arriveMinutes === null || t.deployMinutes <= t.arriveMinutes, {
          path: ['deployMinutes'],
          message: 'the deploy target must not be later than the arrival target (both count from the incident being created)',
        }),
    )
    .min(1)
    .max(GRADES.length * AREA_SETTINGS.length)
    .refine((targets) => new Set(targets.map((t) => `${t.grade}/${t.setting}`)).size === targets.length, 'name each grade and setting once'),
});

export const listEntryView = z.object({ code: z.string(), label: z.string(), isActive: z.boolean() }).meta({ id: 'ControlRoomListEntry' });
export type ListEntryView = z.infer<typeof listEntryView>;
export const incidentTypeView = listEntryView.extend({ category: z.enum(INCIDENT_CATEGORIES), categoryLabel: z.string() }).meta({ id: 'IncidentType' });
export type IncidentTypeView = z.infer<typeof incidentTypeView>;

const uniqueCodes = (entries: readonly { code: string }[]) => new Set(entries.map((e) => e.code)).size === entries.length;

/** A whole list as the force wants it: entries left out are retired (kept for what was recorded against them). */
export const replaceListBody = z.strictObject({
  entries: z.array(z.strictObject({ code, label })).min(1, 'keep at least one entry').max(200).refine(uniqueCodes, 'give each code once'),
});
export const replaceIncidentTypesBody = z.strictObject({
  entries: z.array(z.strictObject({ code, label, category: z.enum(INCIDENT_CATEGORIES) })).min(1, 'keep at least one entry').max(500).refine(uniqueCodes, 'give each code once'),
});
