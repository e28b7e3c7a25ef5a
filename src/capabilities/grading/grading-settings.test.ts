import { describe, expect, it } from 'vitest';
import { parseGradeTargets } from './grading-settings.schema.ts';

describe('parseGradeTargets', () => {
  it('defaults to the standard targets', () => {
    expect(parseGradeTargets({})).toEqual({ immediate: 15, priority: 60, scheduled: 2880, resolution_without_deployment: null });
  });

  it('takes the force values and ignores nonsense', () => {
    expect(parseGradeTargets({ gradeTargets: { immediate: 20, priority: -5, scheduled: 'soon' } })).toEqual({
      immediate: 20,
      priority: 60,
      scheduled: 2880,
      resolution_without_deployment: null,
    });
  });
});
