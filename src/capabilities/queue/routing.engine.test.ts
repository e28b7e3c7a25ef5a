import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  chooseAssignee,
  capacityClassOf,
  compareWaiting,
  type Decision,
  isSuitable,
  isThreatToLife,
  matchQueueRule,
  planAssignments,
  type QueueRule,
  skillNeeds,
  type WaitingContact,
} from './routing.engine.ts';
import { PRESENCES, type CapacityClass } from '../staff/staff.schema.ts';

const now = new Date('2026-11-22T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

function contact(contactId: string, overrides: Partial<WaitingContact> = {}): WaitingContact {
  return {
    contactId,
    priority: 3,
    isThreatToLife: false,
    enqueuedAt: minutesAgo(5),
    capacityClass: 'chat',
    requiredSkills: [],
    preferredSkills: [],
    ...overrides,
  };
}

function person(staffId: string, overrides: Partial<Candidate> = {}): Candidate {
  return {
    staffId,
    presence: 'available',
    skills: new Set<string>(),
    capacity: { call: 1, chat: 3 },
    load: {},
    idleSince: minutesAgo(10),
    ...overrides,
  };
}

function rule(queueId: string, position: number, overrides: Partial<QueueRule> = {}): QueueRule {
  return { queueId, position, channels: null, categories: null, priorities: null, ...overrides };
}

describe('matchQueueRule', () => {
  const facts = { channel: 'chat', categories: ['domestic_abuse'], priority: 2 };

  it('takes the first rule by position, not by the order it was given in', () => {
    const rules = [rule('late', 20), rule('early', 10), rule('middle', 15)];
    expect(matchQueueRule(rules, facts)?.queueId).toBe('early');
    expect(rules.map((r) => r.queueId)).toEqual(['late', 'early', 'middle']);
  });

  it('treats a null or empty list as "any"', () => {
    expect(matchQueueRule([rule('q', 1)], facts)?.queueId).toBe('q');
    expect(matchQueueRule([rule('q', 1, { channels: [], categories: [], priorities: [] })], facts)?.queueId).toBe('q');
  });

  it('requires every stated condition to hold', () => {
    const rules = [
      rule('wrong-priority', 1, { channels: ['chat'], categories: ['domestic_abuse'], priorities: [1] }),
      rule('wrong-channel', 2, { channels: ['phone'], categories: ['domestic_abuse'], priorities: [2] }),
      rule('wrong-category', 3, { channels: ['chat'], categories: ['hate'], priorities: [2] }),
      rule('all-hold', 4, { channels: ['chat', 'sms_twilio'], categories: ['domestic_abuse'], priorities: [2, 3] }),
    ];
    expect(matchQueueRule(rules, facts)?.queueId).toBe('all-hold');
  });

  it('matches a category rule when any one of the contact categories is listed', () => {
    const rules = [rule('abuse', 1, { categories: ['hate', 'domestic_abuse'] })];
    expect(matchQueueRule(rules, { channel: 'email', categories: ['weapons', 'domestic_abuse'], priority: 4 })?.queueId).toBe('abuse');
  });

  it('matches-no-queue-when-no-rule-holds', () => {
    const rules = [rule('phones', 1, { channels: ['phone'] }), rule('p1', 2, { priorities: [1] })];
    expect(matchQueueRule(rules, facts)).toBeNull();
    expect(matchQueueRule([], facts)).toBeNull();
  });

  it('does-not-match-a-category-rule-for-a-contact-with-no-categories', () => {
    const rules = [rule('abuse', 1, { categories: ['domestic_abuse'] }), rule('fallback', 2)];
    expect(matchQueueRule(rules, { channel: 'chat', categories: [], priority: 3 })?.queueId).toBe('fallback');
  });
});

describe('skillNeeds', () => {
  it('requires the queue skills, sorted and without repeats', () => {
    const needs = skillNeeds({ channel: 'chat', categories: [], queueSkills: ['welsh', 'control_room', 'welsh'] });
    expect(needs).toEqual({ required: ['control_room', 'welsh'], preferred: [] });
  });

  it('requires social media training for public social channels only', () => {
    for (const channel of ['meta', 'x']) {
      expect(skillNeeds({ channel, categories: [], queueSkills: [] }).required, channel).toEqual(['social_media']);
      // Escalated to the control room, a control-room operator takes it; social media is preferred.
      expect(skillNeeds({ channel, categories: [], queueSkills: ['control_room'] }), channel).toEqual({ required: ['control_room'], preferred: ['social_media'] });
    }
    for (const channel of ['chat', 'phone', 'sms_twilio', 'email', 'portal']) {
      expect(skillNeeds({ channel, categories: [], queueSkills: [] }).required, channel).toEqual([]);
    }
  });

  it('requires a BSL user for the BSL channel', () => {
    expect(skillNeeds({ channel: 'bsl', categories: [], queueSkills: [] }).required).toEqual(['bsl']);
  });

  it('makes category skills preferred, never required', () => {
    const needs = skillNeeds({ channel: 'chat', categories: ['self_harm', 'domestic_abuse', 'child_at_risk', 'hate', 'weapons'], queueSkills: [] });
    expect(needs.required).toEqual([]);
    expect(needs.preferred).toEqual(['child_protection', 'domestic_abuse', 'hate_crime', 'mental_health']);
  });

  it('does not also prefer a skill the queue already requires', () => {
    const needs = skillNeeds({ channel: 'chat', categories: ['domestic_abuse'], queueSkills: ['domestic_abuse'] });
    expect(needs).toEqual({ required: ['domestic_abuse'], preferred: [] });
  });

  it('prefers a Welsh speaker for a contact in Welsh, without making one required', () => {
    expect(skillNeeds({ channel: 'chat', categories: [], queueSkills: [], language: 'cy' })).toEqual({ required: [], preferred: ['welsh'] });
    expect(skillNeeds({ channel: 'chat', categories: [], queueSkills: ['welsh'], language: 'cy' })).toEqual({ required: ['welsh'], preferred: [] });
  });

  it('does-not-prefer-welsh-for-other-languages', () => {
    for (const language of ['en', null, undefined]) {
      expect(skillNeeds({ channel: 'chat', categories: [], queueSkills: [], language }).preferred, String(language)).toEqual([]);
    }
  });

  it('does-not-turn-object-prototype-names-into-skills', () => {
    const needs = skillNeeds({ channel: 'chat', categories: ['constructor', 'toString', '__proto__'], queueSkills: [] });
    expect(needs.preferred).toEqual([]);
  });
});

describe('isThreatToLife', () => {
  it('is true when any category is a threat to life', () => {
    expect(isThreatToLife(['threat_to_life'])).toBe(true);
    expect(isThreatToLife(['weapons', 'self_harm'])).toBe(true);
  });

  it('is-false-for-serious-but-not-life-threatening-categories', () => {
    expect(isThreatToLife(['domestic_abuse', 'weapons', 'child_at_risk'])).toBe(false);
    expect(isThreatToLife([])).toBe(false);
  });
});

describe('capacityClassOf', () => {
  it('maps each known channel to its class', () => {
    const expected: Record<string, CapacityClass> = {
      phone: 'call',
      callback: 'call',
      chat: 'chat',
      meta: 'social',
      x: 'social',
      sms_twilio: 'sms',
      sms_notify: 'sms',
      email: 'email',
      portal: 'online',
      api: 'online',
    };
    for (const [channel, capacityClass] of Object.entries(expected)) expect(capacityClassOf(channel), channel).toBe(capacityClass);
  });

  it('counts an unknown channel as an online report', () => {
    expect(capacityClassOf('carrier_pigeon')).toBe('online');
    expect(capacityClassOf('')).toBe('online');
  });

  it('does-not-return-object-prototype-members-for-channel-names-like-constructor', () => {
    for (const channel of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(capacityClassOf(channel), channel).toBe('online');
    }
  });
});

describe('compareWaiting', () => {
  it('puts a threat to life first, then priority, then the longest waiting, then id', () => {
    const contacts = [
      contact('p3-old', { priority: 3, enqueuedAt: minutesAgo(60) }),
      contact('p1-new', { priority: 1, enqueuedAt: minutesAgo(1) }),
      contact('ttl-p2', { priority: 2, isThreatToLife: true, enqueuedAt: minutesAgo(1) }),
      contact('p1-old', { priority: 1, enqueuedAt: minutesAgo(30) }),
      contact('p3-b', { priority: 3, enqueuedAt: minutesAgo(10) }),
      contact('p3-a', { priority: 3, enqueuedAt: minutesAgo(10) }),
      contact('ttl-p1', { priority: 1, isThreatToLife: true, enqueuedAt: minutesAgo(2) }),
    ];
    expect([...contacts].sort(compareWaiting).map((c) => c.contactId)).toEqual([
      'ttl-p1',
      'ttl-p2',
      'p1-old',
      'p1-new',
      'p3-old',
      'p3-a',
      'p3-b',
    ]);
  });

  it('is zero only for the same contact', () => {
    const a = contact('a');
    expect(compareWaiting(a, { ...a })).toBe(0);
    expect(compareWaiting(a, contact('b'))).toBeLessThan(0);
    expect(compareWaiting(contact('b'), a)).toBeGreaterThan(0);
  });
});

describe('isSuitable', () => {
  it('accepts an available person with a free slot and every required skill', () => {
    const p = person('s1', { skills: new Set(['welsh', 'control_room']) });
    expect(isSuitable(p, contact('c1', { requiredSkills: ['welsh'] }))).toBe(true);
  });

  it('never-suits-busy-away-or-offline-staff', () => {
    for (const presence of PRESENCES.filter((p) => p !== 'available')) {
      expect(isSuitable(person('s1', { presence }), contact('c1')), presence).toBe(false);
    }
  });

  it('never-suits-someone-the-contact-was-taken-back-from', () => {
    expect(isSuitable(person('s1'), contact('c1', { excludedStaffIds: ['s0', 's1'] }))).toBe(false);
    expect(isSuitable(person('s2'), contact('c1', { excludedStaffIds: ['s0', 's1'] }))).toBe(true);
  });

  it('never-suits-someone-missing-a-required-skill', () => {
    const p = person('s1', { skills: new Set(['welsh']) });
    expect(isSuitable(p, contact('c1', { requiredSkills: ['welsh', 'social_media'] }))).toBe(false);
  });

  it('never-suits-someone-full-in-the-contact-class-even-with-room-in-another', () => {
    const p = person('s1', { capacity: { call: 1, chat: 3 }, load: { chat: 3 } });
    expect(isSuitable(p, contact('c1', { capacityClass: 'chat' }))).toBe(false);
    expect(isSuitable(p, contact('c2', { capacityClass: 'call' }))).toBe(true);
  });

  it('never-suits-someone-with-no-capacity-stated-for-the-class', () => {
    const p = person('s1', { capacity: { call: 1, chat: 3 } });
    expect(isSuitable(p, contact('c1', { capacityClass: 'social' }))).toBe(false);
  });

  it('does not require a preferred skill', () => {
    expect(isSuitable(person('s1'), contact('c1', { preferredSkills: ['mental_health'] }))).toBe(true);
  });
});

describe('chooseAssignee', () => {
  it('prefers the most preferred skills matched over a lighter load and a longer idle', () => {
    const trained = person('trained', { skills: new Set(['domestic_abuse', 'welsh']), load: { chat: 2 }, idleSince: minutesAgo(1) });
    const halfTrained = person('half', { skills: new Set(['welsh']), load: { chat: 1 }, idleSince: minutesAgo(5) });
    const untrained = person('untrained', { load: {}, idleSince: minutesAgo(60) });
    const c = contact('c1', { preferredSkills: ['domestic_abuse', 'welsh'] });
    const decision = chooseAssignee(c, [untrained, halfTrained, trained], now);
    expect(decision?.staffId).toBe('trained');
    expect(decision?.reason.preferredSkillsMatched).toEqual(['domestic_abuse', 'welsh']);
  });

  it('prefers the lighter load, across all classes, over a longer idle', () => {
    const onACall = person('on-call', { load: { call: 1 }, idleSince: minutesAgo(60) });
    const free = person('free', { load: {}, idleSince: minutesAgo(1) });
    expect(chooseAssignee(contact('c1'), [onACall, free], now)?.staffId).toBe('free');
  });

  it('measures load as a share of what each person can hold', () => {
    // A third full beats half full, though the half-full person has fewer contacts and has been idle longer.
    const large = person('large', { capacity: { chat: 6 }, load: { chat: 2 }, idleSince: minutesAgo(1) });
    const small = person('small', { capacity: { chat: 2 }, load: { chat: 1 }, idleSince: minutesAgo(30) });
    expect(chooseAssignee(contact('c1'), [small, large], now)?.staffId).toBe('large');
  });

  it('gives equal people work by the longest idle, whatever their order in the list', () => {
    const people = [person('a', { idleSince: minutesAgo(3) }), person('b', { idleSince: minutesAgo(9) }), person('c', { idleSince: minutesAgo(6) })];
    expect(chooseAssignee(contact('c1'), people, now)?.staffId).toBe('b');
    expect(chooseAssignee(contact('c1'), [...people].reverse(), now)?.staffId).toBe('b');
  });

  it('passes over an unsuitable person however good a fit they would be', () => {
    const best = person('best', { skills: new Set(['mental_health']), idleSince: minutesAgo(100) });
    const c = contact('c1', { preferredSkills: ['mental_health'], excludedStaffIds: ['best'] });
    expect(chooseAssignee(c, [best, person('other')], now)?.staffId).toBe('other');
    expect(chooseAssignee(contact('c2', { preferredSkills: ['mental_health'] }), [{ ...best, presence: 'away' }, person('other')], now)?.staffId).toBe('other');
  });

  it('assigns-nobody-when-only-busy-away-offline-excluded-or-full-staff-remain', () => {
    const candidates = [
      person('busy', { presence: 'busy' }),
      person('away', { presence: 'away' }),
      person('offline', { presence: 'offline' }),
      person('excluded'),
      person('full', { load: { chat: 3 } }),
    ];
    expect(chooseAssignee(contact('c1', { excludedStaffIds: ['excluded'] }), candidates, now)).toBeNull();
    expect(chooseAssignee(contact('c1'), [], now)).toBeNull();
  });

  it('explains the choice with the class load, the class capacity and the idle seconds', () => {
    const p = person('s1', { skills: new Set(['hate_crime']), capacity: { call: 1, chat: 4 }, load: { chat: 1, call: 1 }, idleSince: new Date('2026-11-22T09:58:30Z') });
    const decision = chooseAssignee(contact('c1', { preferredSkills: ['hate_crime', 'welsh'] }), [p], now);
    expect(decision).toEqual<Decision>({
      contactId: 'c1',
      staffId: 's1',
      reason: { preferredSkillsMatched: ['hate_crime'], loadBefore: 1, capacity: 4, idleSeconds: 90 },
    });
  });

  it('does-not-report-negative-idle-time-for-an-idle-time-after-now', () => {
    const p = person('s1', { idleSince: new Date('2026-11-22T10:05:00Z') });
    expect(chooseAssignee(contact('c1'), [p], now)?.reason.idleSeconds).toBe(0);
  });

  it('does-not-change-the-candidates', () => {
    const p = person('s1', { load: { chat: 1 } });
    const idleBefore = p.idleSince.getTime();
    chooseAssignee(contact('c1'), [p], now);
    expect(p.load).toEqual({ chat: 1 });
    expect(p.idleSince.getTime()).toBe(idleBefore);
  });
});

describe('planAssignments', () => {
  it('gives out a threat to life first, then by priority, then by waiting time', () => {
    const waiting = [
      contact('p2-old', { priority: 2, enqueuedAt: minutesAgo(40) }),
      contact('p1', { priority: 1, enqueuedAt: minutesAgo(1) }),
      contact('ttl', { priority: 3, isThreatToLife: true, enqueuedAt: minutesAgo(0) }),
      contact('p2-new', { priority: 2, enqueuedAt: minutesAgo(2) }),
    ];
    const decisions = planAssignments(waiting, [person('s1', { capacity: { chat: 10 } })], now);
    expect(decisions.map((d) => d.contactId)).toEqual(['ttl', 'p1', 'p2-old', 'p2-new']);
  });

  it('gives the only free slot to the threat to life, not the one waiting longest', () => {
    const waiting = [contact('old-p1', { priority: 1, enqueuedAt: minutesAgo(90) }), contact('ttl', { priority: 2, isThreatToLife: true })];
    const decisions = planAssignments(waiting, [person('s1', { capacity: { chat: 1 } })], now);
    expect(decisions.map((d) => d.contactId)).toEqual(['ttl']);
  });

  it('gives equal people work in turn, longest idle first', () => {
    const staff = [
      person('a', { idleSince: minutesAgo(2) }),
      person('b', { idleSince: minutesAgo(8) }),
      person('c', { idleSince: minutesAgo(4) }),
      person('d', { idleSince: minutesAgo(6) }),
    ];
    const waiting = Array.from({ length: 12 }, (_, i) => contact(`c${String(i).padStart(2, '0')}`, { enqueuedAt: minutesAgo(60 - i) }));
    const decisions = planAssignments(waiting, staff, now);
    expect(decisions).toHaveLength(12);
    expect(decisions.slice(0, 4).map((d) => d.staffId)).toEqual(['b', 'd', 'c', 'a']);
    // Each later round of four gives everyone exactly one more.
    for (let round = 1; round < 3; round++) {
      expect(new Set(decisions.slice(round * 4, round * 4 + 4).map((d) => d.staffId)), `round ${round}`).toEqual(new Set(['a', 'b', 'c', 'd']));
    }
  });

  it('never-gives-anyone-more-than-their-capacity-in-a-round', () => {
    const staff = [person('a', { capacity: { call: 1, chat: 2 } }), person('b', { capacity: { call: 1, chat: 1 }, load: { chat: 1 } })];
    const waiting = [
      ...Array.from({ length: 4 }, (_, i) => contact(`call${i}`, { capacityClass: 'call', enqueuedAt: minutesAgo(50 - i) })),
      ...Array.from({ length: 5 }, (_, i) => contact(`chat${i}`, { capacityClass: 'chat', enqueuedAt: minutesAgo(40 - i) })),
    ];
    const decisions = planAssignments(waiting, staff, now);
    const given = (staffId: string, capacityClass: CapacityClass) =>
      decisions.filter((d) => d.staffId === staffId && waiting.find((w) => w.contactId === d.contactId)?.capacityClass === capacityClass).length;
    expect(given('a', 'call')).toBe(1);
    expect(given('b', 'call')).toBe(1);
    expect(given('a', 'chat')).toBe(2);
    expect(given('b', 'chat')).toBe(0);
    expect(decisions.map((d) => d.contactId).sort()).toEqual(['call0', 'call1', 'chat0', 'chat1'].sort());
  });

  it('records the plan on the candidates: their load goes up and they become the least idle', () => {
    const a = person('a', { load: { chat: 1 }, idleSince: minutesAgo(30) });
    const b = person('b', { idleSince: minutesAgo(20) });
    const decisions = planAssignments([contact('c1', { capacityClass: 'call' })], [a, b], now);
    expect(decisions.map((d) => d.staffId)).toEqual(['b']);
    expect(b.load).toEqual({ call: 1 });
    expect(b.idleSince.getTime()).toBe(now.getTime());
    expect(a.load).toEqual({ chat: 1 });
    expect(a.idleSince.getTime()).toBe(minutesAgo(30).getTime());
  });

  it('leaves a contact nobody can take waiting and goes on to the next', () => {
    const waiting = [
      contact('needs-bsl', { priority: 1, requiredSkills: ['bsl'] }),
      contact('only-s1-excluded', { priority: 2, excludedStaffIds: ['s1'] }),
      contact('ordinary', { priority: 3 }),
    ];
    const decisions = planAssignments(waiting, [person('s1')], now);
    expect(decisions.map((d) => d.contactId)).toEqual(['ordinary']);
  });

  it('plans-nothing-when-nobody-is-available', () => {
    const staff = [person('busy', { presence: 'busy' }), person('away', { presence: 'away' }), person('offline', { presence: 'offline' })];
    expect(planAssignments([contact('c1'), contact('c2')], staff, now)).toEqual([]);
    expect(planAssignments([], [person('s1')], now)).toEqual([]);
  });
});
