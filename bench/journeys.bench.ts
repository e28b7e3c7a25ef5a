import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withForce } from '../src/platform/db/database.ts';
import { newId, type ForceId } from '../src/platform/ids.ts';
import { createForce } from '../src/capabilities/admin/forces.service.ts';
import { sendJourneyMessages, type Milestone } from '../src/capabilities/journeys/journey-send.service.ts';
import { queueMessage } from '../src/capabilities/outbox/outbox.service.ts';
import { createBenchDatabase } from '../test/helpers.ts';
import { fmt, quantile } from './stats.ts';

const MILESTONES = Number(process.env.BENCH_MILESTONES ?? 100_000);
const CASES = Number(process.env.BENCH_CASES ?? 10_000);
/** Milestones per transaction: what one worker takes of a backlog at once. */
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Messages the bare-insert baseline writes each run. */
const BASELINE = Number(process.env.BENCH_BASELINE ?? 50_000);

/** What a busy force's records system sends: mostly progress, with arrests, charges, court dates and closures. */
const MIX: readonly { milestone: string; details: (i: number) => Record<string, string> }[] = [
  { milestone: 'case.allocated', details: () => ({ officerName: 'PC 1234 Sam Example', officerInCase: newId() }) },
  { milestone: 'case.investigation_started', details: () => ({}) },
  { milestone: 'case.suspect_identified', details: () => ({}) },
  { milestone: 'case.suspect_arrested', details: () => ({}) },
  { milestone: 'case.suspect_interviewed', details: () => ({}) },
  { milestone: 'case.bailed', details: () => ({}) },
  { milestone: 'case.charged', details: () => ({}) },
  { milestone: 'case.court_date_set', details: (i) => ({ at: new Date(Date.UTC(2027, 0, 1 + (i % 300), 10)).toISOString(), place: 'Demoton Crown Court' }) },
  { milestone: 'case.appointment_made', details: (i) => ({ at: new Date(Date.UTC(2027, 0, 1 + (i % 300), 14)).toISOString(), place: 'Demoton Police Station' }) },
  { milestone: 'case.closed', details: (i) => ({ outcomeCode: ['18', '16', '1', '8', '10'][i % 5] ?? '18', reason: 'We have done all we can with the evidence we have.' }) },
];

/** Cases with one victim each who reported with an email address and a phone number; a quarter are Welsh speakers, a tenth portal only. */
async function seedCases(app: App, forceId: ForceId): Promise<string[]> {
  const caseIds: string[] = [];
  const now = app.deps.clock.now();
  for (let start = 0; start < CASES; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, CASES - start) }, () => ({ caseId: newId(), personId: newId() }));
    await withForce(app.database.db, forceId, async (tx) => {
      await tx.insertInto('people').values(ids.map((c, i) => ({ id: c.personId, force_id: forceId, display_name: `Victim ${start + i}`, created_at: now }))).execute();
      await tx
        .insertInto('identities')
        .values(
          ids.flatMap((c, i) => [
            { id: newId(), force_id: forceId, person_id: c.personId, kind: 'email', value: `victim${start + i}@example.org`, created_at: now },
            { id: newId(), force_id: forceId, person_id: c.personId, kind: 'phone', value: `+4479111${String(start + i).padStart(5, '0')}`, created_at: now },
          ]),
        )
        .execute();
      await tx
        .insertInto('cases')
        .values(
          ids.map((c, i) => ({
            id: c.caseId,
            force_id: forceId,
            reference: `BNCH-C-2026-${String(start + i).padStart(6, '0')}`,
            contact_id: null,
            person_id: c.personId,
            status: 'recorded' as const,
            crime_type: 'THF-BRE',
            closed_reason: null,
            outcome_code: null,
            officer_in_case: null,
            team: null,
            records_system: null,
            records_reference: null,
            records_updated_at: null,
            created_at: now,
            updated_at: now,
            created_by: null,
          })),
        )
        .execute();
      const special = ids.flatMap((c, i) => ((start + i) % 4 === 0 || (start + i) % 10 === 0 ? [{ c, welsh: (start + i) % 4 === 0, portalOnly: (start + i) % 10 === 0 }] : []));
      if (special.length > 0) {
        await tx
          .insertInto('victim_contact_preferences')
          .values(
            special.map(({ c, welsh, portalOnly }) => ({
              force_id: forceId,
              case_id: c.caseId,
              victim_id: c.personId,
              channels: portalOnly ? ['portal'] : ['sms', 'email', 'portal'],
              language: welsh ? ('cy' as const) : null,
              safe_windows: JSON.stringify([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }]),
              never_sms: portalOnly,
              portal_only: portalOnly,
              opt_out_non_statutory: false,
              domestic_abuse: portalOnly,
              updated_at: now,
              updated_by: null,
            })),
          )
          .execute();
      }
    });
    caseIds.push(...ids.map((c) => c.caseId));
  }
  return caseIds;
}

/**
 * 100,000 case milestones (`BENCH_MILESTONES`) over 10,000 cases turned into rendered, queued
 * outbox messages (each with its event and its delivery job) by the journey step, in batches of
 * `BENCH_BATCH` milestones per transaction, as a worker draining a backlog would. Baseline in the
 * same run: bare outbox inserts through the same queueMessage, pre-rendered, no events, same batch size.
 */
export async function journeysBenchmark(): Promise<void> {
  const scratch = process.env.DATABASE_URL ? await createBenchDatabase() : null;
  const dataDir = scratch ? null : mkdtempSync(path.join(tmpdir(), 'bluelamp-bench-'));
  const config = loadConfig({ NODE_ENV: 'development', MAIL_FOLDER: 'off', LOG_LEVEL: 'silent', ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: dataDir ?? '' }) });
  const app = await buildApp(config, { startWorker: false });
  try {
    const { forceId } = await createForce(app.database.db, app.deps.clock, { slug: 'bench', code: 'BNCH', name: 'Bench Constabulary' });
    const setupStart = performance.now();
    const caseIds = await seedCases(app, forceId);
    const setupMs = performance.now() - setupStart;

    const journeyRates: number[] = [];
    const milestoneRates: number[] = [];
    let messagesPerRun = 0;
    let suppressedPerRun = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const occurredAt = app.deps.clock.now();
      const milestones: Milestone[] = Array.from({ length: MILESTONES }, (_, i) => {
        const kind = MIX[i % MIX.length] ?? MIX[0];
        if (!kind) throw new Error('no milestone mix');
        return { caseId: caseIds[(i * 7919) % caseIds.length] ?? '', milestoneId: `r${run}-${i}`, milestone: kind.milestone, details: kind.details(i), note: null, occurredAt };
      });
      let queued = 0;
      let suppressed = 0;
      const t0 = performance.now();
      for (let start = 0; start < milestones.length; start += BATCH) {
        const outcome = await withForce(app.database.db, forceId, (tx) => sendJourneyMessages(tx, forceId, app.deps.clock, milestones.slice(start, start + BATCH)));
        queued += outcome.queued;
        suppressed += outcome.suppressed;
      }
      const seconds = (performance.now() - t0) / 1000;
      journeyRates.push(queued / seconds);
      milestoneRates.push(MILESTONES / seconds);
      messagesPerRun = queued;
      suppressedPerRun = suppressed;
    }

    const baselineRates: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const t0 = performance.now();
      for (let start = 0; start < BASELINE; start += BATCH) {
        await withForce(app.database.db, forceId, async (tx) => {
          for (let i = start; i < Math.min(BASELINE, start + BATCH); i += 1) {
            await queueMessage(tx, forceId, app.deps.clock, {
              channels: [{ channel: 'email', recipient: `victim${i % CASES}@example.org`, subject: 'Someone has been arrested', body: 'Hello,\n\nWe have arrested someone in connection with your case.' }],
              purpose: 'bench:baseline',
              idempotencyKey: `baseline:${run}:${i}`,
              caseId: caseIds[i % caseIds.length] ?? null,
            });
          }
        });
      }
      baselineRates.push(BASELINE / ((performance.now() - t0) / 1000));
    }

    const median = (values: number[]) => quantile(values, 0.5);
    const lines = [
      `journeys benchmark on ${scratch ? 'PostgreSQL' : 'PGlite (on disk)'}: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30)} GiB`,
      `setup: ${CASES} cases with a victim each (email and phone; a quarter Welsh with weekday safe times, a tenth portal only) in ${fmt(setupMs / 1000)} s`,
      `journey step: ${MILESTONES} milestones → ${messagesPerRun} messages queued (${suppressedPerRun} withheld entirely; channels ruled out by safe contact are recorded as events) per run, batches of ${BATCH}, ${RUNS} runs`,
      `  messages/s: median ${fmt(median(journeyRates), 0)} (runs: ${journeyRates.map((r) => fmt(r, 0)).join(', ')})`,
      `  milestones/s: median ${fmt(median(milestoneRates), 0)}`,
      `baseline: bare outbox inserts (queueMessage, pre-rendered, no rules, no events, no jobs), ${BASELINE} per run`,
      `  inserts/s: median ${fmt(median(baselineRates), 0)} (runs: ${baselineRates.map((r) => fmt(r, 0)).join(', ')})`,
      `journey messages/s as a share of bare inserts/s: ${fmt((100 * median(journeyRates)) / median(baselineRates), 0)}%`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
