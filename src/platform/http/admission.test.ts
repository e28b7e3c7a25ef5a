import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdmissionGate, AdmissionRate, type AdmissionTicket } from './admission.ts';

describe('AdmissionGate', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('admits up to its concurrency at once, then hands each freed turn to the longest waiting', async () => {
    const gate = new AdmissionGate({ concurrency: 2, maxWaitMs: 1000, maxEventLoopDelayMs: 0 }, clock);
    const first = await gate.admit();
    const second = await gate.admit();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    const order: string[] = [];
    const third = gate.admit().then((t) => (order.push('third'), t));
    const fourth = gate.admit().then((t) => (order.push('fourth'), t));
    expect(gate.stats()).toMatchObject({ inFlight: 2, waiting: 2 });
    first?.release();
    second?.release();
    expect(await third).not.toBeNull();
    expect(await fourth).not.toBeNull();
    expect(order).toEqual(['third', 'fourth']);
    expect(gate.stats()).toMatchObject({ inFlight: 2, waiting: 0, admitted: 4, shed: 0 });
  });

  it('sheds a request whose wait runs past the budget', async () => {
    const gate = new AdmissionGate({ concurrency: 1, maxWaitMs: 1000, maxEventLoopDelayMs: 0 }, clock);
    const held = await gate.admit();
    const waiting = gate.admit();
    vi.advanceTimersByTime(999);
    expect(gate.stats().waiting).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await waiting).toBeNull();
    expect(gate.stats()).toMatchObject({ waiting: 0, shed: 1 });
    // The turn freed later goes to nobody who has already been answered.
    held?.release();
    expect(gate.stats().inFlight).toBe(0);
  });

  it('sheds at once, without waiting, when the queue ahead already means a longer wait than the budget', async () => {
    const gate = new AdmissionGate({ concurrency: 1, maxWaitMs: 1000, maxEventLoopDelayMs: 0 }, clock);
    // One request that took 400 ms teaches the gate what a turn costs.
    const measured = await gate.admit();
    now = 400;
    measured?.release();
    const held = await gate.admit();
    const queued = [gate.admit(), gate.admit()]; // waits of about 400 and 800 ms: within budget
    expect(gate.stats().waiting).toBe(2);
    expect(await gate.admit()).toBeNull(); // about 1,200 ms: over budget, answered now
    expect(gate.stats()).toMatchObject({ waiting: 2, shed: 1 });
    held?.release();
    const [a] = await Promise.all([queued[0]]);
    a?.release();
    expect(await queued[1]).not.toBeNull();
  });

  it('counts every turn when judging the wait: two turns clear a queue twice as fast', async () => {
    const gate = new AdmissionGate({ concurrency: 2, maxWaitMs: 1000, maxEventLoopDelayMs: 0 }, clock);
    const measured = await gate.admit();
    now = 400;
    measured?.release();
    await gate.admit();
    await gate.admit();
    // 400 ms a request, two at a time: the fifth in the queue waits about 1,000 ms, the sixth 1,200.
    for (let i = 0; i < 5; i += 1) void gate.admit();
    expect(gate.stats().waiting).toBe(5);
    expect(await gate.admit()).toBeNull();
    expect(gate.stats()).toMatchObject({ waiting: 5, shed: 1 });
  });

  it('with no wait allowed, sheds whenever every turn is taken', async () => {
    const gate = new AdmissionGate({ concurrency: 1, maxWaitMs: 0, maxEventLoopDelayMs: 0 }, clock);
    const held = await gate.admit();
    expect(await gate.admit()).toBeNull();
    held?.release();
    expect(await gate.admit()).not.toBeNull();
  });

  it('gives a turn back once, however many times it is released', async () => {
    const gate = new AdmissionGate({ concurrency: 1, maxWaitMs: 0, maxEventLoopDelayMs: 0 }, clock);
    const ticket = (await gate.admit()) as AdmissionTicket;
    ticket.release();
    ticket.release();
    expect(gate.stats().inFlight).toBe(0);
    const again = await gate.admit();
    expect(again).not.toBeNull();
    ticket.release();
    expect(gate.stats().inFlight).toBe(1);
  });

  it('sheds at once while the event loop runs later than allowed, even with turns free', async () => {
    let delay = 0;
    const gate = new AdmissionGate({ concurrency: 4, maxWaitMs: 1000, maxEventLoopDelayMs: 300 }, clock, { eventLoopDelayMs: () => delay, utilisation: () => 0 });
    expect(await gate.admit()).not.toBeNull();
    delay = 301;
    expect(await gate.admit()).toBeNull();
    delay = 300;
    expect(await gate.admit()).not.toBeNull();
    expect(gate.stats()).toMatchObject({ inFlight: 2, shed: 1 });
  });

  it('refuses settings that could never admit anything', () => {
    expect(() => new AdmissionGate({ concurrency: 0, maxWaitMs: 1000, maxEventLoopDelayMs: 0 })).toThrow(/concurrency/);
    expect(() => new AdmissionGate({ concurrency: 1, maxWaitMs: -1, maxEventLoopDelayMs: 0 })).toThrow(/wait/);
  });
});

describe('AdmissionRate', () => {
  it('admits everything while the loop has time to spare', () => {
    const rate = new AdmissionRate(0.85, 0);
    for (let t = 0; t < 1000; t += 1) expect(rate.tryTake(t, () => 0.5)).toBe(true);
    expect(rate.limit()).toBeNull();
  });

  it('cuts admissions below what was admitted once the loop is saturated, and keeps cutting while it stays so', () => {
    const rate = new AdmissionRate(0.85, 0);
    // 100 requests in the first 250 ms window: 400 per second observed.
    for (let i = 0; i < 100; i += 1) rate.tryTake(i * 2.5, () => 0.99);
    rate.tryTake(250, () => 0.99);
    expect(rate.limit()).toBeCloseTo(280, 0);
    let admitted = 0;
    for (let t = 251; t < 500; t += 0.5) if (rate.tryTake(t, () => 0.99)) admitted += 1;
    // At most the limit's share of the window, plus its small burst.
    expect(admitted).toBeLessThanOrEqual(Math.ceil((280 * 249) / 1000) + 28);
    expect(admitted).toBeGreaterThan(40);
    rate.tryTake(500, () => 0.99);
    expect(rate.limit()).toBeLessThan(280 * 0.75);
  });

  it('never cuts below its floor, so some work always gets through', () => {
    const rate = new AdmissionRate(0.85, 0, { windowMs: 250, minRate: 2 });
    for (let t = 0; t < 20_000; t += 5) rate.tryTake(t, () => 1);
    expect(rate.limit()).toBe(2);
  });

  it('raises the limit step by step when the loop recovers, and stops limiting once it no longer binds', () => {
    const rate = new AdmissionRate(0.85, 0);
    for (let i = 0; i < 100; i += 1) rate.tryTake(i * 2.5, () => 0.99);
    rate.tryTake(250, () => 0.99);
    const cut = rate.limit() ?? 0;
    rate.tryTake(500, () => 0.6);
    expect(rate.limit()).toBeGreaterThan(cut);
    // Hardly anything asked for, and the loop idle: the limit goes away.
    for (let t = 750; t <= 5000; t += 250) rate.tryTake(t, () => 0.1);
    expect(rate.limit()).toBeNull();
  });

  it('sheds through the gate when the rate says no, and counts it', async () => {
    let now = 0;
    let utilisation = 0.99;
    const gate = new AdmissionGate({ concurrency: 1000, maxWaitMs: 0, maxEventLoopDelayMs: 0, maxUtilisation: 0.85 }, () => now, {
      eventLoopDelayMs: () => 0,
      utilisation: () => utilisation,
    });
    for (let i = 0; i < 100; i += 1) {
      now = i * 2.5;
      (await gate.admit())?.release();
    }
    let shed = 0;
    for (let i = 0; i < 200; i += 1) {
      now = 250 + i * 0.5;
      const ticket = await gate.admit();
      if (ticket) ticket.release();
      else shed += 1;
    }
    expect(shed).toBeGreaterThan(100);
    expect(gate.stats().shed).toBe(shed);
    expect(gate.stats().rateLimit).not.toBeNull();
    utilisation = 0;
  });

  it('refuses a utilisation outside 0–1', () => {
    expect(() => new AdmissionGate({ concurrency: 1, maxWaitMs: 0, maxEventLoopDelayMs: 0, maxUtilisation: 1.5 })).toThrow(/utilisation/);
  });
});

describe('AdmissionRate when the loop is busy with other work', () => {
  it('does not start limiting while hardly any public requests arrive (start-up, a sweep, staff work)', () => {
    const rate = new AdmissionRate(0.85, 0);
    rate.tryTake(0, () => 1);
    for (let t = 250; t <= 2500; t += 250) expect(rate.tryTake(t, () => 1)).toBe(true);
    expect(rate.limit()).toBeNull();
  });
});

describe('AdmissionRate when it can see whether admitted work keeps up', () => {
  /** 100 requests in the first 250 ms window (400 a second), then a window's end, with the loop saturated. */
  function saturatedWindow(rate: AdmissionRate, lag: () => number | null) {
    for (let i = 0; i < 100; i += 1) rate.tryTake(i * 2.5, () => 0.99, lag);
    rate.tryTake(250, () => 0.99, lag);
  }

  it('does not cut admissions while the loop is busy but admitted work keeps up (busy reading and shedding)', () => {
    const rate = new AdmissionRate(0.85, 0, { maxWorkLagMs: 1000 });
    saturatedWindow(rate, () => 200);
    for (let t = 251; t < 5000; t += 1) expect(rate.tryTake(t, () => 0.99, () => 200)).toBe(true);
    expect(rate.limit()).toBeNull();
  });

  it('cuts them once admitted work falls behind while the loop is busy, and raises the limit again once it catches up', () => {
    const rate = new AdmissionRate(0.85, 0, { maxWorkLagMs: 1000 });
    let lag = 5000;
    saturatedWindow(rate, () => lag);
    const cut = rate.limit() ?? Number.NaN;
    expect(cut).toBeCloseTo(280, 0);
    rate.tryTake(500, () => 0.99, () => lag);
    expect(rate.limit()).toBeLessThan(cut);
    // Caught up, the loop still busy: the limit rises, not falls.
    lag = 0;
    const low = rate.limit() ?? Number.NaN;
    rate.tryTake(750, () => 0.99, () => lag);
    expect(rate.limit()).toBeGreaterThan(low);
  });

  it('falls back to utilisation alone when the lag is unknown or not watched', () => {
    const unknown = new AdmissionRate(0.85, 0, { maxWorkLagMs: 1000 });
    saturatedWindow(unknown, () => null);
    expect(unknown.limit()).toBeCloseTo(280, 0);
    const unwatched = new AdmissionRate(0.85, 0, { maxWorkLagMs: 0 });
    saturatedWindow(unwatched, () => 0);
    expect(unwatched.limit()).toBeCloseTo(280, 0);
  });

  it('reads the lag through the gate', async () => {
    let now = 0;
    let lag = 0;
    const gate = new AdmissionGate({ concurrency: 1000, maxWaitMs: 0, maxEventLoopDelayMs: 0, maxUtilisation: 0.85, maxWorkLagMs: 1000 }, () => now, {
      eventLoopDelayMs: () => 0,
      utilisation: () => 0.99,
      workLagMs: () => lag,
    });
    const offer = async (from: number, count: number) => {
      let shed = 0;
      for (let i = 0; i < count; i += 1) {
        now = from + i * 0.5;
        const ticket = await gate.admit();
        if (ticket) ticket.release();
        else shed += 1;
      }
      return shed;
    };
    expect(await offer(0, 1000)).toBe(0);
    expect(gate.stats().rateLimit).toBeNull();
    lag = 3000;
    // 2,000 offered a second; the limit starts at 70% of that and falls every window after.
    expect(await offer(500, 1000)).toBeGreaterThan(300);
    expect(gate.stats().rateLimit).toBeLessThan(1400);
  });

  it('refuses a negative work lag', () => {
    expect(() => new AdmissionGate({ concurrency: 1, maxWaitMs: 0, maxEventLoopDelayMs: 0, maxUtilisation: 0.85, maxWorkLagMs: -1 })).toThrow(/lag/);
  });
});
