import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { classifyRequest } from './admission-class.ts';

export type AdmissionSettings = {
  /** How many public requests may be in their handlers at once. */
  concurrency: number;
  /** The longest a public request waits for a turn before it is shed (0: never wait). */
  maxWaitMs: number;
  /** Public requests are shed while the event loop runs later than this (0: not watched). */
  maxEventLoopDelayMs: number;
  /**
   * The share of time the event loop may be busy (0–1) before the gate lowers how many public
   * requests it admits per second (0: not watched). See AdmissionRate.
   */
  maxUtilisation?: number;
  /**
   * How far behind admitted work may fall (milliseconds) before a saturated loop is blamed on it:
   * while work keeps up, a busy loop is busy reading and shedding, and admitting less would not
   * free it (0: utilisation alone decides). See AdmissionRate.
   */
  maxWorkLagMs?: number;
};

/**
 * What the gate reads about the process's load: how late the loop runs, how busy it is, and how
 * long the oldest admitted work has waited to be done in this process (null when it cannot tell,
 * as on a node whose work another node does).
 */
export type LoadSignal = { eventLoopDelayMs(): number; utilisation(): number; workLagMs?(): number | null };

const IDLE_LOAD: LoadSignal = { eventLoopDelayMs: () => 0, utilisation: () => 0 };

/**
 * How late the event loop has been running lately: the worst delay in the current and the last
 * window. While the loop is late, requests wait unread in the socket buffers, where no queue of
 * ours can see them; this is how the gate notices (CPU starved, or blocked by embedded PGlite).
 */
export class EventLoopWatch implements LoadSignal {
  private readonly histogram = monitorEventLoopDelay({ resolution: 20 });
  private lastWindowMs = 0;
  private lastUtilisation = 0;
  private utilisationMark: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(windowMs = 250) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.lastWindowMs = this.histogram.max / 1e6;
      this.histogram.reset();
      const mark = performance.eventLoopUtilization();
      this.lastUtilisation = performance.eventLoopUtilization(mark, this.utilisationMark).utilization;
      this.utilisationMark = mark;
    }, windowMs);
    this.timer.unref();
  }

  /** The share of the last window the event loop spent running code (0–1). */
  utilisation(): number {
    return this.lastUtilisation;
  }

  /** Same as recentDelayMs, under the name the gate reads. */
  eventLoopDelayMs(): number {
    return this.recentDelayMs();
  }

  /** The worst event-loop delay seen in the last window or so, in milliseconds. */
  recentDelayMs(): number {
    return Math.max(this.lastWindowMs, this.histogram.max / 1e6);
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

/** Below this many public requests per second, they are not what keeps the loop busy. */
const MIN_RATE_TO_START_LIMITING = 8;

/**
 * How many public requests per second the gate admits while the process is saturated, adjusted
 * every window (additive increase, multiplicative decrease, as TCP adjusts its window).
 * Unlimited while the loop has time to spare. Why: with embedded PGlite the database runs on the
 * same thread as HTTP, and a portal report is accepted in a few milliseconds and processed
 * afterwards, so a concurrency limit alone can admit reports faster than the core processes them
 * beside reading and shedding the rest; the surplus then piles up, unseen by the queue and the
 * loop delay. So the limit is cut while the loop is saturated **and** admitted work falls behind
 * (the oldest accepted report waits longer than `maxWorkLagMs` to be processed). A saturated
 * loop whose work keeps up is not cut: under a large surge, reading and shedding alone keep the
 * loop busy (about 0.7 ms a request), and cutting admissions for that only turned away work the
 * process had room for. Where the lag cannot be seen (no processing in this process) or is not
 * watched, utilisation alone decides, as it did before.
 */
export class AdmissionRate {
  /** Requests per second, or null when not limiting. */
  private rate: number | null = null;
  private tokens = 0;
  private lastRefillAt: number;
  private windowStartedAt: number;
  private admittedInWindow = 0;

  private readonly windowMs: number;
  private readonly minRate: number;
  private readonly maxWorkLagMs: number;

  /**
   * `windowMs`: how often the limit is adjusted (250); `minRate`: its floor (2 a second);
   * `maxWorkLagMs`: the lag past which admitted work is behind (0: utilisation alone decides).
   */
  constructor(
    private readonly maxUtilisation: number,
    now: number,
    options: { windowMs?: number; minRate?: number; maxWorkLagMs?: number } = {},
  ) {
    this.windowMs = options.windowMs ?? 250;
    this.minRate = options.minRate ?? 2;
    this.maxWorkLagMs = options.maxWorkLagMs ?? 0;
    this.lastRefillAt = now;
    this.windowStartedAt = now;
  }

  /** The current limit in requests per second, or null while not limiting. */
  limit(): number | null {
    return this.rate;
  }

  /**
   * Takes one admission if the rate allows it now; `utilisation` is the loop's latest reading,
   * `workLagMs` how long the oldest admitted work has waited (null: unknown).
   */
  tryTake(now: number, utilisation: () => number, workLagMs: () => number | null = () => null): boolean {
    if (now - this.windowStartedAt >= this.windowMs) this.adjust(now, utilisation(), workLagMs);
    if (this.rate === null) {
      this.admittedInWindow += 1;
      return true;
    }
    // A burst of a tenth of a second's worth, so an idle moment does not bank a flood.
    const burst = Math.max(1, this.rate / 10);
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefillAt) * this.rate) / 1000);
    this.lastRefillAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    this.admittedInWindow += 1;
    return true;
  }

  /** Whether admitted work is behind: unknown or unwatched counts as behind (utilisation alone decides). */
  private isWorkBehind(workLagMs: () => number | null): boolean {
    if (this.maxWorkLagMs <= 0) return true;
    const lag = workLagMs();
    return lag === null || lag > this.maxWorkLagMs;
  }

  private adjust(now: number, utilisation: number, workLagMs: () => number | null): void {
    const elapsed = now - this.windowStartedAt;
    const observed = (this.admittedInWindow * 1000) / elapsed;
    this.windowStartedAt = now;
    this.admittedInWindow = 0;
    if (utilisation > this.maxUtilisation && this.isWorkBehind(workLagMs)) {
      // Busy with something other than public requests (start-up, a sweep, staff work): holding
      // the public back would not free the loop.
      if (this.rate === null && observed < MIN_RATE_TO_START_LIMITING) return;
      // Start from what was actually admitted, not from a limit that was not binding.
      const from = this.rate === null ? observed : Math.min(this.rate, Math.max(observed, this.minRate));
      this.rate = Math.max(this.minRate, from * 0.7);
      this.tokens = Math.min(this.tokens, 1);
      this.lastRefillAt = now;
      return;
    }
    if (this.rate === null) return;
    this.rate += Math.max(1, this.rate * 0.1);
    // Far above what is asked for, with the loop comfortably idle: stop limiting.
    if (utilisation < this.maxUtilisation / 2 && this.rate > 2 * observed + this.minRate) this.rate = null;
  }
}

/** A turn in the gate; `release` gives it back (calling it twice is harmless). */
export type AdmissionTicket = { release(): void };

type Waiter = { admit(ticket: AdmissionTicket): void; timer: ReturnType<typeof setTimeout> | null; enqueuedAt: number };

/** What the gate has done since it started, for logs, metrics and the benchmark. */
export type AdmissionStats = {
  inFlight: number;
  waiting: number;
  admitted: number;
  shed: number;
  meanServiceMs: number | null;
  /** Public requests admitted per second while the loop is saturated; null while not limiting. */
  rateLimit: number | null;
  /** How long the oldest admitted work has waited to be done in this process (ms); null when it cannot tell. */
  workLagMs: number | null;
};

// The mean service time is smoothed over roughly the last twenty requests.
const SMOOTHING = 0.05;

/**
 * Admission control for public traffic: at most `concurrency` requests run at once and the rest
 * wait in arrival order, but never longer than `maxWaitMs`. A request is shed (answered at once)
 * when it cannot start within that budget: either its wait ran out, or the queue ahead of it
 * already means a longer wait than the budget (judged from the measured time a request holds its
 * turn, which includes every wait for the database and for the event loop). It also sheds
 * while the event loop itself runs late (see EventLoopWatch). So the work that is accepted
 * finishes quickly, and the rest is told to come back instead of queueing for 45 s.
 */
export class AdmissionGate {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private meanServiceMs: number | null = null;
  private admitted = 0;
  private shed = 0;
  private readonly rate: AdmissionRate | null;

  constructor(
    readonly settings: AdmissionSettings,
    private readonly now: () => number = () => performance.now(),
    private readonly load: LoadSignal = IDLE_LOAD,
  ) {
    if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) throw new Error('admission concurrency must be a positive integer');
    if (!(settings.maxWaitMs >= 0)) throw new Error('admission wait must not be negative');
    const maxUtilisation = settings.maxUtilisation ?? 0;
    if (!(maxUtilisation >= 0 && maxUtilisation <= 1)) throw new Error('admission utilisation must be between 0 and 1');
    const maxWorkLagMs = settings.maxWorkLagMs ?? 0;
    if (!(maxWorkLagMs >= 0)) throw new Error('admission work lag must not be negative');
    this.rate = maxUtilisation > 0 ? new AdmissionRate(maxUtilisation, now(), { maxWorkLagMs }) : null;
  }

  /** A turn now or within the wait budget, or null when the request should be shed. */
  admit(): Promise<AdmissionTicket | null> {
    // A late loop means requests already waited unseen; taking on more work would make it later.
    if (this.settings.maxEventLoopDelayMs > 0 && this.load.eventLoopDelayMs() > this.settings.maxEventLoopDelayMs) {
      this.shed += 1;
      return Promise.resolve(null);
    }
    // A saturated loop has requests queued unseen in front of this one; admit only what it can carry.
    if (this.rate && !this.rate.tryTake(this.now(), () => this.load.utilisation(), () => this.load.workLagMs?.() ?? null)) {
      this.shed += 1;
      return Promise.resolve(null);
    }
    if (this.inFlight < this.settings.concurrency && this.waiting.length === 0) return Promise.resolve(this.start());
    if (this.settings.maxWaitMs <= 0 || this.expectedWaitMs(this.waiting.length + 1) > this.settings.maxWaitMs) {
      this.shed += 1;
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { admit: resolve, timer: null, enqueuedAt: this.now() };
      waiter.timer = setTimeout(() => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        this.shed += 1;
        resolve(null);
      }, this.settings.maxWaitMs);
      this.waiting.push(waiter);
    });
  }

  /** Counters and the current queue, read without changing anything. */
  stats(): AdmissionStats {
    return {
      inFlight: this.inFlight,
      waiting: this.waiting.length,
      admitted: this.admitted,
      shed: this.shed,
      meanServiceMs: this.meanServiceMs,
      rateLimit: this.rate?.limit() ?? null,
      workLagMs: this.load.workLagMs?.() ?? null,
    };
  }

  /**
   * How long the request `position` places back would wait: the gate finishes `concurrency`
   * requests per typical request time, so `position` of them take that long (Little's law).
   * Unknown (zero) until one has finished.
   */
  private expectedWaitMs(position: number): number {
    if (this.meanServiceMs === null) return 0;
    return (position * this.meanServiceMs) / this.settings.concurrency;
  }

  private start(): AdmissionTicket {
    this.inFlight += 1;
    this.admitted += 1;
    const startedAt = this.now();
    let isReleased = false;
    return {
      release: () => {
        if (isReleased) return;
        isReleased = true;
        const took = Math.max(0, this.now() - startedAt);
        this.meanServiceMs = this.meanServiceMs === null ? took : this.meanServiceMs + SMOOTHING * (took - this.meanServiceMs);
        this.inFlight -= 1;
        this.next();
      },
    };
  }

  private next(): void {
    while (this.inFlight < this.settings.concurrency) {
      const waiter = this.waiting.shift();
      if (!waiter) return;
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.admit(this.start());
    }
  }
}

/** Answers a shed request; returns true when it wrote the reply (a page), false to fall back to JSON. */
export type ShedResponder = (request: FastifyRequest, reply: FastifyReply) => boolean;

export type AdmissionOptions = {
  gate: AdmissionGate;
  /** Seconds in the `Retry-After` of every shed response. */
  retryAfterSeconds: number;
  /** The cookie whose presence marks a staff request (as an integration's bearer token does: see classifyRequest). */
  sessionCookie: string;
  /** Renders the friendly page for HTML requests (the portal). */
  respondToShedPage?: ShedResponder;
};

declare module 'fastify' {
  interface FastifyRequest {
    admissionTicket?: AdmissionTicket;
  }
}

const SHED_LOG_INTERVAL_MS = 10_000;

/** Requests whose callers read JSON: providers, the API and the chat widget. */
function wantsJson(url: string): boolean {
  return /^\/(api|webhooks|chat)(\/|\?|$)/.test(url);
}

/**
 * Puts public requests through the gate, after their body is parsed and validated (so a shed
 * portal form can be shown again with what the person wrote) and before their handler runs (so
 * a shed request has changed nothing: nothing stored, nothing acknowledged). Register it before
 * the routes so that every route, in every plugin, gets the hook.
 */
export function registerAdmissionControl(app: FastifyInstance, options: AdmissionOptions): void {
  const { gate, retryAfterSeconds } = options;
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  app.addHook('preHandler', async (request, reply) => {
    const credentials = { hasSession: Boolean(request.cookies?.[options.sessionCookie]), authorization: request.headers.authorization };
    if (classifyRequest(request.method, request.url, credentials) !== 'public') return;
    // A socket holds its connection for hours; it must never hold a turn.
    if (String(request.headers.upgrade ?? '').toLowerCase() === 'websocket') return;
    const ticket = await gate.admit();
    if (ticket) {
      request.admissionTicket = ticket;
      // 'close' fires however the exchange ends: answered, failed, or the client gone.
      reply.raw.once('close', () => ticket.release());
      return;
    }
    // One line per interval, not one per request: a surge must not become a flood of logs.
    const now = performance.now();
    if (now - lastLoggedAt >= SHED_LOG_INTERVAL_MS) {
      lastLoggedAt = now;
      request.log.warn({ admission: gate.stats() }, 'shedding public requests: too busy');
    }
    reply.header('retry-after', String(retryAfterSeconds));
    if (!wantsJson(request.url) && options.respondToShedPage?.(request, reply)) return reply;
    // Answered here rather than thrown: the error handler logs every 5xx, which under a surge
    // would be one error line per shed request. Same shape as every other error.
    const shed = new AppError('overloaded', 'shed under load', { publicMessage: 'The service is busy; try again shortly' });
    return reply.status(shed.status).send({ error: { code: shed.code, message: shed.publicMessage } });
  });
  // Light-weight injected requests may finish without a 'close'; the response hook covers them.
  app.addHook('onResponse', async (request) => {
    request.admissionTicket?.release();
  });
}
