import { z } from 'zod';

/** Grades of a contact's required response, most urgent first. */
export const GRADES = ['immediate', 'priority', 'scheduled', 'resolution_without_deployment'] as const;
export type Grade = (typeof GRADES)[number];

/** How staff name each grade, on contacts and incidents alike. */
export const GRADE_LABELS: Record<Grade, string> = {
  immediate: 'Immediate',
  priority: 'Priority',
  scheduled: 'Scheduled',
  resolution_without_deployment: 'Resolution without deployment',
};

export const GRADE_REASON_MAX = 500;

export const gradeBody = z.strictObject({
  grade: z.enum(GRADES, { error: `must be one of: ${GRADES.join(', ')}` }),
  reason: z.string().trim().max(GRADE_REASON_MAX, `must be ${GRADE_REASON_MAX} characters or fewer`).optional(),
});

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

export const gradeDefinition = z
  .object({
    grade: z.enum(GRADES),
    label: z.string(),
    description: z.string(),
    targetMinutes: z.number().int().nullable().describe('minutes from grading to attendance; null means no attendance target'),
  })
  .meta({ id: 'GradeDefinition' });
export type GradeDefinition = z.infer<typeof gradeDefinition>;

export const gradeRecordView = z
  .object({
    id: z.string(),
    grade: z.enum(GRADES),
    previousGrade: z.enum(GRADES).nullable(),
    reason: z.string().nullable(),
    gradedAt: isoTime,
    gradedBy: z.object({ id: z.string(), name: z.string() }),
    targetMinutes: z.number().int().nullable(),
    targetAt: isoTime.nullable(),
  })
  .meta({ id: 'GradeRecord' });
export type GradeRecordView = z.infer<typeof gradeRecordView>;

/** A contact's current grade with its target, and every earlier grade. */
export const gradeView = z
  .object({
    contactId: z.string(),
    current: gradeRecordView.nullable(),
    history: z.array(gradeRecordView).describe('newest first, including the current grade'),
    isTargetBreached: z.boolean(),
    incidentId: z.string().nullable().describe('the live incident this contact is linked to, which the grade is carried onto'),
  })
  .meta({ id: 'Grade' });
export type GradeView = z.infer<typeof gradeView>;
