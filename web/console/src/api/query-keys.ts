// Every query key the console uses, in one place. Keys are nested so that one prefix names a
// family: invalidating `contacts.lists` refetches the queue whatever its filter.
import type { AssignedFilter, ContactSearchParams, JobState } from './types.ts';

export const queryKeys = {
  session: ['session'],
  contacts: {
    all: ['contacts'],
    lists: ['contacts', 'list'],
    list: (assigned: AssignedFilter) => ['contacts', 'list', assigned] as const,
    // Under `lists`, so whatever refreshes the queue refreshes searches and counts too.
    search: (params: ContactSearchParams) => ['contacts', 'list', 'search', params] as const,
    details: ['contacts', 'detail'],
    detail: (id: string) => ['contacts', 'detail', id] as const,
    thrive: (id: string) => ['contacts', 'thrive', id] as const,
    grade: (id: string) => ['contacts', 'grade', id] as const,
  },
  grades: ['grades'],
  queues: ['queues'],
  routing: {
    all: ['routing'],
    board: ['routing', 'board'],
    mine: ['routing', 'mine'],
  },
  alerts: ['alerts'],
  /**
   * The control room (screens/dispatch/, api/dispatch.ts): every incident, the list and each one,
   * sits under `incidents`, so one incident's change refreshes the board, its screen and the map.
   */
  dispatch: {
    all: ['dispatch'],
    incidents: ['dispatch', 'incidents'],
    incident: (id: string) => ['dispatch', 'incidents', id] as const,
    recommendation: (id: string) => ['dispatch', 'recommendation', id] as const,
    units: ['dispatch', 'units'],
    areas: ['dispatch', 'areas'],
    mapBase: ['dispatch', 'map-base'],
    breachReasons: ['dispatch', 'breach-reasons'],
    closingCodes: ['dispatch', 'closing-codes'],
    incidentTypes: ['dispatch', 'incident-types'],
  },
  /** Victims' Code updates due (screens/VictimUpdates.tsx), under one prefix whatever the filter. */
  victimUpdates: ['victim-updates'],
  outbox: ['outbox'],
  /** The print queue's letters (screens/print-queue/), under the outbox: a withdrawal there refreshes it too. */
  printQueue: ['outbox', 'letters'],
  jobs: {
    all: ['jobs'],
    list: (state: JobState) => ['jobs', state] as const,
  },
  staff: ['staff'],
  triage: {
    ruleSets: ['triage', 'rule-sets'],
    ruleSet: (version: number) => ['triage', 'rule-sets', version] as const,
  },
  audit: ['audit', 'verify'],
  // What force admins change (screens/admin/).
  admin: {
    queues: ['admin', 'queues'],
    channelTargets: ['admin', 'channel-targets'],
    channels: ['admin', 'channels'],
    channelSettings: (id: string) => ['admin', 'channels', id, 'settings'] as const,
    channelMailbox: (id: string) => ['admin', 'channels', id, 'mailbox'] as const,
    channelKinds: ['admin', 'channel-kinds'],
    templates: ['admin', 'templates'],
    journeyRules: ['admin', 'journey-rules'],
    settings: ['admin', 'settings'],
    smsOptOutsAll: ['admin', 'sms-opt-outs'],
    smsOptOuts: (params: { number?: string; offset: number }) => ['admin', 'sms-opt-outs', params] as const,
  },
} as const;

/** Everything a change to one contact can show up in: its screen, its panels, the queue and the board. */
export function keysOfContact(id: string) {
  return [queryKeys.contacts.detail(id), queryKeys.contacts.thrive(id), queryKeys.contacts.grade(id), queryKeys.contacts.lists, queryKeys.routing.board];
}
