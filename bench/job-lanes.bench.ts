import { cpus } from 'node:os';
import { sql } from 'kysely';
import { OUTBOUND_JOB_TYPES, buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withForce } from '../src/platform/db/database.ts';
import { SecretBox } from '../src/platform/secrets.ts';
import type { ForceId } from '../src/platform/ids.ts';
import { connectChannelAccount } from '../src/capabilities/channels/channel-accounts.service.ts';
import { apiChannel } from '../src/capabilities/channels/api/api.channel.ts';
import type { AnyChannelAdapter } from '../src/capabilities/channels/channel.ts';
import { CHANNEL_SEND_JOB } from '../src/capabilities/channels/channel.events.ts';
import { submitPublicReport } from '../src/capabilities/intake/intake.service.ts';
import { signIn, startStandIn } from '../test/helpers.ts';
import { benchDatabase } from './bench-database.ts';
import { fmt, quantile } from './stats.ts';

/** Replies sent to the slow provider at once: more than the outbound slots, so they queue. */
const SENDS = Number(process.env.BENCH_LANES_SENDS ?? 24);
/** How long the slow provider takes to answer each call. */
const PROVIDER_DELAY_MS = Number(process.env.BENCH_LANES_DELAY_MS ?? 2000);
/** Portal reports submitted while the sends wait: their follow-up jobs are what is timed. */
const REPORTS = Number(process.env.BENCH_LANES_REPORTS ?? 20);

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Database-only jobs due at once that were created since `since`: how long each took from enqueued to done. */
async function followUpDelays(app: App, forceId: ForceId, since: Date): Promise<{ waiting: number; delays: number[] }> {
  const rows = await withForce(app.database.db, forceId, (tx) =>
    tx
      .selectFrom('jobs')
      .select(['state', 'created_at', 'updated_at'])
      .where('created_at', '>=', since)
      .where('type', 'not in', OUTBOUND_JOB_TYPES)
      .where(sql<boolean>`run_at <= created_at + interval '1 second'`)
      .execute(),
  );
  const done = rows.filter((row) => row.state === 'done' || row.state === 'dead');
  return { waiting: rows.length - done.length, delays: done.map((row) => row.updated_at.getTime() - row.created_at.getTime()) };
}

/**
 * Times the jobs that follow portal reports (acknowledgements, drafts, Victims' Code clocks) from
 * enqueued to done, first with a provider that answers at once, then while `SENDS` replies wait on
 * a provider that takes `PROVIDER_DELAY_MS` per call, more than the outbound slots can hold. With
 * one set of slots for every job, the follow-ups waited behind the sends (decision 0050).
 */
export async function jobLanesBenchmark(): Promise<void> {
  const { env, remove } = await benchDatabase();
  const provider = await startStandIn();
  const app = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent', OUTBOUND_ALLOW_LIST: '127.0.0.1', REPORT_GATHER_MS: '0', WORKER_POLL_MS: '200' }));
  const http = app.http;
  const forceId = app.demoForceId;
  if (!http || !forceId) throw new Error('the benchmark needs the API and the demo force');
  try {
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, apiChannel as AnyChannelAdapter, {
      label: 'Benchmark integration',
      config: { token: 'bench-api-token-0123456789', callbackUrl: `${provider.url}/replies` },
      actor: { type: 'system', id: null },
    });
    const staff = (await signIn({ inject: http.inject.bind(http) }, 'handler@demo.police.uk')).headers;

    // Contacts on the API channel to reply to.
    const contactIds: string[] = [];
    for (let i = 0; i < SENDS; i += 1) {
      const posted = await http.inject({
        method: 'POST',
        url: '/api/channels/api/messages',
        headers: { authorization: 'Bearer bench-api-token-0123456789', 'content-type': 'application/json' },
        payload: JSON.stringify({ messageId: `lanes-${i}`, from: { externalId: `partner-${i}` }, body: `Can someone call me back? (${i})` }),
      });
      if (posted.statusCode !== 202) throw new Error(`API message refused: ${posted.statusCode} ${posted.body}`);
    }
    await until(async () => {
      const rows = await withForce(app.database.db, forceId, (tx) =>
        tx.selectFrom('messages').select('contact_id').where('channel', '=', 'api').where('provider_message_id', 'like', 'lanes-%').execute(),
      );
      contactIds.splice(0, contactIds.length, ...rows.map((row) => row.contact_id).filter((id): id is string => id !== null));
      return contactIds.length === SENDS;
    }, 'the API messages');

    const phases: { name: string; delays: number[]; sendsHeld: number }[] = [];
    for (const slow of [false, true]) {
      provider.respondAfter(slow ? PROVIDER_DELAY_MS : 0);
      let sendsHeld = 0;
      if (slow) {
        for (const contactId of contactIds) {
          const reply = await http.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: staff, payload: { body: 'We will call you today.' } });
          if (reply.statusCode !== 201) throw new Error(`reply refused: ${reply.statusCode} ${reply.body}`);
        }
        await until(() => provider.unanswered() >= app.config.workerConcurrency.outbound, 'the sends to reach the provider', 30_000);
        sendsHeld = provider.unanswered();
      }
      const since = new Date(app.deps.clock.now().getTime() - 1);
      for (let i = 0; i < REPORTS; i += 1) {
        await submitPublicReport(app.deps, forceId, {
          submissionId: `lanes-${slow ? 'slow' : 'quiet'}-${i}`,
          whatHappened: `My bike was stolen from the station rack (${i})`,
          where: 'Station Road',
          when: 'this morning',
          name: null,
          email: `lanes-${i}@example.org`,
        });
      }
      await until(async () => {
        const { waiting, delays } = await followUpDelays(app, forceId, since);
        return waiting === 0 && delays.length >= REPORTS;
      }, 'the follow-up jobs');
      phases.push({ name: slow ? `slow provider (${PROVIDER_DELAY_MS} ms a call)` : 'provider answering at once', delays: (await followUpDelays(app, forceId, since)).delays, sendsHeld });
      // Let every send finish before the next phase.
      await until(async () => {
        const left = await withForce(app.database.db, forceId, (tx) =>
          tx.selectFrom('jobs').select('id').where('type', '=', CHANNEL_SEND_JOB).where('state', 'in', ['pending', 'running']).execute(),
        );
        return left.length === 0;
      }, 'the sends');
    }

    const [quiet, slow] = phases;
    const lines = [
      `job lanes: ${REPORTS} portal reports' database-only follow-up jobs, enqueued to done, on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
      `  slots: ${app.config.workerConcurrency.local} database-only, ${app.config.workerConcurrency.outbound} outbound; ${SENDS} replies to a provider taking ${PROVIDER_DELAY_MS} ms a call`,
      ...phases.map(
        (phase) =>
          `  ${phase.name.padEnd(34)} jobs ${String(phase.delays.length).padStart(4)}  p50 ${fmt(quantile(phase.delays, 0.5)).padStart(8)} ms  p99 ${fmt(quantile(phase.delays, 0.99)).padStart(8)} ms  max ${fmt(Math.max(...phase.delays)).padStart(8)} ms${phase.sendsHeld ? `  (sends at the provider: ${phase.sendsHeld})` : ''}`,
      ),
      quiet && slow ? `  p99 slow / at once: ${fmt(quantile(slow.delays, 0.99) / Math.max(1, quantile(quiet.delays, 0.99)))}×` : '',
      `  ${cpus().length} cores, Node ${process.version}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await provider.close();
    await remove();
  }
}
