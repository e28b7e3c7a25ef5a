/// <reference lib="dom" />
// A message the person sent five minutes before it reached us (its provider's time, decision 0172):
// the handler reads "sent …, received …" on the contact's thread, and only the time received for a
// message whose provider gave no time. In a real browser, with no axe violations.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';

/** A time as the console shows it (day, month, year, hours and minutes), in this browser's own zone and words. */
const shownAs = (page: Page, iso: string) =>
  page.evaluate((at) => new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(at)), iso);

describe('when the person sent a message beside when it reached us, in a real browser', () => {
  const received = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const sent = new Date(received.getTime() - 5 * 60_000);
  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock: fixedClock(received) } }) });

  /** A partner's message through the API channel (its `sentAt` as given), and the contact it is on. */
  const post = async (messageId: string, body: string, sentAt?: string) => {
    const response = await suite.app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, from: { externalId: `partner-${messageId}` }, body, ...(sentAt ? { sentAt } : {}) }),
    });
    expect(response.statusCode, response.body).toBe(202);
    return withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['contact_id', 'sent_at']).where('channel', '=', 'api').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow(),
    );
  };

  it('shows-sent-and-received-when-they-differ-and-only-received-when-the-sent-time-is-unknown', async () => {
    const held = await post('held-back', 'A van has been parked across my drive all morning', sent.toISOString());
    expect(held.sent_at?.toISOString()).toBe(sent.toISOString());
    const timeless = await post('no-time', 'The van has gone now');

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${held.contact_id}`);
    const times = handler.getByTestId('message-sent-received');
    await times.waitFor();
    expect(await times.isVisible()).toBe(true);
    expect(await times.textContent()).toBe(`sent ${await shownAs(handler, sent.toISOString())}, received ${await shownAs(handler, received.toISOString())}`);
    expect(await times.locator('time').evaluateAll((all) => all.map((time) => time.getAttribute('datetime')))).toEqual([sent.toISOString(), received.toISOString()]);
    await expectNoAxeViolations(handler);

    // A message whose sent time is unknown shows only when it reached us.
    await handler.goto(`${suite.base}/console/#/contacts/${timeless.contact_id}`);
    await handler.getByText('The van has gone now').waitFor();
    expect(await handler.getByTestId('message-sent-received').count()).toBe(0);
    await expectNoAxeViolations(handler);
    await handler.close();
  });
});
