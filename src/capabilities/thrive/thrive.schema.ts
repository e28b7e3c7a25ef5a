import { z } from 'zod';

/** The six THRIVE elements, in the order they are assessed and shown. */
export const THRIVE_ELEMENTS = ['threat', 'harm', 'risk', 'investigation', 'vulnerability', 'engagement'] as const;
export type ThriveElement = (typeof THRIVE_ELEMENTS)[number];

/** The ratings each element allows, lowest concern first (the draft takes the highest suggested). */
export const THRIVE_RATINGS = {
  threat: ['none', 'low', 'medium', 'high'],
  harm: ['none', 'low', 'medium', 'high'],
  risk: ['none', 'low', 'medium', 'high'],
  investigation: ['none', 'required', 'urgent'],
  vulnerability: ['none', 'possible', 'confirmed'],
  engagement: ['engaged', 'reluctant', 'unable'],
} as const satisfies Record<ThriveElement, readonly string[]>;
export type ThriveRating<E extends ThriveElement = ThriveElement> = (typeof THRIVE_RATINGS)[E][number];

export const RATIONALE_MAX = 2000;

function elementSchema<E extends ThriveElement>(element: E) {
  const ratings = THRIVE_RATINGS[element];
  return z.strictObject(
    {
      rating: z.enum(ratings, { error: `must be one of: ${ratings.join(', ')}` }),
      rationale: z
        .string({ error: 'is required' })
        .trim()
        .min(1, 'must not be empty')
        .max(RATIONALE_MAX, `must be ${RATIONALE_MAX.toLocaleString('en-GB')} characters or fewer`),
    },
    { error: (issue) => (issue.input === undefined ? `${element} is required` : 'must be an object with rating and rationale') },
  );
}

/** A full assessment: every element rated and explained by the person assessing. */
export const thriveBody = z.strictObject({
  threat: elementSchema('threat'),
  harm: elementSchema('harm'),
  risk: elementSchema('risk'),
  investigation: elementSchema('investigation'),
  vulnerability: elementSchema('vulnerability'),
  engagement: elementSchema('engagement'),
});
export type ThriveInput = z.infer<typeof thriveBody>;

export type ThriveElementView = { rating: string; rationale: string };

export type ThriveAssessmentView = {
  id: string;
  assessedAt: string;
  assessor: { id: string; name: string };
  elements: Record<ThriveElement, ThriveElementView>;
  reassessmentDueAt: string;
};

export type ThriveDraftElement = {
  /** null when triage said nothing about this element: the assessor must choose. */
  rating: string | null;
  /** The triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)`. */
  suggestedBy: string[];
};

export type ThriveView = {
  contactId: string;
  latest: ThriveAssessmentView | null;
  /** Newest first, including the latest. */
  history: ThriveAssessmentView[];
  draft: Record<ThriveElement, ThriveDraftElement>;
  reassessAfterMinutes: number;
  reassessmentDueAt: string | null;
  isOverdue: boolean;
  /** True once the re-assessment job found the latest assessment unanswered at its due time. */
  isReassessmentFlagged: boolean;
};
