// A text failed because whether it went was unknown (decision 0163) that Twilio took after all
// (decision 0173) and the carrier then could not deliver (decision 0176): it stays failed, and staff
// read "Taken by the provider after all …, then not delivered … (why): they do not have it" beside
// why it failed, on the Outbox and on the case's messages to victims. Both screens, in a real
// browser, with the line as staff read it and no axe violations.
import { describe, expect, it } from 'vitest';
import { SID, afterAllSuite, shownAs } from './after-all-kit.ts';

describe('a text taken after all and then not delivered, as staff read it in a real browser', () => {
  const { start, settleAfterAll, expectLineOnBothScreens } = afterAllSuite();

  it('shows-taken-after-all-then-not-delivered-and-why-on-the-outbox-and-the-case-s-messages', async () => {
    // It wakes with Twilio's id (taken after all), and Twilio's receipt says the carrier could not deliver it, minutes later.
    const undeliveredAt = new Date(start.getTime() + 3 * 60_000);
    const { caseId, id, row } = await settleAfterAll('status-undelivered.form', undeliveredAt);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: SID, delivered_after_all_at: null, undelivered_after_all_reason: expect.stringContaining('30003') });
    expect(row.undelivered_after_all_at?.toISOString()).toBe(undeliveredAt.toISOString());
    const sentAt = row.sent_after_all_at?.toISOString();
    if (!sentAt) throw new Error('the text was not taken after all');
    const reason = row.undelivered_after_all_reason ?? '';
    await expectLineOnBothScreens(caseId, id, async (page) => `Taken by the provider after all ${await shownAs(page, sentAt)}, then not delivered ${await shownAs(page, undeliveredAt.toISOString())} (${reason}): they do not have it`);
  });
});
