import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { withSystem, type Database } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import type { JsonValue } from '../db/tables.ts';
import { onCommittedEvents, type StoredEvent } from '../events/event-log.ts';
import type { CheckpointObserver, CheckpointOutcome } from '../events/checkpoints.ts';
import type { HousekeepingResult } from '../jobs/housekeeping.ts';
import type { AdmissionStats } from '../http/admission.ts';
import { publicRoute } from '../http/routes.ts';
import { processMetrics } from './process-metrics.ts';
import { textBody } from '../http/responses.ts';
import { isBearer } from '../http/bearer-token.ts';

/** How long a scrape waits for the database before answering without the database gauges. */
const SNAPSHOT_TIMEOUT_MS = 2000;

type Snapshot = {
  queues: { force: string; queue: string; waiting: number; oldestWaitSeconds: number }[];
  jobs: { type: string; state: string; count: number }[];
  /** Age of the oldest due job not yet taken, per type with one due: sends to a slow provider lag in their own lane (decision 0050). */
  oldestDueJobSecondsByType: { type: string; seconds: number }[];
  /** Portal reports acknowledged and not yet processed: waiting their turn, or failing and to be tried again. */
  receivedReports: { waiting: number; failing: number; oldestSeconds: number };
};

/**
 * The process's Prometheus metrics. Counters count what this process committed (sum them across
 * nodes); gauges from the database are read at scrape time by indexed queries, bounded by a
 * timeout and shared by concurrent scrapes, so a scrape never holds the database or the event loop for long.
 */
export class Metrics implements CheckpointObserver {
  /** What `/metrics` serves: this app's metrics and the process's own (see processMetrics). */
  readonly registry = Registry.merge([processMetrics()]);
  /** The separate metrics port once started (METRICS_PORT), for tests and the start-up banner. */
  serverPort: number | null = null;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status_class'>;
  private readonly contactsReceived: Counter<'channel'>;
  private readonly slaWarnings: Counter<'kind'>;
  private readonly slaBreaches: Counter<'kind'>;
  private readonly checkpoints: Counter<'outcome'>;
  private readonly checkpointLastWritten: Gauge<'force_id'>;
  private readonly housekeepingDeleted: Counter<'what'>;
  private readonly stopListening: () => void;
  private inflight: Promise<Snapshot | null> | null = null;

  constructor(private readonly options: { database: Database; clock: Clock; logger?: Logger }) {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'bluelamp_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.httpRequests = new Counter({
      name: 'bluelamp_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status class',
      labelNames: ['method', 'route', 'status_class'],
      registers,
    });
    this.contactsReceived = new Counter({ name: 'bluelamp_contacts_received_total', help: 'Contacts opened, by channel', labelNames: ['channel'], registers });
    this.slaWarnings = new Counter({ name: 'bluelamp_sla_warnings_total', help: 'SLA clocks that reached their warning point', labelNames: ['kind'], registers });
    this.slaBreaches = new Counter({ name: 'bluelamp_sla_breaches_total', help: 'SLA clocks that fell due unstopped', labelNames: ['kind'], registers });
    this.checkpoints = new Counter({
      name: 'bluelamp_audit_checkpoints_total',
      help: 'Audit checkpoint runs by outcome (written, unchanged, empty, contradiction, error)',
      labelNames: ['outcome'],
      registers,
    });
    this.checkpointLastWritten = new Gauge({
      name: 'bluelamp_audit_checkpoint_last_written_seconds',
      help: 'Unix time of the last signed checkpoint this process wrote, per force',
      labelNames: ['force_id'],
      registers,
    });
    this.housekeepingDeleted = new Counter({
      name: 'bluelamp_housekeeping_deleted_total',
      help: 'Rows deleted by housekeeping (jobs_done, jobs_dead, sessions)',
      labelNames: ['what'],
      registers,
    });
    this.registerDatabaseGauges(registers);
    this.stopListening = onCommittedEvents((events) => this.countEvents(events));
  }

  private countEvents(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.type === 'contact.received') this.contactsReceived.inc({ channel: labelOf(event.data.channel) });
      else if (event.type === 'sla.warning') this.slaWarnings.inc({ kind: labelOf(event.data.kind) });
      else if (event.type === 'sla.breached') this.slaBreaches.inc({ kind: labelOf(event.data.kind) });
    }
  }

  private registerDatabaseGauges(registers: Registry[]): void {
    const { database } = this.options;
    // The gauges' `collect` is called with the gauge as `this`; the shared reading is this object's.
    const readSnapshot = () => this.readSnapshot();
    new Gauge({
      name: 'bluelamp_db_pool_connections',
      help: 'Database connections by state (total, idle, waiting for one); PGlite has one connection',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = database.poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
    // Each gauge fills itself from the one shared reading (the registry collects gauges concurrently).
    const fromSnapshot = <L extends string>(spec: { name: string; help: string; labelNames?: L[] }, fill: (gauge: Gauge<L>, snapshot: Snapshot) => void) =>
      new Gauge<L>({
        ...spec,
        registers,
        async collect() {
          const snapshot = await readSnapshot();
          this.reset();
          if (snapshot) fill(this, snapshot);
        },
      });
    new Gauge({
      name: 'bluelamp_metrics_database_up',
      help: '1 when the database gauges were read in time at this scrape; 0 means they are missing from it',
      registers,
      async collect() {
        this.set((await readSnapshot()) ? 1 : 0);
      },
    });
    fromSnapshot({ name: 'bluelamp_queue_waiting_contacts', help: 'Contacts waiting unassigned, per queue', labelNames: ['force', 'queue'] }, (gauge, snapshot) => {
      for (const queue of snapshot.queues) gauge.set({ force: queue.force, queue: queue.queue }, queue.waiting);
    });
    fromSnapshot(
      { name: 'bluelamp_queue_oldest_wait_seconds', help: 'How long the longest-waiting contact has waited, per queue', labelNames: ['force', 'queue'] },
      (gauge, snapshot) => {
        for (const queue of snapshot.queues) gauge.set({ force: queue.force, queue: queue.queue }, queue.oldestWaitSeconds);
      },
    );
    fromSnapshot(
      { name: 'bluelamp_jobs', help: 'Durable jobs by type and state (waiting: due now; scheduled: due later; running; dead)', labelNames: ['type', 'state'] },
      (gauge, snapshot) => {
        for (const job of snapshot.jobs) gauge.set({ type: job.type, state: job.state }, job.count);
      },
    );
    fromSnapshot({ name: 'bluelamp_jobs_lag_seconds', help: 'Age of the oldest job that is due and not yet taken (0 when none)' }, (gauge, snapshot) => {
      gauge.set(Math.max(0, ...snapshot.oldestDueJobSecondsByType.map(({ seconds }) => seconds)));
    });
    fromSnapshot(
      { name: 'bluelamp_jobs_lag_by_type_seconds', help: 'Age of the oldest due job not yet taken, per type with one due (sends, clocks, acknowledgements)', labelNames: ['type'] },
      (gauge, snapshot) => {
        for (const { type, seconds } of snapshot.oldestDueJobSecondsByType) gauge.set({ type }, seconds);
      },
    );
    fromSnapshot(
      { name: 'bluelamp_received_reports', help: 'Portal reports acknowledged and not yet processed (waiting; failing: failed at least once, to be tried again)', labelNames: ['state'] },
      (gauge, { receivedReports }) => {
        gauge.set({ state: 'waiting' }, receivedReports.waiting);
        gauge.set({ state: 'failing' }, receivedReports.failing);
      },
    );
    fromSnapshot({ name: 'bluelamp_received_reports_oldest_seconds', help: 'Age of the oldest portal report acknowledged and not yet processed, on any node (0 when none)' }, (gauge, snapshot) => {
      gauge.set(snapshot.receivedReports.oldestSeconds);
    });
  }

  /**
   * The database reading for gauges, null when it failed or did not come within the timeout.
   * Concurrent scrapes (and the gauges of one scrape) share one reading in flight, so scrapers
   * can never stack queries up behind a slow database.
   */
  private async readSnapshot(): Promise<Snapshot | null> {
    if (!this.inflight) {
      this.inflight = this.querySnapshot()
        .catch((error: unknown) => {
          this.options.logger?.warn({ err: error }, 'metrics could not read the database; its gauges are left out of this scrape');
          return null;
        })
        .finally(() => {
          this.inflight = null;
        });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), SNAPSHOT_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([this.inflight, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async querySnapshot(): Promise<Snapshot> {
    const { database, clock } = this.options;
    const now = clock.now();
    return withSystem(database.db, async (tx) => {
      if (database.engine === 'postgres') await sql`select set_config('statement_timeout', ${String(SNAPSHOT_TIMEOUT_MS)}, true)`.execute(tx);
      // Every query below is served by a partial index (waiting contacts, due jobs, dead jobs).
      const queues = await sql<{ force: string; queue: string; waiting: number; oldest: Date | null }>`
        select f.slug as force, q.key as queue, count(c.id)::int as waiting, min(c.enqueued_at) as oldest
        from queues q
        join forces f on f.id = q.force_id
        left join contacts c on c.force_id = q.force_id and c.queue_id = q.id and c.status = 'open' and c.assigned_staff_id is null
        group by f.slug, q.key`.execute(tx);
      const active = await sql<{ type: string; state: string; n: number; oldest_due: Date | null }>`
        select type,
          case when state = 'pending' and run_at <= ${now} then 'waiting' when state = 'pending' then 'scheduled' else state end as state,
          count(*)::int as n,
          min(run_at) filter (where state = 'pending' and run_at <= ${now}) as oldest_due
        from jobs where state in ('pending', 'running')
        group by 1, 2`.execute(tx);
      const dead = await sql<{ type: string; n: number }>`select type, count(*)::int as n from jobs where state = 'dead' group by type`.execute(tx);
      // Processed rows are deleted: the table holds only what waits, a handful unless processing is behind.
      const received = await sql<{ waiting: number; failing: number; oldest: Date | null }>`
        select count(*) filter (where attempts = 0)::int as waiting, count(*) filter (where attempts > 0)::int as failing, min(received_at) as oldest
        from received_reports`.execute(tx);
      const seconds = (from: Date | null) => (from ? Math.max(0, (now.getTime() - new Date(from).getTime()) / 1000) : 0);
      return {
        queues: queues.rows.map((row) => ({ force: row.force, queue: row.queue, waiting: Number(row.waiting), oldestWaitSeconds: seconds(row.oldest) })),
        jobs: [
          ...active.rows.map((row) => ({ type: row.type, state: row.state, count: Number(row.n) })),
          ...dead.rows.map((row) => ({ type: row.type, state: 'dead', count: Number(row.n) })),
        ],
        oldestDueJobSecondsByType: active.rows.flatMap((row) => (row.oldest_due ? [{ type: row.type, seconds: seconds(row.oldest_due) }] : [])),
        receivedReports: {
          waiting: Number(received.rows[0]?.waiting ?? 0),
          failing: Number(received.rows[0]?.failing ?? 0),
          oldestSeconds: seconds(received.rows[0]?.oldest ?? null),
        },
      };
    });
  }

  /** Counts a checkpoint run (CheckpointObserver). */
  onCheckpoint(outcome: CheckpointOutcome): void {
    this.checkpoints.inc({ outcome: outcome.status });
    if (outcome.status === 'written' || outcome.status === 'unchanged') {
      this.checkpointLastWritten.set({ force_id: outcome.forceId }, this.options.clock.now().getTime() / 1000);
    }
  }

  /** Counts a checkpoint run that failed before an outcome (CheckpointObserver). */
  onCheckpointFailure(): void {
    this.checkpoints.inc({ outcome: 'error' });
  }

  /** Counts what housekeeping deleted. */
  onHousekeeping(result: HousekeepingResult): void {
    this.housekeepingDeleted.inc({ what: 'jobs_done' }, result.jobsDone);
    this.housekeepingDeleted.inc({ what: 'jobs_dead' }, result.jobsDead);
    this.housekeepingDeleted.inc({ what: 'sessions' }, result.sessions);
    this.housekeepingDeleted.inc({ what: 'inbound_requests' }, result.inboundRequests);
    this.housekeepingDeleted.inc({ what: 'report_codes' }, result.reportCodes);
    this.housekeepingDeleted.inc({ what: 'chat_sessions' }, result.chatSessions);
    this.housekeepingDeleted.inc({ what: 'unit_positions' }, result.positions);
    this.housekeepingDeleted.inc({ what: 'delivery_backlog' }, result.deliveryBacklog);
  }

  /**
   * Exposes the admission gate: public requests admitted and shed, those in their handlers and
   * waiting, and the rate it admits at while the loop is saturated (-1 while not limiting).
   */
  observeAdmission(stats: () => AdmissionStats): void {
    const registers = [this.registry];
    const counted = { admitted: 0, shed: 0 };
    new Counter({
      name: 'bluelamp_public_requests_total',
      help: 'Public requests (portal, webhooks, chat) the admission gate admitted or shed, by outcome',
      labelNames: ['outcome'],
      registers,
      collect() {
        // The gate keeps running totals; the counter catches up with them at each scrape.
        const current = stats();
        this.inc({ outcome: 'admitted' }, current.admitted - counted.admitted);
        this.inc({ outcome: 'shed' }, current.shed - counted.shed);
        counted.admitted = current.admitted;
        counted.shed = current.shed;
      },
    });
    new Gauge({
      name: 'bluelamp_public_requests_in_gate',
      help: 'Public requests in their handlers (running) or waiting for a turn (waiting)',
      labelNames: ['state'],
      registers,
      collect() {
        const current = stats();
        this.set({ state: 'running' }, current.inFlight);
        this.set({ state: 'waiting' }, current.waiting);
      },
    });
    new Gauge({
      name: 'bluelamp_public_admission_rate_limit',
      help: 'Public requests per second admitted while the event loop is saturated and accepted reports are behind; -1 while not limiting',
      registers,
      collect() {
        this.set(stats().rateLimit ?? -1);
      },
    });
    new Gauge({
      name: 'bluelamp_received_reports_lag_seconds',
      help: 'How long the oldest portal report this process accepted has waited to be processed (0 when none waits); -1 when this process does not process them',
      registers,
      collect() {
        const lag = stats().workLagMs;
        this.set(lag === null ? -1 : lag / 1000);
      },
    });
  }

  /**
   * Times every request of the server by its route pattern (never the raw URL, which would make
   * a series per contact id) and, when a token is set, serves `/metrics` behind it.
   */
  instrument(server: FastifyInstance, token: string | undefined): void {
    server.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      };
      this.httpRequests.inc(labels);
      this.httpDuration.observe(labels, reply.elapsedTime / 1000);
    });
    registerMetricsRoute(server, token, this.registry);
  }

  /** Serves `/metrics` alone on its own port (for the worker role too); the token applies if set. */
  async listen(port: number, host: string, token: string | undefined): Promise<() => Promise<void>> {
    const server: Server = createHttpServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://metrics');
      if (request.method !== 'GET' || url.pathname !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      if (token && !isBearer(request.headers.authorization, token)) {
        response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('A metrics bearer token is required\n');
        return;
      }
      this.registry.metrics().then(
        (body) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics failed\n'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.serverPort = (server.address() as AddressInfo).port;
    return () => new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops counting committed events. */
  close(): void {
    this.stopListening();
  }
}

/** What `/metrics` serves: the Prometheus text of a registry. */
export type MetricsSource = { contentType: string; metrics(): Promise<string> };

/** Serves `/metrics` on the main port behind a bearer token; without a token, not at all. */
export function registerMetricsRoute(server: FastifyInstance, token: string | undefined, source: MetricsSource): void {
  if (!token) return;
  publicRoute(server, {
    method: 'GET',
    url: '/metrics',
    permission: 'public',
    audit: 'metrics.read',
    summary: 'Prometheus metrics, behind the METRICS_TOKEN bearer token (absent without one)',
    tags: ['operations'],
    response: {
      200: textBody('text/plain', 'The Prometheus text exposition format (version 0.0.4)'),
      401: textBody('text/plain', 'The bearer token is missing or wrong'),
    },
    handler: async ({ request, reply }) => {
      if (!isBearer(request.headers.authorization, token)) {
        return reply.status(401).header('www-authenticate', 'Bearer realm="metrics"').type('text/plain').send('A metrics bearer token is required\n');
      }
      return reply.type(source.contentType).send(await source.metrics());
    },
  });
}

/** An event's field as a metric label: the catalogue makes these fields text, anything else is "unknown". */
function labelOf(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : 'unknown';
}
