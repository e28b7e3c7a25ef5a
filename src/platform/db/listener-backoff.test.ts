import { describe, expect, it } from 'vitest';
import { listenerBackoffMs } from './notifications.ts';

describe('the LISTEN reconnection backoff', () => {
  it('doubles from half a second and stops growing at 30 s', () => {
    const top = (attempt: number) => listenerBackoffMs(attempt, () => 1);
    expect([1, 2, 3, 4].map(top)).toEqual([500, 1000, 2000, 4000]);
    expect(top(7)).toBe(30_000);
    expect(top(50)).toBe(30_000);
  });

  it('draws half of each wait at random, so nodes do not reconnect in step', () => {
    expect(listenerBackoffMs(3, () => 0)).toBe(1000);
    expect(listenerBackoffMs(3, () => 0.5)).toBe(1500);
    expect(listenerBackoffMs(50, () => 0)).toBe(15_000);
  });
});
