import { describe, expect, it } from 'vitest';
import { chooseAssignee, compareWaiting, planAssignments, type Candidate, type WaitingContact } from './routing.engine.ts';
import { CAPACITY_CLASSES, PRESENCES, SKILLS, type CapacityClass } from '../staff/staff.schema.ts';

// The rules of a plan checked over thousands of generated contacts and people, apart from the
// hand-made cases of routing.engine.test.ts.

const now = new Date('2026-11-22T10:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('planAssignments on a large queue from a seeded generator', () => {
  // mulberry32: a small seeded PRNG, so the scenario is the same on every run.
  function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function pick<T>(random: () => number, items: readonly T[]): T {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  function scenario(seed: number): { waiting: WaitingContact[]; staff: Candidate[] } {
    const random = seeded(seed);
    const staffIds = Array.from({ length: 50 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const staff = staffIds.map((staffId): Candidate => {
      const capacity: Partial<Record<CapacityClass, number>> = {};
      const load: Partial<Record<CapacityClass, number>> = {};
      for (const k of CAPACITY_CLASSES) {
        if (random() < 0.3) continue;
        const cap = Math.floor(random() * 4);
        capacity[k] = cap;
        if (random() < 0.4) load[k] = Math.floor(random() * (cap + 1));
      }
      return {
        staffId,
        presence: random() < 0.7 ? 'available' : pick(random, PRESENCES),
        skills: new Set(SKILLS.filter(() => random() < 0.35)),
        capacity,
        load,
        idleSince: minutesAgo(Math.floor(random() * 240)),
      };
    });
    const waiting = Array.from({ length: 2000 }, (_, i): WaitingContact => {
      const requiredSkills = random() < 0.3 ? [pick(random, SKILLS)] : [];
      return {
        contactId: `c${String(i).padStart(4, '0')}`,
        priority: 1 + Math.floor(random() * 4),
        isThreatToLife: random() < 0.03,
        enqueuedAt: minutesAgo(Math.floor(random() * 600)),
        capacityClass: pick(random, CAPACITY_CLASSES),
        requiredSkills,
        preferredSkills: SKILLS.filter(() => random() < 0.1),
        excludedStaffIds: random() < 0.1 ? [pick(random, staffIds), pick(random, staffIds)] : [],
      };
    });
    return { waiting, staff };
  }

  it('assigns no contact twice, overfills nobody, and breaks no rule of suitability', () => {
    const { waiting, staff } = scenario(20261122);
    const before = new Map(staff.map((s) => [s.staffId, { ...s, load: { ...s.load } }]));
    const byId = new Map(waiting.map((w) => [w.contactId, w]));
    const decisions = planAssignments(waiting, staff, now);

    // The scenario must stretch the plan: some work given out, some left waiting for lack of room.
    expect(decisions.length).toBeGreaterThan(50);
    expect(decisions.length).toBeLessThan(waiting.length);

    const assigned = decisions.map((d) => d.contactId);
    expect(new Set(assigned).size).toBe(assigned.length);

    // Count the load from the decisions, not from what the plan wrote back.
    const counted = new Map([...before].map(([id, s]) => [id, { ...s.load }]));
    for (const decision of decisions) {
      const c = byId.get(decision.contactId);
      const s = before.get(decision.staffId);
      const load = counted.get(decision.staffId);
      if (!c || !s || !load) throw new Error(`decision names an unknown contact or person: ${JSON.stringify(decision)}`);
      expect(s.presence, decision.contactId).toBe('available');
      expect(c.excludedStaffIds ?? [], decision.contactId).not.toContain(decision.staffId);
      for (const skill of c.requiredSkills) expect(s.skills.has(skill), `${decision.contactId} needs ${skill}`).toBe(true);
      expect(decision.reason.loadBefore, decision.contactId).toBe(load[c.capacityClass] ?? 0);
      load[c.capacityClass] = (load[c.capacityClass] ?? 0) + 1;
    }
    for (const [staffId, load] of counted) {
      const s = before.get(staffId);
      if (!s) throw new Error(`unknown person ${staffId}`);
      for (const k of CAPACITY_CLASSES) {
        const added = (load[k] ?? 0) - (s.load[k] ?? 0);
        if (added > 0) expect(load[k] ?? 0, `${staffId} ${k}`).toBeLessThanOrEqual(s.capacity[k] ?? 0);
      }
    }
  });

  it('gives work out in queue order and leaves waiting only what nobody could take', () => {
    const { waiting, staff } = scenario(7);
    const decisions = planAssignments(waiting, staff, now);
    const byId = new Map(waiting.map((w) => [w.contactId, w]));
    const inOrder = decisions.map((d) => byId.get(d.contactId)).filter((c): c is WaitingContact => c !== undefined);
    expect(inOrder).toHaveLength(decisions.length);
    expect(inOrder.map((c) => c.contactId)).toEqual([...inOrder].sort(compareWaiting).map((c) => c.contactId));

    // Load only rises during a plan, so anything left waiting has nobody suitable at the end either.
    const assigned = new Set(decisions.map((d) => d.contactId));
    const left = waiting.filter((w) => !assigned.has(w.contactId));
    expect(left.length).toBeGreaterThan(0);
    for (const c of left) expect(chooseAssignee(c, staff, now), c.contactId).toBeNull();
  });

  it('plans the same way every time for the same facts', () => {
    const first = scenario(42);
    const second = scenario(42);
    expect(planAssignments(first.waiting, first.staff, now)).toEqual(planAssignments(second.waiting, second.staff, now));
  });
});
