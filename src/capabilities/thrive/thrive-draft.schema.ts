import { THRIVE_RATINGS, type ThriveDraftElement, type ThriveElement } from './thrive.schema.ts';

type Suggestion = { element: ThriveElement; rating: string };

/**
 * What each triage category suggests. These are starting points for a person, never a decision:
 * every assessment is confirmed (and usually changed) by the member of staff who makes it.
 */
const CATEGORY_SUGGESTIONS: Record<string, Suggestion[]> = {
  threat_to_life: [
    { element: 'threat', rating: 'high' },
    { element: 'harm', rating: 'high' },
  ],
  weapons: [
    { element: 'threat', rating: 'high' },
    { element: 'harm', rating: 'medium' },
  ],
  self_harm: [
    { element: 'harm', rating: 'high' },
    { element: 'vulnerability', rating: 'confirmed' },
  ],
  domestic_abuse: [
    { element: 'risk', rating: 'medium' },
    { element: 'vulnerability', rating: 'possible' },
  ],
  child_at_risk: [
    { element: 'risk', rating: 'high' },
    { element: 'vulnerability', rating: 'confirmed' },
  ],
  missing_person: [
    { element: 'risk', rating: 'medium' },
    { element: 'vulnerability', rating: 'possible' },
  ],
  hate: [{ element: 'harm', rating: 'medium' }],
  road_danger: [
    { element: 'threat', rating: 'medium' },
    { element: 'risk', rating: 'medium' },
  ],
};

const PRIORITY_SUGGESTIONS: Record<number, Suggestion> = {
  1: { element: 'investigation', rating: 'urgent' },
  2: { element: 'investigation', rating: 'required' },
};

/** The parts of a contact's stored triage JSON the draft reads; anything else is ignored. */
type StoredTriage = { priority?: unknown; matches?: unknown };

function rank(element: ThriveElement, rating: string): number {
  return (THRIVE_RATINGS[element] as readonly string[]).indexOf(rating);
}

function readMatches(triage: StoredTriage): { phrase: string; category: string; weight: number }[] {
  if (!Array.isArray(triage.matches)) return [];
  const out: { phrase: string; category: string; weight: number }[] = [];
  for (const item of triage.matches as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { phrase, category, weight, treatment } = item as { phrase?: unknown; category?: unknown; weight?: unknown; treatment?: unknown };
    // A negated occurrence ("no knife") is not a signal of anything.
    if (treatment === 'negated') continue;
    if (typeof phrase === 'string' && typeof category === 'string' && typeof weight === 'number') out.push({ phrase, category, weight });
  }
  return out;
}

/**
 * A pre-filled THRIVE draft from a contact's triage: for each element the highest rating any
 * signal suggests, and which signals suggested it. Exclusions (negative weights) suggest nothing.
 */
export function draftFromTriage(triage: StoredTriage | null): Record<ThriveElement, ThriveDraftElement> {
  const empty = (): ThriveDraftElement => ({ rating: null, suggestedBy: [] });
  const draft: Record<ThriveElement, ThriveDraftElement> = {
    threat: empty(),
    harm: empty(),
    risk: empty(),
    investigation: empty(),
    vulnerability: empty(),
    engagement: empty(),
  };
  if (!triage) return draft;
  const apply = (suggestion: Suggestion, signal: string) => {
    const current = draft[suggestion.element];
    const currentRank = current.rating === null ? -1 : rank(suggestion.element, current.rating);
    const newRank = rank(suggestion.element, suggestion.rating);
    if (newRank > currentRank) {
      draft[suggestion.element] = { rating: suggestion.rating, suggestedBy: [signal] };
    } else if (newRank === currentRank && !current.suggestedBy.includes(signal)) {
      current.suggestedBy.push(signal);
    }
  };
  for (const match of readMatches(triage)) {
    if (match.weight <= 0) continue;
    for (const suggestion of CATEGORY_SUGGESTIONS[match.category] ?? []) {
      apply(suggestion, `"${match.phrase}" (${match.category.replace(/_/g, ' ')})`);
    }
  }
  const priority = typeof triage.priority === 'number' ? triage.priority : null;
  const byPriority = priority === null ? undefined : PRIORITY_SUGGESTIONS[priority];
  if (byPriority && priority !== null) apply(byPriority, `triage priority ${priority}`);
  return draft;
}
