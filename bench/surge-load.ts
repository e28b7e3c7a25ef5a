// The load generator of `npm run bench -- surge`, run in its own process so that sending at the
// offered rate never waits on the server's event loop (and the server's never on ours).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { BUILDERS } from './webhook-requests.ts';

/** What the benchmark tells the generator. */
export type SurgeOrders = {
  base: string;
  channels: string[];
  csrfCookie: string;
  csrfToken: string;
  staffCookie: string;
  warmUpSeconds: number;
  calibrationSeconds: number;
  concurrency: number;
  /** Skips calibration when set (requests per second). */
  sustainableRate: number | null;
  factor: number;
  surgeSeconds: number;
};

/** One request's answer; `kind` is `portal`, a channel name, or `error` when no answer came. */
export type Outcome = { kind: string; id: string; status: number; ms: number; isAccepted: boolean; hasRetryAfter: boolean; isFormKept: boolean };

/** What the generator reports back. */
export type SurgeReport = {
  sustainableRate: number;
  isCalibrated: boolean;
  offeredRate: number;
  sent: number;
  elapsedSeconds: number;
  outcomes: Outcome[];
  quietStaffMs: number[];
  surgeStaffMs: number[];
  staffFailures: number;
};

const REPORT_TEXT = 'Someone has been trying car door handles along our street tonight; one had a knife in his belt.';
const REQUEST_TIMEOUT_MS = 120_000;
/** How long a closed-loop client pauses after being shed. */
const SHED_PAUSE_MS = 250;

// Every request may have its own connection: a client-side queue would hide the server's answer
// time (fetch's default pool was seen holding requests for seconds before sending them).
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

type Answer = { status: number; headers: http.IncomingHttpHeaders; text: string };

/** One HTTP exchange with node:http, the body read to the end; rejects on timeout or a broken connection. */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : Buffer.from(init.body);
    const request = http.request(
      url,
      {
        method: init.method ?? 'GET',
        agent,
        // The send time, so the server side can tell how long a request sat unread.
        headers: { ...init.headers, 'x-bench-sent': String(Date.now()), ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

function isAccepted(kind: string, status: number): boolean {
  return kind === 'portal' ? status === 200 : status >= 200 && status < 300;
}

async function main(orders: SurgeOrders): Promise<SurgeReport> {
  const webhookBuilders = orders.channels.flatMap((name) => {
    const build = BUILDERS[name];
    return build ? [build] : [];
  });
  let turn = 0;

  /** One request of the mix: every other one a portal report, the rest webhooks round-robin. */
  async function sendOne(): Promise<Outcome> {
    const n = turn++;
    const t0 = performance.now();
    try {
      if (n % 2 === 0 || webhookBuilders.length === 0) {
        const id = randomUUID();
        const form = new URLSearchParams({
          csrfToken: orders.csrfToken,
          submissionId: id,
          whatHappened: `${REPORT_TEXT} (${id})`,
          where: 'Acacia Avenue, Demoton',
          when: 'About 10 minutes ago',
          name: 'Surge Bench',
          // One address a report, so every report is acknowledged as before the per-address limit (0162).
          email: `surge-${randomUUID()}@example.org`,
        });
        const response = await send(`${orders.base}/report/details`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `bl_csrf=${orders.csrfCookie}` },
          body: form.toString(),
        });
        const text = response.text;
        return {
          kind: 'portal',
          id,
          status: response.status,
          ms: performance.now() - t0,
          isAccepted: isAccepted('portal', response.status),
          hasRetryAfter: response.headers['retry-after'] !== undefined,
          isFormKept: response.status === 503 && text.includes(`value="${id}"`) && text.includes(`(${id})</textarea>`),
        };
      }
      const build = webhookBuilders[Math.floor(n / 2) % webhookBuilders.length];
      if (!build) throw new Error('no webhook builder');
      const request = build(orders.base);
      const response = await send(`${orders.base}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
      return {
        kind: request.channel,
        id: request.providerId,
        status: response.status,
        ms: performance.now() - t0,
        isAccepted: isAccepted(request.channel, response.status),
        hasRetryAfter: response.headers['retry-after'] !== undefined,
        isFormKept: false,
      };
    } catch {
      return { kind: 'error', id: '', status: 0, ms: performance.now() - t0, isAccepted: false, hasRetryAfter: false, isFormKept: false };
    }
  }

  async function closedLoop(seconds: number): Promise<Outcome[]> {
    const deadline = performance.now() + seconds * 1000;
    const outcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: orders.concurrency }, async () => {
        while (performance.now() < deadline) {
          const outcome = await sendOne();
          outcomes.push(outcome);
          // Told to come back, a client waits a moment: the closed loop measures what is
          // accepted, not how fast refusals come back to a client that never pauses.
          if (outcome.status === 503) await new Promise((resolve) => setTimeout(resolve, SHED_PAUSE_MS));
        }
      }),
    );
    return outcomes;
  }

  /** A signed-in console reading its queue every quarter second until stopped. */
  function staffProbe(): { stop(): Promise<{ ms: number[]; failures: number }> } {
    const ms: number[] = [];
    let failures = 0;
    let isRunning = true;
    const loop = (async () => {
      while (isRunning) {
        const t0 = performance.now();
        try {
          const response = await send(`${orders.base}/api/contacts?limit=50`, { headers: { cookie: orders.staffCookie } });
          if (response.status === 200) ms.push(performance.now() - t0);
          else failures += 1;
        } catch {
          failures += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    return {
      async stop() {
        isRunning = false;
        await loop;
        return { ms, failures };
      },
    };
  }

  await closedLoop(orders.warmUpSeconds);
  let sustainableRate = orders.sustainableRate ?? 0;
  const quiet = staffProbe();
  if (orders.sustainableRate === null) {
    const t0 = performance.now();
    const outcomes = await closedLoop(orders.calibrationSeconds);
    const seconds = (performance.now() - t0) / 1000;
    sustainableRate = outcomes.filter((o) => o.isAccepted).length / seconds;
  }
  const quietStaff = await quiet.stop();

  // Open loop: requests leave on schedule whether or not earlier ones have been answered.
  const rate = sustainableRate * orders.factor;
  const total = Math.round(rate * orders.surgeSeconds);
  const pending: Promise<Outcome>[] = [];
  const surge = staffProbe();
  const start = performance.now();
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (pending.length < due) pending.push(sendOne());
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const elapsedSeconds = (performance.now() - start) / 1000;
  const outcomes = await Promise.all(pending);
  const surgeStaff = await surge.stop();
  return {
    sustainableRate,
    isCalibrated: orders.sustainableRate === null,
    offeredRate: total / elapsedSeconds,
    sent: total,
    elapsedSeconds,
    outcomes,
    quietStaffMs: quietStaff.ms,
    surgeStaffMs: surgeStaff.ms,
    staffFailures: quietStaff.failures + surgeStaff.failures,
  };
}

process.once('message', (orders: SurgeOrders) => {
  main(orders).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`surge load failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
