/// <reference lib="dom" />
// A Twilio text left in doubt (decision 0163) that a late receipt settles after all (decisions
// 0173, 0176), and the line staff then read beside it on the Outbox and on the case's messages:
// one set-up and one check for each of the browser tests of what the receipt said.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, startStandIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { inDoubtTexts, outboxRow } from '../outbox/outbox-kit.ts';

const LEASE_MS = 60_000;
/** Left to staff when in doubt (decision 0163): failed, not sent again. */
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';
const RECIPIENT = '+447700900123';
/** The id in Twilio's fixtures: the text's, once it wakes. */
export const SID = 'SM5d1c8f0ce1a84d1fb6a3b4c2e9f07a11';

/** A time as the console shows it (day, month, year, hours and minutes), in this browser's own zone and words. */
export const shownAs = (page: Page, iso: string) =>
  page.evaluate((at) => new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(at)), iso);

/** Twilio's carrier done date (YYMMDDhhmm, UTC) for a moment. */
const doneDate = (at: Date) => at.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d).*$/, '$1$2$3$4$5');

/** The demo force with a Twilio number (no delivery-report URL of its own) and a stalled-run kit, on a clock standing at a whole minute. */
export function afterAllSuite() {
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

  /**
   * A case's text failed as outcome unknown whose stalled run wakes with Twilio's id, then
   * Twilio's receipt (`fixtureName`, its carrier done at `doneAt`): the case and the text's row.
   */
  async function settleAfterAll(fixtureName: string, doneAt: Date) {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const made = await suite.app.inject({ method: 'POST', url: '/api/cases', headers: investigator.headers, payload: { summary: 'Van broken into overnight', victims: [{ name: 'Sam Victim' }] } });
    expect(made.statusCode, made.body).toBe(201);
    const caseId = made.json<{ case: { id: string } }>().case.id;
    // The first run stalls with Twilio's answer; the run that takes its job over fails it as outcome unknown.
    const { id, stalled, wake } = await texts.failAsUnknown(suite.app.demoForceId, caseId, RECIPIENT, AT_MOST_ONCE);
    const inDoubt = await outboxRow(suite.app, suite.app.demoForceId, id);
    expect(inDoubt.status).toBe('failed');
    expect(inDoubt.last_error).toContain('outcome unknown');
    wake();
    await stalled;
    const path = '/webhooks/twilio/status';
    const form = withParams(fixture(fixtureName), { RawDlrDoneDate: doneDate(doneAt) });
    const receipt = await suite.app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form) }, payload: form });
    expect(receipt.statusCode, receipt.body).toBe(200);
    return { caseId, id, row: await outboxRow(suite.app, suite.app.demoForceId, id) };
  }

  /**
   * The text stays failed and staff read `lineFor` (given a page, to show times in its words) beside
   * it on the Outbox (a supervisor) and on the case's messages (the investigator), with no axe violations.
   */
  async function expectLineOnBothScreens(caseId: string, id: string, lineFor: (page: Page) => Promise<string>) {
    const supervisor = await suite.openConsole('supervisor');
    const line = await lineFor(supervisor);
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
  }

  return { start, settleAfterAll, expectLineOnBothScreens };
}
