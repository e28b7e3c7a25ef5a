import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// Triage's entries in the event catalogue.

/** A new version of the force's triage rules was written (and perhaps made active at once). */
export const triageRuleSetPublished = defineEvent({
  type: 'triage.rule_set_published',
  subject: 'triage_rule_set',
  data: { version: z.number(), ruleCount: z.number(), isActive: z.boolean() },
});

/** A version of the rules became the one new contacts are scored with. */
export const triageRuleSetActivated = defineEvent({
  type: 'triage.rule_set_activated',
  subject: 'triage_rule_set',
  data: { version: z.number(), previousVersion: z.number().nullable() },
});

/** A rule pack (the Welsh rules, the 2026 English additions) was given to the force, in the version named; never again. */
export const triageRulePackAdded = defineEvent({
  type: 'triage.rule_pack_added',
  subject: 'triage_rule_set',
  data: { pack: z.string(), version: z.number(), ruleCount: z.number() },
});

/** Triage's entries, for the catalogue. */
export const TRIAGE_EVENTS = [triageRuleSetPublished, triageRuleSetActivated, triageRulePackAdded] as const;
