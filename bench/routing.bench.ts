import { cpus, totalmem } from 'node:os';
import { sql, type Insertable } from 'kysely';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withForce, withSystem } from '../src/platform/db/database.ts';
import type { Tables } from '../src/platform/db/tables.ts';
import { newId, type ForceId } from '../src/platform/ids.ts';
import { STAFF_ROLES, type StaffRole } from '../src/platform/auth/permissions.ts';
import { createForce } from '../src/capabilities/admin/forces.service.ts';
import { loadQueues } from '../src/capabilities/queue/queues.service.ts';
import { isRoutableRole, PRESENCE_STALE_AFTER_MS } from '../src/capabilities/queue/routing.service.ts';
import { distributeRound, distributeWaiting, loadWholeQueue } from '../src/capabilities/queue/distribution.service.ts';
import {
  capacityClassOf,
  compareWaiting,
  isThreatToLife,
  matchQueueRule,
  planAssignments,
  skillNeeds,
  type Candidate,
  type WaitingContact,
} from '../src/capabilities/queue/routing.engine.ts';
import { CAPACITY_CLASSES, SKILLS, readCapacity, type CapacityClass, type Skill } from '../src/capabilities/staff/staff.schema.ts';
import { fmt, quantile } from './stats.ts';
import { benchDatabase } from './bench-database.ts';

const STAFF = 500;
const WAITING = 10_000;
/** How many times the pure plan is timed, and how many end-to-end distributions from a fresh state. */
const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 15);
const E2E_RUNS = Number(process.env.BENCH_E2E_RUNS ?? 9);
/**
 * The per-contact baseline goes through the whole queue, as distribution does, so both make the
 * same decisions and nothing is extrapolated; it takes tens of seconds a run. BENCH_BASELINE_SAMPLE
 * caps it to the first contacts in queue order (then the figure is extrapolated, and says so).
 */
const BASELINE_SAMPLE = Number(process.env.BENCH_BASELINE_SAMPLE ?? WAITING);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);
/** One round's worth of contacts: the baseline's rate over these is printed too (staff are emptiest then). */
const ROUND = 1000;

/** A small deterministic generator, so every run builds the same staff and contacts. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Picks from `[value, weight]` pairs. */
function weighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [value, weight] of choices) {
    at -= weight;
    if (at < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new Error('no choices');
  return last[0];
}

const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

// Who is on shift: call handlers mostly take calls and simple digital work; the digital desk takes
// chats, social media and online reports. Per-class capacity is deliberately small, so 500 people
// have about 2,000 slots between them and the plan has to choose among 10,000 waiting contacts.
type RoleProfile = { skillOdds: Record<Skill, number>; capacity: Record<CapacityClass, readonly [number, number]> };
const PROFILES: Record<'call_handler' | 'digital_desk_operator', RoleProfile> = {
  call_handler: {
    skillOdds: { control_room: 0.45, domestic_abuse: 0.3, child_protection: 0.15, mental_health: 0.2, hate_crime: 0.1, social_media: 0.05, welsh: 0.1, bsl: 0.03 },
    capacity: { call: [0, 1], chat: [0, 2], social: [0, 0], sms: [0, 1], email: [0, 1], online: [0, 2] },
  },
  digital_desk_operator: {
    skillOdds: { control_room: 0.05, domestic_abuse: 0.3, child_protection: 0.15, mental_health: 0.2, hate_crime: 0.15, social_media: 0.7, welsh: 0.1, bsl: 0.03 },
    capacity: { call: [0, 0], chat: [1, 2], social: [0, 3], sms: [0, 1], email: [0, 1], online: [1, 2] },
  },
};

const CHANNELS = [
  ['phone', 15],
  ['callback', 3],
  ['chat', 20],
  ['meta', 8],
  ['x', 4],
  ['sms_twilio', 10],
  ['sms_notify', 5],
  ['email', 10],
  ['portal', 20],
  ['api', 5],
] as const;

const CATEGORIES = [
  [null, 62],
  ['domestic_abuse', 8],
  ['child_at_risk', 4],
  ['hate', 3],
  ['weapons', 5],
  ['violence', 5],
  ['missing_person', 3],
  ['road_danger', 3],
  ['sexual_offence', 2],
  ['fire', 1],
  ['threat_to_life', 1],
  ['self_harm', 1],
  ['exclusion', 2],
] as const;

/** People given work must be available and seen in the last two minutes; these are not. */
const NOT_AVAILABLE: readonly { presence: 'away' | 'offline' | 'available'; isStale: boolean }[] = [
  ...Array.from({ length: 20 }, () => ({ presence: 'away' as const, isStale: false })),
  ...Array.from({ length: 20 }, () => ({ presence: 'offline' as const, isStale: false })),
  ...Array.from({ length: 20 }, () => ({ presence: 'available' as const, isStale: true })),
];

type StaffSeed = { id: string; isAvailable: boolean; isStale: boolean; idleSince: Date };

type Scenario = {
  forceId: ForceId;
  staff: StaffSeed[];
  slots: Record<CapacityClass, number>;
  threatToLife: number;
};

/** One force, 500 available staff and 60 who must get nothing, 10,000 waiting contacts; straight SQL, batched. */
async function seedScenario(app: App): Promise<Scenario> {
  const clock = app.deps.clock;
  const random = seeded(8);
  const { forceId } = await createForce(app.database.db, clock, { slug: 'bench-routing', code: 'BNCHRT', name: 'Routing Bench Police' });
  const now = clock.now();
  const slots = Object.fromEntries(CAPACITY_CLASSES.map((k) => [k, 0])) as Record<CapacityClass, number>;
  const staff: StaffSeed[] = [];
  const staffRows: { id: string; role: StaffRole; skills: string[]; capacity: Record<CapacityClass, number>; presence: 'available' | 'away' | 'offline' }[] = [];
  for (let i = 0; i < STAFF + NOT_AVAILABLE.length; i += 1) {
    const role = random() < 0.6 ? 'call_handler' : 'digital_desk_operator';
    const profile = PROFILES[role];
    const skills = SKILLS.filter((skill) => random() < profile.skillOdds[skill]);
    const capacity = Object.fromEntries(CAPACITY_CLASSES.map((k) => [k, between(random, ...profile.capacity[k])])) as Record<CapacityClass, number>;
    const absent = i >= STAFF ? NOT_AVAILABLE[i - STAFF] : undefined;
    if (!absent) for (const k of CAPACITY_CLASSES) slots[k] += capacity[k];
    const idleSince = new Date(now.getTime() - between(random, 0, 30 * 60) * 1000);
    const id = newId();
    staff.push({ id, isAvailable: !absent, isStale: absent?.isStale ?? false, idleSince });
    staffRows.push({ id, role, skills, capacity, presence: absent?.presence ?? 'available' });
  }

  const { queues, rules } = await withForce(app.database.db, forceId, (tx) => loadQueues(tx, forceId, clock));
  const defaultQueue = queues.find((q) => q.isDefault);
  if (!defaultQueue) throw new Error('the bench force has no default queue');
  const available = staff.filter((s) => s.isAvailable);
  let threatToLife = 0;
  const contactRows: Insertable<Tables['contacts']>[] = [];
  for (let i = 0; i < WAITING; i += 1) {
    const channel = weighted(random, CHANNELS);
    const categories = [weighted(random, CATEGORIES), random() < 0.15 ? weighted(random, CATEGORIES) : null].filter((c): c is NonNullable<typeof c> => c !== null);
    const isTtl = isThreatToLife(categories);
    if (isTtl) threatToLife += 1;
    const priority = isTtl ? 1 : weighted(random, [[1, 5], [2, 25], [3, 40], [4, 30]] as const);
    const rule = matchQueueRule(rules, { channel, categories, priority });
    const queue = queues.find((q) => q.id === rule?.queueId) ?? defaultQueue;
    const needs = skillNeeds({ channel, categories, queueSkills: queue.requiredSkills, language: random() < 0.05 ? 'cy' : 'en' });
    // One in a hundred was taken back from someone by a supervisor and must not go to them again.
    const excluded = random() < 0.01 ? [available[Math.floor(random() * available.length)]?.id ?? ''] : [];
    const receivedAt = new Date(now.getTime() - between(random, 60, 3600) * 1000);
    contactRows.push({
      id: newId(),
      force_id: forceId,
      reference: `BNCHRT-2026-${String(i + 1).padStart(6, '0')}`,
      channel,
      status: 'open',
      summary: 'Routing benchmark contact',
      priority,
      score: 0,
      triage: JSON.stringify({ categories }),
      received_at: receivedAt,
      queue_id: queue.id,
      enqueued_at: receivedAt,
      is_threat_to_life: isTtl,
      required_skills: needs.required,
      preferred_skills: needs.preferred,
      excluded_staff_ids: excluded,
    });
  }

  await withForce(app.database.db, forceId, async (tx) => {
    await tx
      .insertInto('staff')
      .values(staffRows.map((s, i) => ({ id: s.id, force_id: forceId, email: `bench-routing-${i}@bench.police.uk`, name: `Bench ${i}`, role: s.role, password_hash: 'no-login' })))
      .execute();
    await tx
      .insertInto('staff_routing')
      .values(
        staffRows.map((s) => ({
          staff_id: s.id,
          force_id: forceId,
          skills: s.skills,
          capacity: JSON.stringify(s.capacity),
          presence: s.presence,
          presence_changed_at: now,
          idle_since: now,
          last_seen_at: now,
          updated_at: now,
        })),
      )
      .execute();
    for (let i = 0; i < contactRows.length; i += 1000) await tx.insertInto('contacts').values(contactRows.slice(i, i + 1000)).execute();
  });
  // Fresh planner statistics, as a live database would have them.
  await withSystem(app.database.db, (tx) => sql`analyze contacts, staff_routing, staff`.execute(tx));
  return { forceId, staff, slots, threatToLife };
}

/** Reopens any contact closed here, puts every contact back in its queue and every person back to their seeded idle time, seen just now. */
async function resetAssignments(app: App, scenario: Scenario): Promise<{ markSeq: number }> {
  const now = app.deps.clock.now();
  const stale = new Date(now.getTime() - 10 * 60_000);
  const values = sql.join(scenario.staff.map((s) => sql`(${s.id}::uuid, ${s.idleSince}::timestamptz, ${s.isStale ? stale : now}::timestamptz)`));
  return withForce(app.database.db, scenario.forceId, async (tx) => {
    await tx
      .updateTable('contacts')
      .set({ status: 'open', closed_at: null, assigned_staff_id: null, assigned_at: null })
      .where('force_id', '=', scenario.forceId)
      .where((eb) => eb.or([eb('assigned_staff_id', 'is not', null), eb('status', '=', 'closed')]))
      .execute();
    await sql`update staff_routing as r set idle_since = v.idle_since, last_seen_at = v.last_seen_at
      from (values ${values}) as v(staff_id, idle_since, last_seen_at)
      where r.force_id = ${scenario.forceId} and r.staff_id = v.staff_id`.execute(tx);
    const head = await tx.selectFrom('event_chain_heads').select('last_seq').where('force_id', '=', scenario.forceId).executeTakeFirst();
    return { markSeq: Number(head?.last_seq ?? 0) };
  });
}

/** Copies that planAssignments may change (it counts load and idle time into them). */
const freshCopies = (candidates: readonly Candidate[]): Candidate[] => candidates.map((c) => ({ ...c, load: { ...c.load } }));

/**
 * Steady state after a full distribution: some people finish chats (their contacts close, straight
 * in SQL) and distribution runs again, as it would on the close. Counts what it gives out against
 * what the engine, shown the whole queue, would give out.
 */
async function freeChatSlots(app: App, forceId: ForceId, count: number) {
  const closed = await withForce(app.database.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom('contacts')
      .select('id')
      .where('force_id', '=', forceId)
      .where('status', '=', 'open')
      .where('channel', '=', 'chat')
      .where('assigned_staff_id', 'is not', null)
      .orderBy('id')
      .limit(count)
      .execute();
    const now = app.deps.clock.now();
    await tx.updateTable('contacts').set({ status: 'closed', closed_at: now }).where('force_id', '=', forceId).where('id', 'in', rows.map((r) => r.id)).execute();
    return rows.length;
  });
  const now = app.deps.clock.now();
  const before = await withForce(app.database.db, forceId, (tx) => loadWholeQueue(tx, forceId, now));
  const possible = planAssignments(before.waiting, freshCopies(before.candidates), now).length;
  const head = [...before.waiting].sort(compareWaiting).slice(0, ROUND);
  const t0 = performance.now();
  const assigned = await distributeWaiting(app.deps, forceId);
  return {
    closed,
    possible,
    assigned,
    ms: performance.now() - t0,
    chatsWaiting: before.waiting.filter((w) => w.capacityClass === 'chat').length,
    chatsAtHead: head.filter((w) => w.capacityClass === 'chat').length,
  };
}

type Timing = { label: string; runs: number; decisionsPerRun: number; medianMs: number; maxMs: number };

function timePlans(label: string, waiting: readonly WaitingContact[], candidates: readonly Candidate[], now: Date, runs: number): Timing {
  for (let i = 0; i < 3; i += 1) planAssignments(waiting, freshCopies(candidates), now); // warm up
  const times: number[] = [];
  let decisions = 0;
  for (let i = 0; i < runs; i += 1) {
    const copies = freshCopies(candidates);
    const t0 = performance.now();
    decisions = planAssignments(waiting, copies, now).length;
    times.push(performance.now() - t0);
  }
  return { label, runs, decisionsPerRun: decisions, medianMs: quantile(times, 0.5), maxMs: Math.max(...times) };
}

/**
 * What must hold after any run: nobody over capacity in any class, everyone given work was
 * available and fresh and has the contact's required skills and was not excluded from it, and
 * (when the run writes events) exactly one contact.assigned event per assigned contact since the reset.
 */
async function checkAssignments(app: App, scenario: Scenario, markSeq: number, expectEvents: boolean): Promise<{ assigned: number; problems: string[] }> {
  const { forceId } = scenario;
  return withForce(app.database.db, forceId, async (tx) => {
    const problems: string[] = [];
    // Closed contacts keep their assignee (and their event) but no longer count against capacity.
    const assigned = await tx
      .selectFrom('contacts')
      .select(['id', 'status', 'channel', 'assigned_staff_id', 'required_skills', 'excluded_staff_ids'])
      .where('force_id', '=', forceId)
      .where('assigned_staff_id', 'is not', null)
      .execute();
    const profiles = new Map(
      (await tx.selectFrom('staff_routing').select(['staff_id', 'skills', 'capacity']).where('force_id', '=', forceId).execute()).map((row) => [row.staff_id, row]),
    );
    const availableIds = new Set(scenario.staff.filter((s) => s.isAvailable).map((s) => s.id));
    const load = new Map<string, number>();
    for (const contact of assigned) {
      const staffId = contact.assigned_staff_id ?? '';
      const profile = profiles.get(staffId);
      if (!availableIds.has(staffId)) problems.push(`${contact.id} went to ${staffId}, who was not available`);
      if (!profile) continue;
      const missing = contact.required_skills.filter((skill) => !profile.skills.includes(skill));
      if (missing.length > 0) problems.push(`${contact.id} went to ${staffId}, who lacks ${missing.join(', ')}`);
      if (contact.excluded_staff_ids.includes(staffId)) problems.push(`${contact.id} went back to ${staffId}, who was excluded`);
      const key = `${staffId}/${capacityClassOf(contact.channel)}`;
      if (contact.status === 'open') load.set(key, (load.get(key) ?? 0) + 1);
    }
    for (const [key, count] of load) {
      const [staffId = '', cls = 'online'] = key.split('/');
      const capacity = readCapacity(profiles.get(staffId)?.capacity)[cls as CapacityClass] ?? 0;
      if (count > capacity) problems.push(`${staffId} holds ${count} ${cls} contacts with capacity ${capacity}`);
    }
    if (expectEvents) {
      const events = await tx
        .selectFrom('events')
        .select(['subject_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('force_id', '=', forceId)
        .where('seq', '>', markSeq)
        .where('type', '=', 'contact.assigned')
        .groupBy('subject_id')
        .execute();
      const twice = events.filter((row) => Number(row.n) > 1);
      if (twice.length > 0) problems.push(`${twice.length} contacts have more than one contact.assigned event`);
      const withEvent = new Set(events.map((row) => row.subject_id));
      const silent = assigned.filter((c) => !withEvent.has(c.id)).length;
      if (silent > 0 || withEvent.size !== assigned.length) problems.push(`${assigned.length} assigned but ${withEvent.size} contact.assigned events`);
    }
    return { assigned: assigned.filter((c) => c.status === 'open').length, problems };
  });
}

/**
 * The way a simple product would do it: for each waiting contact in queue order, one query that
 * picks the best suitable person (same rules: available and fresh, required skills, not excluded,
 * room in the class; most preferred skills, lightest load share, longest idle) and one UPDATE
 * that gives it to them, all in one transaction. It writes no events, which flatters it.
 */
async function naiveAssign(
  app: App,
  scenario: Scenario,
  sample: readonly WaitingContact[],
): Promise<{ decisions: number; ms: number; firstRound: { decisions: number; ms: number } }> {
  const { forceId } = scenario;
  const routableRoles = STAFF_ROLES.filter((role) => isRoutableRole(role));
  const channelsOf = (cls: CapacityClass) => CHANNELS.map(([channel]) => channel as string).filter((channel) => capacityClassOf(channel) === cls);
  const t0 = performance.now();
  const firstRound = { decisions: 0, ms: 0 };
  const decisions = await withForce(app.database.db, forceId, async (tx) => {
    let made = 0;
    for (const [index, contact] of sample.entries()) {
      if (index === ROUND) Object.assign(firstRound, { decisions: made, ms: performance.now() - t0 });
      const now = app.deps.clock.now();
      const seenSince = new Date(now.getTime() - PRESENCE_STALE_AFTER_MS);
      const best = await sql<{ staff_id: string }>`
        select r.staff_id from staff_routing r join staff s on s.id = r.staff_id
        where r.force_id = ${forceId} and r.presence = 'available' and r.last_seen_at >= ${seenSince} and s.is_active
          and s.role = any(${routableRoles}::text[])
          and r.skills @> ${[...contact.requiredSkills]}::text[]
          and r.staff_id <> all(${[...(contact.excludedStaffIds ?? [])]}::uuid[])
          and coalesce((r.capacity ->> ${contact.capacityClass})::int, 0) > (
            select count(*) from contacts c where c.force_id = r.force_id and c.status = 'open'
              and c.assigned_staff_id = r.staff_id and c.channel = any(${channelsOf(contact.capacityClass)}::text[]))
        order by
          (select count(*) from unnest(r.skills) as k(skill) where k.skill = any(${[...contact.preferredSkills]}::text[])) desc,
          (select count(*) from contacts c where c.force_id = r.force_id and c.status = 'open' and c.assigned_staff_id = r.staff_id)::float8
            / nullif((select sum(v::int) from jsonb_each_text(r.capacity) as e(k, v)), 0) asc nulls last,
          r.idle_since asc
        limit 1`.execute(tx);
      const staffId = best.rows[0]?.staff_id;
      if (!staffId) continue;
      await sql`
        with taken as (
          update contacts set assigned_staff_id = ${staffId}, assigned_at = ${now}
          where force_id = ${forceId} and id = ${contact.contactId} and assigned_staff_id is null and status = 'open' returning id)
        update staff_routing set idle_since = ${now} where force_id = ${forceId} and staff_id = ${staffId} and exists (select 1 from taken)`.execute(tx);
      made += 1;
    }
    return made;
  });
  const ms = performance.now() - t0;
  return { decisions, ms, firstRound: firstRound.ms > 0 ? firstRound : { decisions, ms } };
}

/**
 * Assignment decisions per second with 500 available staff and 10,000 waiting contacts: the pure
 * planner, distribution end to end on the database (rounds under the force lock, guarded batch
 * UPDATE, events, commit), and a per-contact SQL baseline in the same run.
 */
export async function routingBenchmark(): Promise<void> {
  const database = await benchDatabase();
  const config = loadConfig({
    NODE_ENV: 'development',
    // Email held, as in every run recorded before mail could be written to a folder (decision 0131).
    MAIL_FOLDER: 'off',
    LOG_LEVEL: 'silent',
    ...database.env,
  });
  // No worker loop: nothing but this benchmark distributes.
  const app = await buildApp(config, { startWorker: false });
  try {
    const setupStart = performance.now();
    const scenario = await seedScenario(app);
    const setupMs = performance.now() - setupStart;
    const { forceId } = scenario;
    const totalSlots = CAPACITY_CLASSES.reduce((sum, k) => sum + scenario.slots[k], 0);

    // 1. The pure engine, on exactly what distribution would read with nobody assigned.
    await resetAssignments(app, scenario);
    const now = app.deps.clock.now();
    const inputs = await withForce(app.database.db, forceId, (tx) => loadWholeQueue(tx, forceId, now));
    const queueOrder = [...inputs.waiting].sort(compareWaiting);
    const headOfQueue = queueOrder.slice(0, ROUND);
    const fullPlan = timePlans(`engine: planAssignments, all ${inputs.waiting.length} waiting × ${inputs.candidates.length} staff`, inputs.waiting, inputs.candidates, now, ENGINE_RUNS);
    const roundPlan = timePlans('engine: planAssignments, one round (first 1,000 in queue order)', headOfQueue, inputs.candidates, now, ENGINE_RUNS);

    // 2. End to end: distributeWaiting from a fresh state, run here as its own loop of
    // distributeRound (the same loop) so that each round's latency is seen.
    const e2eTimes: number[] = [];
    const roundTimes: number[] = [];
    const problems: string[] = [];
    let assignedPerRun = 0;
    let roundsOfLastRun: { assigned: number; considered: number }[] = [];
    let stranded = 0;
    let lastMarkSeq = 0;
    for (let run = -1; run < E2E_RUNS; run += 1) {
      const { markSeq } = await resetAssignments(app, scenario);
      const t0 = performance.now();
      let assigned = 0;
      const times: number[] = [];
      const rounds: { assigned: number; considered: number }[] = [];
      for (;;) {
        const r0 = performance.now();
        const round = await distributeRound(app.deps, forceId);
        times.push(performance.now() - r0);
        assigned += round.assigned;
        rounds.push({ assigned: round.assigned, considered: round.considered });
        if (!round.hasMore) break;
      }
      const elapsed = performance.now() - t0;
      const check = await checkAssignments(app, scenario, markSeq, true);
      if (check.assigned !== assigned) check.problems.push(`distribution reported ${assigned} but ${check.assigned} are assigned`);
      problems.push(...check.problems.map((p) => `${run < 0 ? 'warm-up run' : `end-to-end run ${run + 1}`}: ${p}`));
      if (run < 0) continue; // warm-up
      e2eTimes.push(elapsed);
      roundTimes.push(...times);
      assignedPerRun = assigned;
      roundsOfLastRun = rounds;
      lastMarkSeq = markSeq;
      // Whatever is still waiting that a free, suitable person could take now: work left behind.
      const after = await withForce(app.database.db, forceId, (tx) => loadWholeQueue(tx, forceId, app.deps.clock.now()));
      stranded = planAssignments(after.waiting, after.candidates, app.deps.clock.now()).length;
    }
    const e2eMedian = quantile(e2eTimes, 0.5);
    const steady = await freeChatSlots(app, forceId, 50);
    problems.push(...(await checkAssignments(app, scenario, lastMarkSeq, true)).problems.map((p) => `after chats close: ${p}`));

    // 3. Baseline: one SELECT … LIMIT 1 and one UPDATE per contact, through the queue in order.
    const sample = queueOrder.slice(0, BASELINE_SAMPLE);
    const baselineTimes: number[] = [];
    const baselineFirstRoundRates: number[] = [];
    let baselineDecisions = 0;
    for (let run = 0; run < BASELINE_RUNS; run += 1) {
      const { markSeq } = await resetAssignments(app, scenario);
      const result = await naiveAssign(app, scenario, sample);
      baselineTimes.push(result.ms);
      baselineFirstRoundRates.push((result.firstRound.decisions * 1000) / result.firstRound.ms);
      baselineDecisions = result.decisions;
      const check = await checkAssignments(app, scenario, markSeq, false);
      problems.push(...check.problems.map((p) => `baseline run ${run + 1}: ${p}`));
    }
    const baselineMedian = quantile(baselineTimes, 0.5);
    await resetAssignments(app, scenario);

    const perSecond = (decisions: number, ms: number) => (decisions * 1000) / ms;
    const e2ePerSecond = perSecond(assignedPerRun, e2eMedian);
    const baselinePerSecond = perSecond(baselineDecisions, baselineMedian);
    const fullPerSecond = perSecond(fullPlan.decisionsPerRun, fullPlan.medianMs);
    const cpu = cpus()[0]?.model ?? 'unknown';
    const lines = [
      `bench routing — ${app.database.engine}, ${inputs.candidates.length} available staff (+${NOT_AVAILABLE.length} away, offline or unseen), ${inputs.waiting.length} waiting (${scenario.threatToLife} threat to life), ${totalSlots} slots (${CAPACITY_CLASSES.map((k) => `${k} ${scenario.slots[k]}`).join(', ')}), ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; set-up ${fmt(setupMs / 1000)} s`,
      '| what | decisions/s | median ms per run | slowest ms | decisions per run | runs |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...[fullPlan, roundPlan].map((t) => `| ${t.label} | ${fmt(perSecond(t.decisionsPerRun, t.medianMs), 0)} | ${fmt(t.medianMs)} | ${fmt(t.maxMs)} | ${t.decisionsPerRun} | ${t.runs} |`),
      `| end to end: distributeWaiting, ${roundsOfLastRun.length} rounds (lock, load, read and plan the queue, guarded UPDATE, events, commit) | ${fmt(e2ePerSecond, 0)} | ${fmt(e2eMedian)} | ${fmt(Math.max(...e2eTimes))} | ${assignedPerRun} | ${E2E_RUNS} |`,
      `| baseline: per contact one SELECT … LIMIT 1 + one UPDATE, one transaction, ${sample.length === inputs.waiting.length ? `all ${sample.length} in queue order` : `first ${sample.length} in queue order (capped)`} | ${fmt(baselinePerSecond, 0)} | ${fmt(baselineMedian)} | ${fmt(Math.max(...baselineTimes))} | ${baselineDecisions} | ${BASELINE_RUNS} |`,
      `end-to-end round latency: p50 ${fmt(quantile(roundTimes, 0.5))} ms, p99 ${fmt(quantile(roundTimes, 0.99))} ms (${roundTimes.length} rounds); rounds of one run, assigned/considered: ${roundsOfLastRun.map((r) => `${r.assigned}/${r.considered}`).join(', ')}`,
      `baseline over its first ${Math.min(ROUND, sample.length)} contacts only (staff emptiest, most contacts placed): ${fmt(quantile(baselineFirstRoundRates, 0.5), 0)} decisions/s`,
      `ratio vs baseline (decisions/s): end to end ${fmt(e2ePerSecond / baselinePerSecond, 1)}×, engine full plan ${fmt(fullPerSecond / baselinePerSecond, 0)}×${
        sample.length < inputs.waiting.length
          ? `; baseline capped at ${sample.length} contacts, extrapolated to ${assignedPerRun} decisions ≈ ${fmt(assignedPerRun / baselinePerSecond)} s (optimistic: its first contacts are the cheapest)`
          : `; both made ${baselineDecisions === assignedPerRun ? 'the same number of' : 'different numbers of'} decisions over the same ${sample.length} contacts`
      }`,
      `left waiting after distributeWaiting that a free, suitable person could still take: ${stranded} (the engine over all ${WAITING} plans ${fullPlan.decisionsPerRun})`,
      `then ${steady.closed} assigned chats close: distributeWaiting gives out ${steady.assigned} in ${fmt(steady.ms)} ms; the engine shown the whole queue would give out ${steady.possible} (${steady.chatsWaiting} chats waiting, ${steady.chatsAtHead} of them among the first ${ROUND} in queue order)`,
      problems.length === 0 ? 'checks: ok' : `checks: FAILED (${problems.length})\n  ${problems.slice(0, 10).join('\n  ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await database.remove();
  }
}
