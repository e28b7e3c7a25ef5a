// The whole product as a real process on PostgreSQL, with its database connections terminated
// under traffic (as a failover, a restart of PostgreSQL or a network reset would): the process
// survives, every request is answered with success or a 503 (never a 500, never a hang), every
// acknowledged report is stored exactly once, and new requests succeed once the database is back.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase } from '../helpers.ts';
import { freePort } from '../cli-kit.ts';

const CLI = path.resolve('bin/bluelamp.js');
/** A request not answered in this time counts as a hang. */
const REQUEST_TIMEOUT_MS = 30_000;

type Outcome = { what: string; status: number; retryAfter: string | null; body: string };

/** A browser without JavaScript, on real HTTP: keeps cookies, reads form fields. */
class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(what: string, url: string, init: RequestInit = {}): Promise<Outcome & { response: Response }> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(this.base + url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const body = await response.text();
    return { what, status: response.status, retryAfter: response.headers.get('retry-after'), body, response };
  }
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** Opens the report form and posts it; `submissionId` given re-sends an earlier submission. */
async function sendReport(base: string, outcomes: Outcome[], submissionId?: string): Promise<{ submissionId: string; acknowledged: boolean } | null> {
  const visitor = new Visitor(base);
  const form = await visitor.request('report form', '/report/details');
  outcomes.push(form);
  if (form.status !== 200) return null;
  const id = submissionId ?? field(form.body, 'submissionId');
  const posted = await visitor.request('report post', '/report/details', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      csrfToken: field(form.body, 'csrfToken'),
      submissionId: id,
      whatHappened: `Outage test report ${id}`,
      where: 'High Street',
      when: 'Just now',
      name: 'Pat Public',
      email: 'pat.public@example.org',
    }).toString(),
  });
  outcomes.push(posted);
  return { submissionId: id, acknowledged: posted.status === 200 };
}

async function waitForReady(base: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 200_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up: ${log()}`);
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (ready?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not become ready: ${log()}`);
}

describe.runIf(ENGINE === 'postgres')('a server process whose database connections are terminated under traffic', () => {
  it(
    'survives, answers every request with success or 503, and stores each acknowledged report exactly once',
    async () => {
      const scratch = await createScratchDatabase();
      const databaseName = new URL(scratch.url).pathname.slice(1);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      let output = '';
      const child = spawn(process.execPath, [CLI, 'start'], {
        // Shedding is tested elsewhere: on a busy machine it would refuse the reports this test
        // needs acknowledged before each termination.
        env: {
          ...process.env,
          DATABASE_URL: scratch.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          DATABASE_POOL_SIZE: '6',
          SHED_MAX_UTILISATION: '0',
          SHED_EVENT_LOOP_DELAY_MS: '0',
          SHED_MAX_WAIT_MS: '60000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
      child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await waitForReady(base, child, () => output);

        const staff = new Visitor(base);
        const login = await staff.request('login', '/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'supervisor@demo.police.uk', password: 'demo-password' }),
        });
        expect(login.status).toBe(200);
        const csrf = (JSON.parse(login.body) as { csrfToken: string }).csrfToken;

        const outcomes: Outcome[] = [];
        const reports: { submissionId: string; acknowledged: boolean }[] = [];
        let stop = false;
        const publicTraffic = async () => {
          for (let i = 0; i < 60 && !stop; i += 1) {
            const sent = await sendReport(base, outcomes);
            if (sent) reports.push(sent);
          }
        };
        const staffTraffic = async () => {
          for (let i = 0; i < 120 && !stop; i += 1) {
            outcomes.push(await staff.request('contact list', '/api/contacts'));
            outcomes.push(
              await staff.request('presence', '/api/me/presence', {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
                body: JSON.stringify({ presence: i % 2 === 0 ? 'available' : 'away' }),
              }),
            );
          }
        };
        const terminations = (async () => {
          let terminated = 0;
          // Terminate while requests are in flight: after some reports went through, three times.
          for (let round = 0; round < 3; round += 1) {
            const before = reports.filter((r) => r.acknowledged).length;
            const waitUntil = Date.now() + 120_000;
            while (reports.filter((r) => r.acknowledged).length < before + 3 && child.exitCode === null) {
              if (Date.now() > waitUntil) throw new Error(`no reports acknowledged for two minutes before termination ${round + 1}`);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
            const result = await admin.query<{ pid: number }>(
              'select pg_terminate_backend(pid) as pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
              [databaseName],
            );
            terminated += result.rowCount ?? 0;
          }
          stop = true;
          return terminated;
        })();
        const [terminated] = await Promise.all([terminations, publicTraffic(), publicTraffic(), staffTraffic()]);

        const count = (status: number) => outcomes.filter((o) => o.status === status).length;
        console.info(
          `outage: ${outcomes.length} requests, ${terminated} backends terminated; ${count(200) + count(204) + count(303)} succeeded, ${count(503)} answered 503; ` +
            `${reports.filter((r) => r.acknowledged).length} reports acknowledged`,
        );
        // The process is still there.
        expect(terminated).toBeGreaterThan(0);
        expect(child.exitCode, output).toBeNull();

        // Every answer was a success or a 503 that says to retry; no 500.
        const failures = outcomes.filter((o) => ![200, 204, 303, 503].includes(o.status));
        expect(failures.map((o) => `${o.what}: ${o.status} ${o.body.slice(0, 200)}`)).toEqual([]);
        const unavailable = outcomes.filter((o) => o.status === 503);
        for (const answer of unavailable) {
          expect(answer.retryAfter).toMatch(/^\d+$/);
          if (answer.what === 'contact list' || answer.what === 'presence') {
            expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unavailable' } });
          } else if (answer.what === 'report post') {
            // The form comes back with what was typed, to send again in a moment.
            expect(answer.body).toContain('data-testid="busy"');
            expect(answer.body).toContain('Outage test report');
          } else {
            expect(answer.body).toContain('the service is unavailable for a moment');
          }
        }

        // The LISTEN connection was terminated too: it reconnects by itself and /readyz says so.
        const readyAgain = Date.now() + 60_000;
        let readiness = 0;
        while (Date.now() < readyAgain && readiness !== 200) {
          readiness = (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).status;
          if (readiness !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(readiness).toBe(200);

        // Once the database is back, new requests succeed, and a report refused with a 503 can
        // be sent again (same submission) and is stored once.
        const after: Outcome[] = [];
        const fresh = await sendReport(base, after);
        expect(after.map((o) => o.status)).toEqual([200, 200]);
        if (fresh) reports.push(fresh);
        for (const report of reports.filter((r) => !r.acknowledged)) {
          const resent = await sendReport(base, after, report.submissionId);
          expect(resent?.acknowledged).toBe(true);
        }
        const list = await staff.request('contact list', '/api/contacts');
        expect(list.status).toBe(200);

        // Every acknowledged report is stored exactly once.
        const ids = reports.map((r) => r.submissionId);
        const stored = new pg.Client({ connectionString: scratch.url });
        await stored.connect();
        try {
          // Acknowledged means received and committed; the contacts follow in the background
          // (decision 0022), so wait, within a bound, until none of these is still waiting.
          const waitUntil = Date.now() + 60_000;
          const waiting = async () =>
            (await stored.query<{ n: number }>(`select count(*)::int as n from received_reports where submission_id = any($1)`, [ids])).rows[0]?.n ?? 0;
          while ((await waiting()) > 0 && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 200));
          expect(await waiting()).toBe(0);
          const counts = await stored.query<{ id: string; n: number }>(
            `select provider_message_id as id, count(*)::int as n from messages where provider_message_id = any($1) group by 1`,
            [ids],
          );
          const byId = new Map(counts.rows.map((row) => [row.id, row.n]));
          for (const id of ids) expect(byId.get(id), `report ${id}`).toBe(1);
        } finally {
          await stored.end();
        }
        expect(child.exitCode, output).toBeNull();
      } finally {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
        await admin.end();
        await scratch.drop();
      }
    },
    400_000,
  );
});
