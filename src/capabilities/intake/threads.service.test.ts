import { describe, expect, it } from 'vitest';
import { latestStartedBy } from './threads.service.ts';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-03-02T09:30:00Z');
const call = (id: string, startedAt: string | null) => ({ id, started_at: startedAt });

describe('the conversation a message made during it joins', () => {
  it('picks the one that began last at or before the message, whatever order they come in', () => {
    const calls = [call('later', '2026-03-02T09:21:00Z'), call('earlier', '2026-03-02T09:20:00+00:00')];
    expect(latestStartedBy(calls, at('2026-03-02T09:21:10Z'), NOW, 5)?.id).toBe('later');
    expect(latestStartedBy(calls, at('2026-03-02T09:21:00Z'), NOW, 5)?.id).toBe('later');
    // Made before the later one began: the earlier one's, though the later one is newer.
    expect(latestStartedBy(calls, at('2026-03-02T09:20:59.999Z'), NOW, 5)?.id).toBe('earlier');
    expect(latestStartedBy([...calls].reverse(), at('2026-03-02T09:20:30Z'), NOW, 5)?.id).toBe('earlier');
  });

  it('joins none that began before the window, or after the message', () => {
    const calls = [call('old', '2026-03-02T09:00:00Z')];
    expect(latestStartedBy(calls, at('2026-03-02T09:05:00Z'), NOW, 5)?.id).toBe('old');
    expect(latestStartedBy(calls, at('2026-03-02T09:05:00.001Z'), NOW, 5)).toBeNull();
    expect(latestStartedBy(calls, at('2026-03-02T08:59:59.999Z'), NOW, 5)).toBeNull();
  });

  it('takes a message stamped after it arrived, or not stamped, as made when it arrived', () => {
    const calls = [call('current', '2026-03-02T09:29:00Z')];
    expect(latestStartedBy(calls, at('2099-12-31T23:59:59Z'), NOW, 5)?.id).toBe('current');
    expect(latestStartedBy(calls, null, NOW, 5)?.id).toBe('current');
    expect(latestStartedBy([call('not yet', '2026-03-02T09:31:00Z')], null, NOW, 5)).toBeNull();
  });

  it('never matches a start that is missing or not a time', () => {
    expect(latestStartedBy([call('none', null), call('garbage', 'yesterday')], NOW, NOW, 60)).toBeNull();
  });

  it('passes over an ended conversation the message was made clearly after, and allows for the sender\'s clock', () => {
    const ended = { id: 'ended', started_at: '2026-03-02T09:20:00Z', ended_at: new Date('2026-03-02T09:21:00Z') };
    const options = (begunAt: string | null) => ({ toleranceSeconds: 60, begunAt: begunAt === null ? null : at(begunAt) });
    expect(latestStartedBy([ended], at('2026-03-02T09:22:00Z'), NOW, 5, options(null))?.id).toBe('ended');
    expect(latestStartedBy([ended], at('2026-03-02T09:22:00.001Z'), NOW, 5, options(null))).toBeNull();
    // The sender's own start of its conversation decides when it gives one.
    expect(latestStartedBy([ended], at('2026-03-02T09:24:00Z'), NOW, 5, options('2026-03-02T09:20:01Z'))?.id).toBe('ended');
    expect(latestStartedBy([ended], at('2026-03-02T09:22:10Z'), NOW, 5, options('2026-03-02T09:22:01Z'))).toBeNull();
    // A conversation that began up to the tolerance after the message (the sender's clock behind).
    const later = { id: 'later', started_at: '2026-03-02T09:25:00Z', ended_at: null };
    expect(latestStartedBy([later], at('2026-03-02T09:24:00Z'), NOW, 5, options(null))?.id).toBe('later');
    expect(latestStartedBy([later], at('2026-03-02T09:23:59.999Z'), NOW, 5, options(null))).toBeNull();
    // One that began before the message comes first, then the nearest after it.
    expect(latestStartedBy([later, ended], at('2026-03-02T09:21:30Z'), NOW, 5, options(null))?.id).toBe('ended');
    const soon = { id: 'soon', started_at: '2026-03-02T09:24:30Z', ended_at: null };
    expect(latestStartedBy([later, soon], at('2026-03-02T09:24:00Z'), NOW, 5, options(null))?.id).toBe('soon');
  });

  it('passes over a conversation once the sender has begun a newer one, allowing for the clocks', () => {
    const options = (begunAt: string | null) => ({ toleranceSeconds: 60, begunAt: begunAt === null ? null : at(begunAt) });
    // Never ended (its end was lost); the sender's next one reached us at 09:23:00.
    const older = { id: 'older', started_at: '2026-03-02T09:20:00Z', ended_at: null };
    const newer = { id: 'newer', started_at: '2026-03-02T09:23:00Z', ended_at: null };
    const both = [older, newer];
    // Made after the newer one's start less the tolerance: the newer one's, though it began after the message.
    expect(latestStartedBy(both, at('2026-03-02T09:22:30Z'), NOW, 5, options(null))?.id).toBe('newer');
    expect(latestStartedBy(both, at('2026-03-02T09:22:50Z'), NOW, 5, options('2026-03-02T09:22:00.001Z'))?.id).toBe('newer');
    // Not clearly after it: as before, the older one.
    expect(latestStartedBy(both, at('2026-03-02T09:22:00Z'), NOW, 5, options(null))?.id).toBe('older');
    expect(latestStartedBy(both, at('2026-03-02T09:22:50Z'), NOW, 5, options('2026-03-02T09:22:00Z'))?.id).toBe('older');
    // A message whose conversation began within the tolerance of the older one's start is the older one's.
    expect(latestStartedBy(both, at('2026-03-02T09:22:50Z'), NOW, 5, options('2026-03-02T09:20:00Z'))?.id).toBe('older');
    const quick = { id: 'quick', started_at: '2026-03-02T09:20:30Z', ended_at: null };
    expect(latestStartedBy([older, quick], at('2026-03-02T09:20:20Z'), NOW, 5, options(null))?.id).toBe('older');
    expect(latestStartedBy([older, quick], at('2026-03-02T09:21:00.001Z'), NOW, 5, options(null))?.id).toBe('quick');
    // A closed one is never joined, but it began all the same.
    const closed = { ...newer, status: 'closed' as const };
    expect(latestStartedBy([older, closed], at('2026-03-02T09:22:30Z'), NOW, 5, options(null))).toBeNull();
    expect(latestStartedBy([{ ...older, status: 'closed' as const }], at('2026-03-02T09:20:30Z'), NOW, 5, options(null))).toBeNull();
  });

  it('gives a message that reads minutes before an open conversation began, but reached us during it, to that one', () => {
    // NOW is 09:30:00, when the message reached us; it reads 09:20:00.
    const options = { toleranceSeconds: 60, begunAt: null, readsBeforeMinutes: 10 };
    const reads = at('2026-03-02T09:20:00Z');
    const up = { id: 'up', started_at: '2026-03-02T09:29:00Z', ended_at: null };
    expect(latestStartedBy([up], reads, NOW, 5, options)?.id).toBe('up');
    // Not without the second look, as before.
    expect(latestStartedBy([up], reads, NOW, 5, { ...options, readsBeforeMinutes: 0 })).toBeNull();
    // Of two such, the latest to begin.
    const earlier = { id: 'earlier', started_at: '2026-03-02T09:27:00Z', ended_at: null };
    expect(latestStartedBy([up, earlier], reads, NOW, 5, options)?.id).toBe('up');
    // Never one that ended, one staff closed, one begun after the message reached us, or more than
    // `withinMinutes` before it did.
    expect(latestStartedBy([{ ...up, ended_at: '2026-03-02T09:29:30Z' }], reads, NOW, 5, options)).toBeNull();
    expect(latestStartedBy([{ ...up, status: 'closed' as const }], reads, NOW, 5, options)).toBeNull();
    expect(latestStartedBy([{ ...up, started_at: '2026-03-02T09:30:01Z' }], reads, NOW, 5, options)).toBeNull();
    expect(latestStartedBy([{ ...up, started_at: '2026-03-02T09:24:59Z' }], at('2026-03-02T09:16:00Z'), NOW, 5, options)).toBeNull();
    // Nor when the message reads more than `readsBeforeMinutes` before it began.
    expect(latestStartedBy([up], at('2026-03-02T09:18:59Z'), NOW, 5, options)).toBeNull();
    // One that matches by the message's own time is chosen as before, not by the second look.
    const matching = { id: 'matching', started_at: '2026-03-02T09:19:50Z', ended_at: null };
    expect(latestStartedBy([up, matching], reads, NOW, 15, options)?.id).toBe('matching');
  });
});
