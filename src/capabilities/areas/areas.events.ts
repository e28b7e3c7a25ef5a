import { z } from 'zod';
import type { Actor } from '../../platform/events/event-log.ts';
import { defineEvent, type PushedLiveMessage } from '../../platform/events/catalogue.ts';

// The areas' entries in the event catalogue (decision 0098): one event per import (about the force,
// naming every area drawn or reshaped), one per change and one per removal (about the area).

const kind = z.enum(['district', 'beat']);
const setting = z.enum(['urban', 'rural']);

/** Open areas pages and maps refetch the force's areas (decision 0100); one message however many events a change appends. */
const areasChanged = (e: { actor: Actor }): PushedLiveMessage[] => [{ type: 'areas.changed', ...(e.actor.type === 'staff' ? { byStaffId: e.actor.id } : {}) }];

/** A boundary file was imported: the areas it drew and those it gave a new shape, by name. */
export const areasImported = defineEvent({
  type: 'area.imported',
  subject: 'force',
  data: {
    format: z.enum(['geojson', 'kml']),
    drawn: z.array(z.object({ id: z.string(), name: z.string(), kind, setting })),
    reshaped: z.array(z.object({ id: z.string(), name: z.string(), kind, setting, settingBefore: setting })),
    positions: z.number(),
  },
  live: areasChanged,
});

/** Renamed or given another setting: each field changed, before and after. */
export const areaChanged = defineEvent({
  type: 'area.changed',
  subject: 'area',
  data: {
    kind,
    name: z.object({ from: z.string(), to: z.string() }).optional(),
    setting: z.object({ from: setting, to: setting }).optional(),
  },
  live: areasChanged,
});

/** Out of every look-up; the incidents and units that name it keep it. */
export const areaRemoved = defineEvent({
  type: 'area.removed',
  subject: 'area',
  data: { name: z.string(), kind, incidentsNamingIt: z.number() },
  live: areasChanged,
});

/** The areas' entries, for the catalogue. */
export const AREA_EVENTS = [areasImported, areaChanged, areaRemoved] as const;
