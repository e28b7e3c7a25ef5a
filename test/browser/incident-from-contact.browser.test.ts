/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { submitPublicReport } from '../helpers.ts';


// A handler grades an online report; the incident that opens is shown on the contact, placed on
// the map from its own screen, regraded, and cancelled by a dispatcher after being asked.
describe('an incident opened by grading a contact, in a real browser', () => {
  const suite = startBrowserSuite({ args: MAP_ARGS });

  it('shows the incident on the contact, sets where it is, regrades it and cancels it', async () => {
    const { contactId } = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'browser-graded-incident',
      whatHappened: 'My shed was broken into and tools taken',
      where: '12 Unthank Road, Norwich',
      when: 'last night',
      name: null,
      email: 'shed@example.org',
    });

    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${contactId as string}`);
    await handler.getByTestId('incident-from-contact').waitFor();
    await handler.getByTestId('grade-choice').selectOption('priority');
    await handler.getByTestId('grade-submit').click();
    const linked = handler.getByTestId('contact-incident');
    await linked.waitFor();
    await expect(linked.textContent()).resolves.toMatch(/On incident INC-\d+ \(Open, Priority\)/);
    await expect.poll(() => handler.getByTestId('incident-from-contact').count()).toBe(0);
    await expectNoAxeViolations(handler);

    await linked.getByRole('link').click();
    await handler.getByTestId('incident-details').waitFor();
    await handler.getByTestId('no-position').waitFor();
    await expect(handler.getByLabel('Address or place').inputValue()).resolves.toBe('12 Unthank Road, Norwich');
    await handler.getByLabel('Latitude').fill('52.6258');
    await handler.getByTestId('save-location').click();
    await handler.getByText('Give both latitude and longitude, or neither').first().waitFor();
    await expectNoAxeViolations(handler);
    await handler.getByLabel('Longitude').fill('1.2827');
    await handler.getByTestId('save-location').click();
    await handler.getByRole('status').filter({ hasText: /Location of INC-\d+ saved\./ }).waitFor();
    await expect(handler.getByTestId('incident-details').textContent()).resolves.toContain('52.62580, 1.28270');
    await expect.poll(() => handler.getByTestId('no-position').count()).toBe(0);

    await handler.getByLabel('Grade', { exact: true }).selectOption('immediate');
    await handler.getByLabel('Reason (optional)').fill('Suspects still nearby');
    await handler.getByRole('button', { name: 'Regrade' }).click();
    await handler.getByRole('status').filter({ hasText: /graded Immediate\./ }).waitFor();
    const incidentUrl = handler.url();
    await handler.close();

    const dispatcher = await suite.openConsole('dispatcher');
    await dispatcher.goto(incidentUrl);
    await dispatcher.getByTestId('finish-incident').waitFor();
    await dispatcher.getByLabel('What happened').selectOption('cancel');
    await dispatcher.getByTestId('incident-move-review').click();
    await dispatcher.getByText('Choose why it is cancelled').first().waitFor();
    await dispatcher.getByLabel('Why it is cancelled').selectOption('called_off');
    await dispatcher.getByTestId('incident-move-review').click();
    const confirm = dispatcher.getByTestId('incident-move-confirm');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toMatch(/Cancel INC-\d+ as “Called off by the caller”\?/);
    await expectNoAxeViolations(dispatcher);
    await dispatcher.getByTestId('incident-move-yes').click();
    await dispatcher.getByRole('status').filter({ hasText: /INC-\d+ is cancelled\./ }).waitFor();
    await expect(dispatcher.getByTestId('incident-details').textContent()).resolves.toContain('Cancelled');
    await expect.poll(() => dispatcher.getByTestId('finish-incident').count()).toBe(0);
    await expectNoAxeViolations(dispatcher);
    await dispatcher.close();
  });
});
