/// <reference lib="dom" />
// A response target missed while the clock check was behind is breached when the unit is sent
// (decision 0132): the supervisor's banner hears of it live, and the incident says when the unit
// went and how late, beside the target's due time, and asks why; the board says a reason is owed.
// A contact's target missed the same way (decision 0141) is alerted when its clock stops: the
// banner and the contact say when it was due and how late the clock stopped, not only when it was raised.
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, submitPublicReport } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { DemoFeeder } from '../../src/capabilities/dispatch/demo-feeder.ts';

const MINUTE = 60_000;

describe('a target missed before its check ran, in a real browser', () => {
  const clock = fixedClock(new Date(Math.floor(Date.now() / MINUTE) * MINUTE));

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  it('shows the breach made at dispatch: the alert, when the unit went and how late, and the reason asked for', async () => {
    await new DemoFeeder(suite.app.deps, suite.app.demoForceId).tick();
    const api = await signIn(suite.app, 'dispatch@demo.police.uk');
    const units = (await suite.app.inject({ method: 'GET', url: '/api/units', headers: api.headers })).json<{ units: { id: string; callSign: string; position: { lat: number; lon: number } | null }[] }>().units;
    const unit = units.find((u) => u.callSign === 'NC01');
    if (!unit?.position) throw new Error('NC01 has no position');
    const created = await suite.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: api.headers,
      payload: { type: 'crime', summary: 'Window smashed, intruder inside', grade: 'immediate', locationText: 'Rose Lane', lat: unit.position.lat, lon: unit.position.lon },
    });
    expect(created.statusCode, created.body).toBe(201);
    const incident = created.json<{ incident: { id: string; reference: string } }>().incident;
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    const supervisor = await suite.openConsole('supervisor');

    // Five minutes pass with no check (the worker is behind); then the unit is sent, two minutes after the 3-minute target.
    clock.advance(5 * MINUTE);
    const sent = await suite.app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/dispatch`, headers: api.headers, payload: { unitIds: [unit.id] } });
    expect(sent.statusCode, sent.body).toBe(200);

    const alert = supervisor.locator(`[data-testid="alert"][data-kind="response_breach"][data-reference="${incident.reference}"]`);
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/deploy target missed \(Immediate, urban, 3 min\)/);
    await alert.getByRole('link', { name: incident.reference }).click();
    const missed = supervisor.locator('[data-testid="missed-target"][data-kind="deploy"]');
    await missed.waitFor();
    await expect(missed.getByTestId('met-late').textContent()).resolves.toMatch(/^First unit sent \d\d \w{3} \d{4}, \d\d:\d\d, 2 minutes after the target\.$/);
    await missed.getByLabel('Why was the deploy target missed?').waitFor();

    // The board's countdown has moved on to arrival; the row still says a reason is owed, until one is recorded.
    await supervisor.goto(`${suite.base}/console/#/dispatch`);
    const owed = supervisor.locator(`[data-testid="incident-row"][data-reference="${incident.reference}"] [data-testid="missed-targets"]`);
    await expect(owed.textContent()).resolves.toBe('Deploy target missed: why is not recorded yet');
    const clockId = (await suite.app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: api.headers })).json<{ incident: { clocks: { id: string; kind: string }[] } }>().incident.clocks.find((k) => k.kind === 'deploy')?.id;
    const reason = await suite.app.inject({ method: 'POST', url: `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, headers: api.headers, payload: { reasonCode: 'no_unit_available' } });
    expect(reason.statusCode, reason.body).toBe(200);
    await owed.waitFor({ state: 'detached' });
    await supervisor.close();
  });

  it("shows a contact's target missed before its check ran by its due time and how late its clock stopped, with no axe violations", async () => {
    const stored = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'late-breach-contact',
      whatHappened: 'There was a fight outside the shop',
      where: 'High Street, Demoton',
      when: 'Just now',
      name: 'Sam Witness',
      email: 'sam.witness@example.org',
    });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    const api = await signIn(suite.app, 'supervisor@demo.police.uk');
    const detail = await suite.app.inject({ method: 'GET', url: `/api/contacts/${stored.contactId}`, headers: api.headers });
    const first = detail.json<{ routing: { clocks: { kind: string; dueAt: string }[] } }>().routing.clocks.find((k) => k.kind === 'first_response');
    if (!first) throw new Error('the report has no first-response clock');
    const supervisor = await suite.openConsole('supervisor');

    // No check runs (the worker is behind); the contact is closed seven minutes after its first response was due.
    clock.set(new Date(Date.parse(first.dueAt) + 7 * MINUTE));
    const closed = await suite.app.inject({ method: 'POST', url: `/api/contacts/${stored.contactId}/close`, headers: api.headers, payload: { outcome: 'advice_given' } });
    expect(closed.statusCode, closed.body).toBe(200);

    const alert = supervisor.locator(`[data-testid="alert"][data-kind="sla_breach"][data-reference="${stored.reference}"]`);
    await alert.waitFor();
    const due = /^Due \d\d \w{3} \d{4}, \d\d:\d\d; its clock stopped \d\d \w{3} \d{4}, \d\d:\d\d, 7 minutes after the target\. $/;
    await expect(alert.getByTestId('alert-due').textContent()).resolves.toMatch(due);
    expect(await alert.getByTestId('alert-due').locator('time').getAttribute('datetime')).toBe(first.dueAt);
    await expect(alert.textContent()).resolves.toMatch(/Raised /);
    await expectNoAxeViolations(supervisor);

    // The contact's own list of alerts says the same.
    await alert.getByRole('link', { name: stored.reference }).click();
    const onContact = supervisor.locator('[data-testid="contact-alert"][data-kind="sla_breach"]');
    await onContact.waitFor();
    await expect(onContact.getByTestId('alert-due').textContent()).resolves.toMatch(due);
    await expectNoAxeViolations(supervisor);
    await supervisor.close();
  });
});
