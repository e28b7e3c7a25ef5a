import { describe, expect, it } from 'vitest';
import { JOURNEY_MESSAGES, JOURNEY_PLACEHOLDERS } from './journey-messages.schema.ts';
import { DEFAULT_JOURNEY_RULES } from './journey-defaults.repository.ts';
import { DEFAULT_TEMPLATES } from './default-templates.schema.ts';
import { placeholdersIn } from './templates.service.ts';
import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';

describe('the journey messages a force starts with', () => {
  it('has at least forty kinds, each key once', () => {
    const keys = JOURNEY_MESSAGES.map((m) => m.key);
    expect(keys.length).toBeGreaterThanOrEqual(40);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(JOURNEY_MESSAGES.map((m) => [m.key, m] as const))('%s has email and SMS, in English and Welsh, with known placeholders alike', (_, message) => {
    const texts = {
      en: [message.email.en.subject, message.email.en.body, message.sms.en],
      cy: [message.email.cy.subject, message.email.cy.body, message.sms.cy],
    };
    for (const text of [...texts.en, ...texts.cy]) {
      expect(text.trim().length).toBeGreaterThan(0);
      for (const name of placeholdersIn(text)) expect(JOURNEY_PLACEHOLDERS).toContain(name);
    }
    expect(texts.cy.map((t) => placeholdersIn(t).sort())).toEqual(texts.en.map((t) => placeholdersIn(t).sort()));
    expect(texts.cy).not.toEqual(texts.en);
    for (const channel of ['email', 'sms']) {
      for (const locale of ['en', 'cy']) expect(DEFAULT_TEMPLATES.filter((t) => t.key === message.key && t.channel === channel && t.locale === locale)).toHaveLength(1);
    }
  });

  it('keeps text messages short enough for two SMS parts', () => {
    const long = JOURNEY_MESSAGES.flatMap((m) => [m.sms.en, m.sms.cy].filter((t) => t.length > 300).map(() => m.key));
    expect(long).toEqual([]);
  });

  it('has a template for every default rule, and a rule for every milestone of the case machine', () => {
    const keys = new Set(JOURNEY_MESSAGES.map((m) => m.key));
    expect(DEFAULT_JOURNEY_RULES.filter((r) => !keys.has(r.templateKey)).map((r) => r.templateKey)).toEqual([]);
    const answered = new Set(DEFAULT_JOURNEY_RULES.map((r) => r.milestone));
    expect(Object.values(CASE_MOVE_EVENTS).filter((event) => !answered.has(event))).toEqual([]);
  });
});
