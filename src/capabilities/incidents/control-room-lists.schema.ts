import { z } from 'zod';
import { GRADES } from '../grading/grading.schema.ts';
import { INCIDENT_CATEGORIES } from './control-room-lists.ts';
import { AREA_SETTINGS } from './response-clock.ts';

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
