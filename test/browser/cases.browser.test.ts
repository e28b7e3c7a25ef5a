/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';

type CaseBody = { id: string; reference: string };

describe("the investigator's case screens in a real browser", () => {
  const suite = startBrowserSuite();


  it('lands an investigator on My cases, records an arrest that shows on the timeline, and shows a refusal as an alert', async () => {
    const api = await signIn(suite.app, 'investigator@demo.police.uk');
    const post = async (url: string, payload: object) => {
      const response = await suite.app.inject({ method: 'POST', url, headers: api.headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ case: CaseBody }>().case;
    };
    const mine = async (summary: string) => {
      const created = await post('/api/cases', { crimeType: 'THF-BRE', summary, victims: [{ name: 'Alex Victim' }] });
      await post(`/api/cases/${created.id}/milestones`, { type: 'allocate', officerInCase: api.user.id, team: 'CID North' });
      return created;
    };
    const older = await mine('Garage broken into');
    const burglary = await mine('Back door forced overnight');
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      queueMessage(tx, suite.app.demoForceId, suite.app.deps.clock, {
        channels: [{ channel: 'email', recipient: 'alex@example.com', subject: 'Your case has an officer', body: 'An officer has your case.' }],
        purpose: 'journey:case.allocated',
        idempotencyKey: `${burglary.id}:allocated`,
        caseId: burglary.id,
      }),
    );

    const page = await suite.openConsole('investigator');
    // No address given: an investigator lands on their cases, most recently changed first.
    await page.getByRole('heading', { level: 1, name: 'My cases' }).waitFor();
    const rows = page.getByTestId('case-row');
    await page.locator(`[data-testid="case-row"][data-reference="${older.reference}"]`).waitFor();
    await expect(rows.first().getAttribute('data-reference')).resolves.toBe(burglary.reference);
    await expectNoAxeViolations(page);

    // The list is worked with the arrow keys.
    await rows.first().getByRole('link').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(older.reference);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: `Case ${burglary.reference}` }).waitFor();
    await expect(page.getByTestId('case-summary').textContent()).resolves.toContain('Residential burglary');
    const message = page.getByTestId('case-message').first();
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain('a***@example.com');
    await expectNoAxeViolations(page);

    // An arrest, recorded from the milestones the case can take now.
    await page.getByLabel('What happened').selectOption({ label: 'Suspect arrested' });
    await page.getByLabel('Note for the timeline').fill('Arrested at his home address');
    await page.getByTestId('record-milestone').click();
    await page.getByRole('status').filter({ hasText: `Recorded on ${burglary.reference}: Suspect arrested.` }).waitFor();
    const arrest = page.locator('[data-testid="timeline-entry"][data-type="case.suspect_arrested"]');
    await arrest.waitFor();
    await expect(arrest.textContent()).resolves.toContain('Arrested at his home address');
    await expect(page.getByTestId('case-status').textContent()).resolves.toBe('Under investigation');

    // An appointment, with the date, time and place the form asks for once it is chosen.
    await page.getByLabel('What happened').selectOption({ label: 'Appointment made' });
    // A month ahead: an appointment is for a time to come.
    await page.getByLabel('Date and time').fill(`${new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}T10:00`);
    await page.getByLabel('Place').fill('Bethel Street police station');
    await page.getByTestId('record-milestone').click();
    await page.getByRole('status').filter({ hasText: `Recorded on ${burglary.reference}: Appointment made.` }).waitFor();
    await page.getByTestId('case-appointments').getByText('Bethel Street police station').waitFor();
    await expectNoAxeViolations(page);

    // An appointment whose time is not known yet: the day alone, shown as a day.
    await page.getByLabel('What happened').selectOption({ label: 'Appointment made' });
    await page.getByLabel('Time not known yet').check();
    const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Date', { exact: true }).fill(day);
    await expectNoAxeViolations(page);
    await page.getByLabel('Place').fill('Demoton front counter');
    await page.getByTestId('record-milestone').click();
    await page.getByRole('status').filter({ hasText: `Recorded on ${burglary.reference}: Appointment made.` }).waitFor();
    const dayAlone = page.getByTestId('case-appointments').locator('tr').filter({ hasText: 'Demoton front counter' });
    await dayAlone.waitFor();
    await expect(dayAlone.textContent()).resolves.toContain('(no time given)');

    // Someone else closes the case meanwhile: the server refuses what the screen still offers, and says why.
    await page.getByLabel('What happened').selectOption({ label: 'Suspect interviewed' });
    await post(`/api/cases/${burglary.id}/milestones`, { type: 'close', outcomeCode: '16', reason: 'The victim no longer supports action' });
    await page.getByTestId('record-milestone').click();
    await page.getByRole('alert').filter({ hasText: 'this case is closed' }).waitFor();
    await expectNoAxeViolations(page);

    // Recording a case opens it.
    await page.getByRole('link', { name: 'Record a case' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a case' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Crime type').selectOption({ label: 'Bicycle theft' });
    await page.getByLabel('What happened').fill('Bicycle taken from outside the library');
    await page.getByLabel('Name of victim 1').fill('Jo Rider');
    await page.getByTestId('record-case').click();
    await page.getByRole('heading', { level: 1, name: /^Case / }).waitFor();
    await expect(page.getByTestId('case-people').textContent()).resolves.toContain('Jo Rider');
    await page.close();
  });
});
