/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, submitPublicReport } from '../helpers.ts';
import type { ForceId } from '../../src/platform/ids.ts';


describe('a threat to life in a real browser', () => {
  const suite = startBrowserSuite({ app: () => createTestApp({ env: { WORKER_POLL_MS: '200', ROUTING_SWEEP_MS: '1000' }, overrides: { startWorker: true } }) });

  it('jumps the queue, alerts the supervisor, and reaches a suitable operator who assesses and grades it', async () => {
    const supervisorApi = await signIn(suite.app, 'supervisor@demo.police.uk');
    const forceId = supervisorApi.user.forceId as ForceId;
    // Each operator can hold one online report at a time, so the order of the queue decides who waits.
    const board = await suite.app.inject({ method: 'GET', url: '/api/routing/board', headers: supervisorApi.headers });
    expect(board.statusCode).toBe(200);
    const people = board.json<{ staff: { id: string; name: string }[] }>().staff;
    for (const name of ['Sam Handler', 'Dee Desk']) {
      const person = people.find((p) => p.name === name);
      if (!person) throw new Error(`${name} is not on the board`);
      const set = await suite.app.inject({
        method: 'POST',
        url: `/api/routing/staff/${person.id}/profile`,
        headers: supervisorApi.headers,
        payload: { capacity: { online: 1 } },
      });
      expect(set.statusCode).toBe(200);
    }

    // Three routine reports are already waiting while nobody is available.
    const routine: string[] = [];
    for (const n of [1, 2, 3]) {
      const report = await submitPublicReport(suite.app.deps, forceId, {
        submissionId: `routine-${n}`,
        whatHappened: `My bicycle was taken from the shed overnight (${n})`,
        where: 'Demoton',
        when: 'Last night',
        name: null,
        email: `routine-${n}@example.org`,
      });
      routine.push(report.reference);
    }

    const supervisor = await suite.openConsole('supervisor');
    await supervisor.goto(`${suite.base}/console/#/supervisor`);
    await supervisor.getByRole('heading', { level: 1 }).first().waitFor();

    // The threatening message arrives after them.
    const threat = await submitPublicReport(suite.app.deps, forceId, {
      submissionId: 'threat-1',
      whatHappened: 'My ex is outside the house with a knife and he says he is going to kill me',
      where: '4 Station Road, Demoton',
      when: 'Right now',
      name: 'Alex',
      email: 'alex@example.org',
    });

    // Supervisors are alerted at once, on whatever screen they are on.
    const alert = supervisor.locator('[data-testid="alert"][data-kind="threat_to_life"]').filter({ hasText: threat.reference });
    await alert.waitFor();
    await expectNoAxeViolations(supervisor);

    // The domestic-abuse trained handler becomes available and is given the threat first,
    // ahead of three older reports.
    const handler = await suite.openConsole('call_handler');
    await handler.getByLabel(/presence|status/i).first().selectOption('available');
    await handler.goto(`${suite.base}/console/#/queue`);
    const threatRow = handler.locator(`[data-testid="queue-row"][data-reference="${threat.reference}"]`);
    await threatRow.getByText('Sam Handler').waitFor();
    await expect.poll(async () => handler.locator('[data-testid="queue-row"]').first().getAttribute('data-reference')).toBe(threat.reference);
    await expect(threatRow.getByTestId('ttl-badge').count()).resolves.toBe(1);
    for (const reference of routine) {
      const row = handler.locator(`[data-testid="queue-row"][data-reference="${reference}"]`);
      await expect(row.textContent()).resolves.not.toContain('Sam Handler');
    }

    // The supervisor sees who holds it.
    await expect
      .poll(async () => (await supervisor.textContent('main')) ?? '', { timeout: 15_000 })
      .toMatch(new RegExp(`Sam Handler[\\s\\S]*${threat.reference}|${threat.reference}[\\s\\S]*Sam Handler`));

    // The handler opens it, sees its clocks, completes THRIVE and grades it.
    await threatRow.getByRole('link').first().click();
    const routing = handler.getByTestId('routing-panel');
    await routing.waitFor();
    await expect(routing.textContent()).resolves.toContain('Sam Handler');
    await handler.locator('[data-testid="sla-clock"][data-kind="first_response"]').waitFor();
    await expectNoAxeViolations(handler);

    const ratings: Record<string, string> = {
      threat: 'high',
      harm: 'high',
      risk: 'high',
      investigation: 'urgent',
      vulnerability: 'confirmed',
      engagement: 'engaged',
    };
    for (const [element, rating] of Object.entries(ratings)) {
      await handler.locator(`#thrive-${element}-${rating}`).check();
      await handler.locator(`#thrive-${element}-rationale`).fill(`Caller reports an ex-partner with a knife threatening to kill (${element}).`);
    }
    await handler.getByTestId('thrive-submit').click();
    await handler.getByTestId('thrive-assessment').waitFor();
    await handler.getByTestId('grade-choice').selectOption('immediate');
    await handler.getByTestId('grade-submit').click();
    await expect.poll(async () => (await handler.getByTestId('grade-current').textContent()) ?? '').toMatch(/immediate/i);
    await expectNoAxeViolations(handler);

    // The supervisor acknowledges the alert; it leaves the banner and the acknowledgement is on the record.
    await alert.getByLabel(/note/i).fill('Handler has it; units being sent.');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.waitFor({ state: 'detached' });
    const alerts = await suite.app.inject({ method: 'GET', url: '/api/alerts', headers: supervisorApi.headers });
    expect(alerts.json<{ alerts: { contactId: string }[] }>().alerts.filter((a) => a.contactId === threat.contactId)).toEqual([]);
    const detail = await suite.app.inject({ method: 'GET', url: `/api/contacts/${threat.contactId}`, headers: supervisorApi.headers });
    const types = detail.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['contact.routed', 'alert.raised', 'contact.assigned', 'thrive.assessed', 'contact.graded', 'alert.acknowledged']));
    const acknowledged = detail.json<{ routing: { alerts: { kind: string; acknowledgedByName: string | null; note: string | null }[] } }>().routing.alerts;
    expect(acknowledged).toContainEqual(expect.objectContaining({ kind: 'threat_to_life', acknowledgedByName: 'Sue Supervisor', note: 'Handler has it; units being sent.' }));
    await expectNoAxeViolations(supervisor);

    await handler.close();
    await supervisor.close();
  });
});
