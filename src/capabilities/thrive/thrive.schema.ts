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

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** One schema per THRIVE element, keyed by element. */
function perElement<S extends z.ZodType>(schema: S) {
  return z.object({ threat: schema, harm: schema, risk: schema, investigation: schema, vulnerability: schema, engagement: schema });
}

export const thriveElementView = z.object({ rating: z.string(), rationale: z.string() });
export type ThriveElementView = z.infer<typeof thriveElementView>;

export const thriveAssessmentView = z
  .object({
    id: z.string(),
    assessedAt: isoTime,
    assessor: z.object({ id: z.string(), name: z.string() }),
    elements: perElement(thriveElementView),
    reassessmentDueAt: isoTime,
  })
  .meta({ id: 'ThriveAssessment' });
export type ThriveAssessmentView = z.infer<typeof thriveAssessmentView>;

export const thriveDraftElement = z.object({
  rating: z.string().nullable().describe('null when triage said nothing about this element: the assessor must choose'),
  suggestedBy: z.array(z.string()).describe('the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)`'),
});
export type ThriveDraftElement = z.infer<typeof thriveDraftElement>;

/** A contact's THRIVE: the latest assessment, its history, a draft from triage, and when to re-assess. */
export const thriveView = z
  .object({
    contactId: z.string(),
    latest: thriveAssessmentView.nullable(),
    history: z.array(thriveAssessmentView).describe('newest first, including the latest'),
    draft: perElement(thriveDraftElement),
    reassessAfterMinutes: z.number().int(),
    reassessmentDueAt: isoTime.nullable(),
    isOverdue: z.boolean(),
    isReassessmentFlagged: z.boolean().describe('the re-assessment job found the latest assessment unanswered at its due time'),
  })
  .meta({ id: 'Thrive' });
export type ThriveView = z.infer<typeof thriveView>;
