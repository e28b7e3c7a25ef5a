// What a journey rule form sends, and what it becomes when someone else changed the rule after the
// admin opened it (decision 0079), without a browser.
import { describe, expect, it } from 'vitest';
import { changedRuleFields, clashSentence, rebaseRuleChange } from '../../web/console/src/screens/admin/journey-rule-changes.ts';

const opened = {
  milestone: 'case.reopened',
  templateKey: 'victim_support.offer',
  victimCategory: 'all' as const,
  crimeType: null,
  outcomeCodes: null,
  delayMinutes: 0,
  delayFrom: 'milestone' as const,
  statutory: false,
  fallback: false,
};
const choices = {
  milestones: [{ milestone: 'case.reopened', label: 'Case reopened', namesATime: false, hasOutcome: false }],
  templates: [{ key: 'victim_support.offer', purpose: 'Offer of victim support' }],
  crimeTypes: [{ code: 'BUR-RES', label: 'Residential burglary' }],
  outcomes: [],
};

describe('a journey rule change made from the rule as opened', () => {
  it('sends only the fields the admin changed', () => {
    expect(changedRuleFields(opened, { ...opened, delayMinutes: 60 })).toEqual({ delayMinutes: 60 });
    expect(changedRuleFields(opened, { ...opened })).toEqual({});
  });

  it('takes-the-other-admin-s-change-to-fields-left-alone-and-keeps-every-field-this-admin-changed', () => {
    const wanted = { ...opened, victimCategory: 'enhanced' as const, crimeType: 'BUR-RES' };
    const current = { ...opened, delayMinutes: 1440 };
    const { form, clashes } = rebaseRuleChange(opened, wanted, current);
    expect(form).toEqual({ ...opened, victimCategory: 'enhanced', crimeType: 'BUR-RES', delayMinutes: 1440 });
    expect(clashes).toEqual([]);
    // Saved again from the rule as it is now, the change sends only this admin's fields: the other's delay stands.
    expect(changedRuleFields(current, { ...form, victimCategory: 'enhanced' })).toEqual({ victimCategory: 'enhanced', crimeType: 'BUR-RES' });
  });

  it('names-each-field-both-changed-differently-keeping-this-admin-s-value-in-the-form', () => {
    const wanted = { ...opened, delayMinutes: 120, statutory: true };
    const current = { ...opened, delayMinutes: 1440, statutory: true };
    const { form, clashes } = rebaseRuleChange(opened, wanted, current);
    expect(form).toMatchObject({ delayMinutes: 120, statutory: true });
    // Both made it a Victims' Code update: the same value is no clash.
    expect(clashes).toEqual([{ field: 'delayMinutes', yours: 120, theirs: 1440 }]);
    expect(clashSentence({ field: 'delayMinutes', yours: 120, theirs: 1440 }, choices)).toBe(
      'Delay in minutes is now “1440 minutes”; the form keeps yours, “120 minutes”. Save again to put yours over it, or change it.',
    );
    expect(clashSentence({ field: 'crimeType', yours: null, theirs: 'BUR-RES' }, choices)).toBe(
      'Crime type is now “Residential burglary”; the form keeps yours, “Any crime type”. Save again to put yours over it, or change it.',
    );
  });
});
