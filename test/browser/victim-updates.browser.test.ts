/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from '../../src/capabilities/cases/victims-code.events.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';
import { submitPublicReport } from '../../src/capabilities/intake/intake.service.ts';

const DAY_MS = 86_400_000;

describe('victim updates due in a real browser', () => {
  // Far enough on for a one-working-day update to be late whatever the holidays in between.
  const clock = fixedClock(new Date());

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  it("shows the officer's updates due, soonest first with the overdue ones marked, and records one by keyboard", async () => {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    const post = async (url: string, payload: object) => {
      const response = await suite.app.inject({ method: 'POST', url, headers: investigator.headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ case: { id: string; reference: string } }>();
    };
    const created = await post('/api/cases', { crimeType: 'ROB-PER', summary: 'Phone snatched', victims: [{ name: 'Ola Victim', enhancedRights: true }] });
    const caseId = created.case.id;
    await post(`/api/cases/${caseId}/milestones`, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID East' });
    await post(`/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' });
    await suite.app.runner?.runDue();
    clock.advance(8 * DAY_MS);
    await enqueueRecurringJobs(suite.app.database.db, clock, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS });
    await suite.app.runner?.runDue();

    const page = await suite.openConsole('investigator', { timeoutMs: 15_000 });
    await page.getByRole('link', { name: 'Victim updates due' }).click();
    await page.getByRole('heading', { name: 'Victim updates due' }).waitFor();
    const rows = page.getByTestId('victim-update-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-standing')))).toEqual(['overdue', 'overdue']);
    expect(await rows.first().getAttribute('class')).toContain('row--overdue');
    expect(await rows.first().textContent()).toContain('Arrest');
    await expectNoAxeViolations(page);

    // By keyboard: choose "Visit" for the arrest update and press Enter on its button.
    const arrestRow = rows.filter({ hasText: 'Arrest' });
    await arrestRow.getByRole('combobox').focus();
    await page.keyboard.press('ArrowDown');
    await arrestRow.getByRole('button', { name: 'Victim informed' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    const stored = await suite.app.inject({ method: 'GET', url: `/api/cases/${caseId}/victim-updates`, headers: (await signIn(suite.app, 'investigator@demo.police.uk')).headers });
    const arrest = stored.json<{ updates: { duty: string; how: string | null; standing: string }[] }>().updates.find((u) => u.duty === 'arrest');
    expect(arrest).toMatchObject({ how: 'visit', standing: 'late' });
    await page.close();
  });

  it('says plainly that an update missed before an enhanced-rights victim was named was missed on the timescale owed then', async () => {
    let investigator = await signIn(suite.app, 'investigator@demo.police.uk', 'demo-password', '10.41.0.1');
    const post = async (url: string, payload: object) => {
      const response = await suite.app.inject({ method: 'POST', url, headers: investigator.headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ case: { id: string; reference: string } }>();
    };
    // No victim named when the suspect is arrested: the update is owed to the case's unnamed victim, on five working days.
    const created = await post('/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault outside a pub', victims: [] });
    const caseId = created.case.id;
    await post(`/api/cases/${caseId}/milestones`, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID West' });
    await post(`/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    // Two weeks on, untold and swept as missed; then the victim is named, with enhanced rights.
    clock.advance(14 * DAY_MS);
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => sweepVictimUpdates(tx, suite.app.demoForceId, clock));
    investigator = await signIn(suite.app, 'investigator@demo.police.uk', 'demo-password', '10.41.0.2');
    await post(`/api/cases/${caseId}/people`, { role: 'victim', name: 'Kim Later', enhancedRights: true });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);

    const page = await suite.openConsole('investigator', { timeoutMs: 15_000 });
    await page.getByRole('link', { name: 'Victim updates due' }).click();
    const arrest = page.getByTestId('victim-update-row').filter({ hasText: created.case.reference }).filter({ hasText: 'Arrest' });
    await arrest.waitFor();
    expect(await arrest.getAttribute('data-standing')).toBe('overdue');
    // The victim has enhanced rights; the missed update is shown on the five working days it was missed against, and why.
    expect(await arrest.getByRole('cell').nth(3).textContent()).toBe('Kim Later (enhanced rights)');
    expect(await arrest.getByTestId('missed-timescale').textContent()).toBe(
      'Missed before Kim Later was named, against the 5 working days owed then. Kim Later has enhanced rights (1 working day) for updates still to come.',
    );
    // The referral's two working days do not depend on rights: only when it was missed is said.
    const referral = page.getByTestId('victim-update-row').filter({ hasText: created.case.reference }).filter({ hasText: 'Referral' });
    expect(await referral.getByTestId('missed-timescale').textContent()).toBe('Missed before Kim Later was named, against the 2 working days owed then.');
    await page.close();
  });
  it('names a victim with no name recorded and one not yet named in words, and opens the case from its reference', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk', 'demo-password', '10.41.0.3');
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk', 'demo-password', '10.41.0.4');
    const post = async (url: string, payload: object, session = investigator) => {
      const response = await suite.app.inject({ method: 'POST', url, headers: session.headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ case: { id: string; reference: string } }>();
    };
    // Reported online by someone who gave no name: the reporter is the case's victim, with no name on record.
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: `unnamed-reporter-${Date.now()}`,
      whatHappened: 'My bike was taken from the rack',
      where: 'Demoton station',
      when: 'This morning',
      name: null,
      email: 'no-name-given@example.org',
    });
    const reported = await post(`/api/contacts/${report.contactId}/case`, {}, handler);
    // Recorded with no victim named yet: the updates are owed to the case's unnamed victim.
    const unnamed = await post('/api/cases', { crimeType: 'ROB-PER', summary: 'Bag snatched', victims: [] });
    for (const made of [reported, unnamed]) {
      await post(`/api/cases/${made.case.id}/milestones`, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North' });
      await post(`/api/cases/${made.case.id}/milestones`, { type: 'suspect_arrested' });
    }
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);

    const page = await suite.openConsole('investigator', { timeoutMs: 15_000 });
    await page.getByRole('link', { name: 'Victim updates due' }).click();
    const arrestOf = (reference: string) => page.getByTestId('victim-update-row').filter({ hasText: reference }).filter({ hasText: 'Arrest' });
    await arrestOf(reported.case.reference).waitFor();
    expect(await arrestOf(reported.case.reference).getByRole('cell').nth(3).textContent()).toBe('Name not known');
    expect(await arrestOf(unnamed.case.reference).getByRole('cell').nth(3).textContent()).toBe('Victim not yet named');
    // The select that records it names the victim in words too.
    await arrestOf(reported.case.reference).getByRole('combobox', { name: `How the victim was told (${reported.case.reference})` }).waitFor();
    await expectNoAxeViolations(page);

    // The case's reference opens that case, not the list of the officer's cases.
    await arrestOf(reported.case.reference).getByRole('link', { name: reported.case.reference }).click();
    await page.getByRole('heading', { level: 1, name: `Case ${reported.case.reference}` }).waitFor();
    expect(page.url()).toContain(`#/cases/${reported.case.id}`);
    await page.close();
  });
});
