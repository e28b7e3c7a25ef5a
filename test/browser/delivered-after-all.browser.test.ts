// A text failed because whether it went was unknown (decision 0163) that Twilio then says reached
// the person (decision 0173): it stays failed, and staff read "Delivered after all …" beside why it
// failed, on the Outbox and on the case's messages to victims. Both screens, in a real browser,
// with the line as staff read it and no axe violations.
import { describe, expect, it } from 'vitest';
import { SID, afterAllSuite, shownAs } from './after-all-kit.ts';

describe('a text delivered after all, as staff read it in a real browser', () => {
  const { start, settleAfterAll, expectLineOnBothScreens } = afterAllSuite();

  it('shows-delivered-after-all-on-the-outbox-and-the-case-s-messages', async () => {
    // It wakes with Twilio's id, and Twilio's receipt says the carrier delivered it.
    const { caseId, id, row } = await settleAfterAll('status-delivered.form', start);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: SID });
    expect(row.delivered_after_all_at?.toISOString()).toBe(start.toISOString());
    await expectLineOnBothScreens(caseId, id, async (page) => `Delivered after all ${await shownAs(page, start.toISOString())}: they may also have any copy sent since`);
  });
});
