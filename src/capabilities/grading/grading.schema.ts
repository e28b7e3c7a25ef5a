import { z } from 'zod';

/** Grades of a contact's required response, most urgent first. */
export const GRADES = ['immediate', 'priority', 'scheduled', 'resolution_without_deployment'] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_REASON_MAX = 500;

export const gradeBody = z.strictObject({
  grade: z.enum(GRADES, { error: `must be one of: ${GRADES.join(', ')}` }),
  reason: z.string().trim().max(GRADE_REASON_MAX, `must be ${GRADE_REASON_MAX} characters or fewer`).optional(),
});

export type GradeDefinition = {
  grade: Grade;
  label: string;
  description: string;
  /** Minutes from grading to attendance; null means no attendance target. */
  targetMinutes: number | null;
};

export type GradeRecordView = {
  id: string;
  grade: Grade;
  previousGrade: Grade | null;
  reason: string | null;
  gradedAt: string;
  gradedBy: { id: string; name: string };
  targetMinutes: number | null;
  targetAt: string | null;
};

export type GradeView = {
  contactId: string;
  current: GradeRecordView | null;
  /** Newest first, including the current grade. */
  history: GradeRecordView[];
  isTargetBreached: boolean;
};
