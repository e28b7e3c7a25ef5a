// What staff read beside a failed text that went after all (decisions 0173, 0176), on the outbox
// and the case's messages alike: delivered, taken and not yet known, or taken and not delivered.
import { describe, expect, it } from 'vitest';
import { formatDateTime, wentAfterAllText } from '../../web/console/src/format.ts';

describe('what staff read of a text that went after all', () => {
  const sentAt = '2026-05-06T09:01:00.000Z';

  it('says-a-text-taken-after-all-that-was-not-delivered-is-not-with-them-and-why-and-the-others-as-before', () => {
    const text = wentAfterAllText({ sentAt, deliveredAt: null, undeliveredAt: '2026-05-06T09:03:00.000Z', undeliveredReason: 'sms: Twilio error 30003' });
    expect(text).toBe(`Taken by the provider after all ${formatDateTime(sentAt)}, then not delivered ${formatDateTime('2026-05-06T09:03:00.000Z')} (sms: Twilio error 30003): they do not have it`);
    expect(text).not.toContain('not yet known');
    // Delivered, and taken but not yet known, read as before.
    expect(wentAfterAllText({ sentAt, deliveredAt: '2026-05-06T09:03:00.000Z', undeliveredAt: null, undeliveredReason: null })).toMatch(/^Delivered after all .*: they may also have any copy sent since$/);
    expect(wentAfterAllText({ sentAt, deliveredAt: null, undeliveredAt: null, undeliveredReason: null })).toMatch(/not yet known to have reached them$/);
    expect(wentAfterAllText(null)).toBeNull();
  });
});
