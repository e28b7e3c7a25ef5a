/// <reference lib="dom" />
// A text failed because whether it went was unknown (decision 0163) that Twilio took after all
// (decision 0173) and the carrier then could not deliver (decision 0176): it stays failed, and staff
// read "Taken by the provider after all …, then not delivered … (why): they do not have it" beside
// why it failed, on the Outbox and on the case's messages to victims. Both screens, in a real
// browser, with the line as staff read it and no axe violations.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { inDoubtTexts, outboxRow } from '../outbox/outbox-kit.ts';

const LEASE_MS = 60_000;
/** Left to staff when in doubt (decision 0163): failed, not sent again. */
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';
const SID = 'SM5d1c8f0ce1a84d1fb6a3b4c2e9f07a11';
const RECIPIENT = '+447700900123';

/** A time as the console shows it (day, month, year, hours and minutes), in this browser's own zone and words. */
const shownAs = (page: Page, iso: string) =>
  page.evaluate((at) => new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(at)), iso);

/** Twilio's carrier done date (YYMMDDhhmm, UTC) for a moment. */
const doneDate = (at: Date) => at.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d).*$/, '$1$2$3$4$5');

describe('a text taken after all and then not delivered, as staff read it in a real browser', () => {
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const clock = fixedClock(start);
  let twilio: Awaited<ReturnType<typeof startStandIn>>;

  const suite = startBrowserSuite({
    app: async (onClose) => {
      twilio = await startStandIn();
      onClose(() => twilio.close());
      onClose(() => texts.close());
      twilio.respondWith(201, JSON.parse(fixture('message-created.json')) as object);
      const app = await createTestApp({ overrides: { clock }, env: { PUBLIC_URL } });
      await connectDemoNumber(app, { apiBaseUrl: twilio.url, statusCallbackUrl: null });
      await app.runner?.runDue();
      return app;
    },
  });

  const texts = inDoubtTexts({ app: () => suite.app, clock, leaseMs: LEASE_MS });

  it('shows-taken-after-all-then-not-delivered-and-why-on-the-outbox-and-the-case-s-messages', async () => {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const made = await suite.app.inject({ method: 'POST', url: '/api/cases', headers: investigator.headers, payload: { summary: 'Van broken into overnight', victims: [{ name: 'Sam Victim' }] } });
    expect(made.statusCode, made.body).toBe(201);
    const caseId = made.json<{ case: { id: string } }>().case.id;
    // The first run stalls with Twilio's answer; the run that takes its job over fails it as outcome unknown.
    const { id, stalled, wake } = await texts.failAsUnknown(suite.app.demoForceId, caseId, RECIPIENT, AT_MOST_ONCE);
    expect(await outboxRow(suite.app, suite.app.demoForceId, id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('outcome unknown') });
    // It wakes with Twilio's id (taken after all), and Twilio's receipt says the carrier could not deliver it, minutes later.
    wake();
    await stalled;
    const undeliveredAt = new Date(start.getTime() + 3 * 60_000);
    const path = '/webhooks/twilio/status';
    const form = withParams(fixture('status-undelivered.form'), { RawDlrDoneDate: doneDate(undeliveredAt) });
    const receipt = await suite.app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form) }, payload: form });
    expect(receipt.statusCode, receipt.body).toBe(200);
    const row = await outboxRow(suite.app, suite.app.demoForceId, id);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: SID, delivered_after_all_at: null, undelivered_after_all_reason: expect.stringContaining('30003') });
    expect(row.undelivered_after_all_at?.toISOString()).toBe(undeliveredAt.toISOString());
    const sentAt = row.sent_after_all_at?.toISOString();
    if (!sentAt) throw new Error('the text was not taken after all');

    const supervisor = await suite.openConsole('supervisor');
    const taken = await shownAs(supervisor, sentAt);
    const notDelivered = await shownAs(supervisor, undeliveredAt.toISOString());
    const line = `Taken by the provider after all ${taken}, then not delivered ${notDelivered} (${row.undelivered_after_all_reason ?? ''}): they do not have it`;
    await supervisor.getByRole('link', { name: 'Outbox' }).click();
    await supervisor.getByRole('heading', { name: 'Outbox' }).waitFor();
    const outboxEntry = supervisor.locator(`[data-testid="outbox-row"][data-id="${id}"]`);
    await outboxEntry.waitFor();
    expect(await outboxEntry.getAttribute('data-status')).toBe('failed');
    const onOutbox = outboxEntry.getByTestId('went-after-all');
    expect(await onOutbox.isVisible()).toBe(true);
    expect(await onOutbox.textContent()).toBe(line);
    await expectNoAxeViolations(supervisor);
    await supervisor.close();

    const officer = await suite.openConsole('investigator');
    await officer.goto(`${suite.base}/console/#/cases/${caseId}`);
    const caseEntry = officer.locator(`[data-testid="case-message"][data-id="${id}"]`);
    await caseEntry.waitFor();
    expect(await caseEntry.getAttribute('data-status')).toBe('failed');
    const onCase = caseEntry.getByTestId('went-after-all');
    expect(await onCase.isVisible()).toBe(true);
    expect(await onCase.textContent()).toBe(line);
    await expectNoAxeViolations(officer);
    await officer.close();
  });
});
