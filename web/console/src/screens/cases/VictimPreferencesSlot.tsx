/**
 * PLACEHOLDER for each victim's contact preferences (channel, language, safe times, "portal only"),
 * which the journeys work serves at GET /api/cases/:id/victims/:victimId/preferences. Not called
 * yet: that route is not in the API document. When it is, read it here with TanStack Query and
 * show (and let the investigator change) the preferences under the victim's name.
 */
export function VictimPreferencesSlot(_props: { caseId: string; victimId: string }) {
  return null;
}
