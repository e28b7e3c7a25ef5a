/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';

const DAY_MS = 86_400_000;

describe("a case's Victims' Code updates on its page, in a real browser", () => {
  const clock = fixedClock(new Date());

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  it('lists what each victim is still owed with the missed ones explained, and follows an update given elsewhere', async () => {
    let investigator = await signIn(suite.app, 'investigator@demo.police.uk', 'demo-password', '10.42.0.1');
    const post = async <T>(url: string, payload: object): Promise<T> => {
      const response = await suite.app.inject({ method: 'POST', url, headers: investigator.headers, payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<T>();
    };
    // Arrested before any victim was named; two weeks on, missed; then the victim is named, with enhanced rights.
    const created = await post<{ case: { id: string } }>('/api/cases', { crimeType: 'VAP-VWI', summary: 'Assault at a bus stop', victims: [] });
    const caseId = created.case.id;
    await post(`/api/cases/${caseId}/milestones`, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID West' });
    await post(`/api/cases/${caseId}/milestones`, { type: 'suspect_arrested' });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    clock.advance(14 * DAY_MS);
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => sweepVictimUpdates(tx, suite.app.demoForceId, clock));
    investigator = await signIn(suite.app, 'investigator@demo.police.uk', 'demo-password', '10.42.0.2');
    await post(`/api/cases/${caseId}/people`, { role: 'victim', name: 'Kim Later', enhancedRights: true });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);

    const page = await suite.openConsole('investigator', { timeoutMs: 15_000 });
    await page.goto(`${suite.base}/console/#/cases/${caseId}`);
    const section = page.getByRole('region', { name: 'Victims’ Code updates' });
    const rows = section.getByTestId('case-victim-update');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    const arrest = rows.filter({ hasText: 'Arrest' });
    // Said in words, not by colour alone, with the victim as the row's header.
    expect(await arrest.getAttribute('data-standing')).toBe('overdue');
    expect(await arrest.getByRole('cell').last().textContent()).toBe('Overdue');
    expect(await arrest.getByRole('rowheader').textContent()).toBe('Kim Later (enhanced rights)');
    expect(await arrest.getByTestId('missed-timescale').textContent()).toBe(
      'Missed before Kim Later was named, against the 5 working days owed then. Kim Later has enhanced rights (1 working day) for updates still to come.',
    );
    const referral = rows.filter({ hasText: 'Referral to victim support' });
    expect(await referral.getByTestId('missed-timescale').textContent()).toBe('Missed before Kim Later was named, against the 2 working days owed then.');
    expect(await section.getByRole('table', { name: 'Victims’ Code updates still owed, by victim, soonest due first' }).count()).toBe(1);
    await expectNoAxeViolations(page);

    // Told by phone, recorded elsewhere: the live message takes it off the list and it is counted as given late.
    const listed = await suite.app.inject({ method: 'GET', url: `/api/cases/${caseId}/victim-updates`, headers: investigator.headers });
    const arrestUpdate = listed.json<{ updates: { id: string; duty: string }[] }>().updates.find((u) => u.duty === 'arrest');
    expect(arrestUpdate).toBeDefined();
    await post(`/api/cases/${caseId}/victim-updates/${arrestUpdate?.id ?? ''}/informed`, { how: 'phone' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Referral to victim support');
    expect(await section.getByTestId('case-victim-updates-settled').textContent()).toBe('Already settled: 1 given late.');
    await page.close();
  });
});
