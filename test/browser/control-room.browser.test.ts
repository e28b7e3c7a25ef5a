/// <reference lib="dom" />
// The control room's day, end to end in a real browser on the server's injected clock: a 999 call
// becomes an Immediate incident; the dispatcher's board hears of it live and counts down; the
// nearest unit is sent and arrives; a second incident goes late and the breach reaches a
// supervisor's console live; the reason is recorded; the response report shows both.
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { DemoFeeder } from '../../src/capabilities/dispatch/demo-feeder.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const TELEPHONY = { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' };

type Unit = { id: string; callSign: string; position: { lat: number; lon: number } | null };
type Incident = { id: string; reference: string; status: string };

describe("the control room's journey in a real browser", () => {
  const clock = fixedClock(new Date(Math.floor(Date.now() / MINUTE) * MINUTE));

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }), args: MAP_ARGS });

  /** Moves the server's clock on and runs the jobs that fall due (the countdowns' checks). */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await suite.app.runner?.runDue();
  }

  it('takes a 999 call to an arrival within target, and a late incident to a breach alert, a reason and the response report', async () => {
    await new DemoFeeder(suite.app.deps, suite.app.demoForceId).tick();
    const api = await signIn(suite.app, 'dispatch@demo.police.uk');
    const units = (await suite.app.inject({ method: 'GET', url: '/api/units', headers: api.headers })).json<{ units: Unit[] }>().units;
    const nearest = units.find((unit) => unit.callSign === 'NC01')?.position;
    if (!nearest) throw new Error('NC01 has no position');

    // The dispatcher watches the board; incidents reach it only by live messages (it no longer polls them).
    const dispatcher = await suite.openConsole('dispatcher');
    await dispatcher.goto(`${suite.base}/console/#/dispatch`);
    await dispatcher.getByRole('heading', { name: 'Incident board' }).waitFor();
    const supervisor = await suite.openConsole('supervisor');
    await supervisor.getByTestId('alert-banner').waitFor();

    // A 999 call comes in from the telephony platform.
    const call = await suite.app.inject({
      method: 'POST',
      url: '/webhooks/telephony/calls',
      headers: TELEPHONY,
      payload: JSON.stringify({ callId: 'journey-call-1', line: '999', callerNumber: '+447700900321', calledNumber: '999', startedAt: clock.now().toISOString(), event: 'offered' }),
    });
    expect(call.statusCode, call.body).toBe(200);
    const contacts = (await suite.app.inject({ method: 'GET', url: '/api/contacts', headers: api.headers })).json<{ contacts: { id: string; channel: string; summary: string }[] }>().contacts;
    const callContact = contacts.find((c) => c.channel === 'phone' && c.summary.includes('+447700900321'));
    if (!callContact) throw new Error('the 999 call made no contact');

    // The call handler makes it an Immediate incident, where the caller says.
    const handler = await suite.openConsole('call_handler');
    await handler.goto(`${suite.base}/console/#/contacts/${callContact.id}`);
    await handler.getByTestId('incident-from-contact').click();
    await handler.getByTestId('new-incident').waitFor();
    await handler.getByLabel('Type').selectOption('crime');
    await handler.getByLabel('What is happening').fill('Caller reports a man with a knife outside the bar');
    await handler.getByLabel('Grade').selectOption('immediate');
    await handler.getByLabel('Address or place').fill('Prince of Wales Road');
    await handler.getByLabel('Latitude').fill(String(nearest.lat + 0.0005));
    await handler.getByLabel('Longitude').fill(String(nearest.lon));
    await expectNoAxeViolations(handler);
    await handler.getByTestId('create-incident').click();
    await handler.getByTestId('incident-details').waitFor();
    const firstId = /#\/incidents\/([0-9a-f-]{36})$/.exec(handler.url())?.[1] ?? '';
    const first = (await suite.app.inject({ method: 'GET', url: `/api/incidents/${firstId}`, headers: api.headers })).json<{ incident: Incident & { contacts: { contactId: string }[] } }>().incident;
    expect(first.contacts.map((c) => c.contactId)).toEqual([callContact.id]);
    await expectNoAxeViolations(handler);
    await handler.close();

    // The board hears of it at once and counts down to the deploy target (3 minutes for Immediate).
    const firstRow = dispatcher.locator(`[data-testid="incident-row"][data-reference="${first.reference}"]`);
    const firstCountdown = firstRow.getByTestId('countdown');
    await firstCountdown.and(dispatcher.locator('[data-kind="deploy"][data-state="ok"]')).waitFor();
    await expect(firstCountdown.textContent()).resolves.toMatch(/^Deploy in [23]:\d\d/);
    await dispatcher.locator('[data-testid="dispatch-map"][data-ready="true"] canvas').waitFor();
    await expectNoAxeViolations(dispatcher);

    // The countdown runs on the server's clock: past the warning point it turns amber, pushed live.
    await advance(2 * MINUTE + 15 * SECOND);
    await firstCountdown.and(dispatcher.locator('[data-state="warning"]')).waitFor();
    await expect(firstCountdown.textContent()).resolves.toMatch(/^▲Deploy in 0:[0-4]\d/);

    // The dispatcher asks for a recommendation and sends the nearest unit: the countdown turns to arrival.
    await firstRow.getByRole('link', { name: first.reference }).click();
    await dispatcher.getByTestId('incident-details').waitFor();
    await dispatcher.getByTestId('recommend').click();
    const candidate = dispatcher.getByTestId('candidate').first();
    await candidate.waitFor();
    await expect(candidate.getAttribute('data-call-sign')).resolves.toBe('NC01');
    await candidate.getByRole('checkbox').check();
    await dispatcher.getByTestId('dispatch').click();
    await dispatcher.getByRole('status').filter({ hasText: `Dispatched NC01 to ${first.reference}.` }).waitFor();
    await dispatcher.locator('[data-testid="countdown"][data-kind="arrive"]').waitFor();
    await expect(dispatcher.getByTestId('countdown').textContent()).resolves.toMatch(/^Arrive in 1[12]:\d\d/);
    await expectNoAxeViolations(dispatcher);

    // Four minutes on, the unit arrives: the countdown stops.
    await advance(4 * MINUTE);
    const committed = dispatcher.locator('[data-testid="committed-unit"][data-call-sign="NC01"]');
    await committed.getByRole('button', { name: 'On scene for NC01' }).click();
    await dispatcher.locator('[data-testid="committed-unit"][data-call-sign="NC01"][data-status="on_scene"]').waitFor();
    await expect.poll(() => dispatcher.getByTestId('countdown').count()).toBe(0);
    await expect(dispatcher.getByTestId('incident-details').textContent()).resolves.toContain('Unit on scene');

    // A second Immediate incident nearby; nobody is sent, and the board shows it counting down.
    const created = await suite.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: api.headers,
      payload: { type: 'crime', summary: 'Window smashed, intruder inside', grade: 'immediate', locationText: 'Rose Lane', lat: nearest.lat - 0.0005, lon: nearest.lon },
    });
    expect(created.statusCode, created.body).toBe(201);
    const second = created.json<{ incident: Incident }>().incident;
    await dispatcher.getByRole('link', { name: 'Incident board' }).click();
    const secondRow = dispatcher.locator(`[data-testid="incident-row"][data-reference="${second.reference}"]`);
    await secondRow.getByTestId('countdown').and(dispatcher.locator('[data-state="ok"]')).waitFor();

    // It goes late: the breach reaches the supervisor's console live, naming the incident, grade and countdown.
    await advance(3 * MINUTE + 5 * SECOND);
    const alert = supervisor.locator(`[data-testid="alert"][data-kind="response_breach"][data-reference="${second.reference}"]`);
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/Response target missed[\s\S]*deploy target missed \(Immediate, urban, 3 min\)/);
    await expect(alert.locator('[data-grade="immediate"][data-clock="deploy"]').count()).resolves.toBe(1);
    await expectNoAxeViolations(supervisor);
    // The dispatcher's board turns it red.
    await secondRow.getByTestId('countdown').and(dispatcher.locator('[data-state="breached"]')).waitFor();

    // The alert links to the incident, where the supervisor records why; the alert then leaves the banner.
    await alert.getByRole('link', { name: second.reference }).click();
    const missed = supervisor.locator('[data-testid="missed-target"][data-kind="deploy"]');
    await missed.waitFor();
    await missed.getByRole('button', { name: 'Record reason' }).click();
    await supervisor.getByText('Choose why the target was missed').first().waitFor();
    await expectNoAxeViolations(supervisor);
    await missed.getByLabel('Why was the deploy target missed?').selectOption('no_unit_available');
    await missed.getByLabel(/What happened/).fill('Every Norwich unit was committed to the first incident');
    await missed.getByRole('button', { name: 'Record reason' }).click();
    await missed.getByTestId('breach-reason').filter({ hasText: 'No unit available — Every Norwich unit was committed to the first incident' }).waitFor();
    await alert.waitFor({ state: 'detached' });
    await expectNoAxeViolations(supervisor);

    // The unit board shows NC01 on scene at the first incident.
    await dispatcher.getByRole('link', { name: 'Unit board' }).click();
    const norwich = dispatcher.locator('[data-testid="unit-area"][data-area="Norwich City"]');
    await norwich.waitFor();
    await expect(norwich.textContent()).resolves.toMatch(new RegExp(`On scene \\(1\\)[\\s\\S]*NC01[\\s\\S]*${first.reference}`));
    await expectNoAxeViolations(dispatcher);

    // The response report: two Immediate incidents in Norwich City, one deployed in time, the one
    // that arrived in time, and the breach with its reason.
    await supervisor.getByRole('link', { name: 'Response report' }).click();
    const row = supervisor.locator('[data-testid="response-row"]').filter({ hasText: 'Norwich City' }).filter({ hasText: 'Immediate' });
    await row.waitFor();
    const cells = await row.locator('th, td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['Norwich City', 'Immediate', '2']);
    expect(cells[3]).toBe('50% (1 of 2)');
    expect(cells[6]).toBe('100% (1 of 1)');
    expect(cells.at(-1)).toBe('1');
    const breach = supervisor.locator('[data-testid="response-breach"]').filter({ hasText: second.reference });
    await expect(breach.textContent()).resolves.toMatch(/Norwich City[\s\S]*Immediate[\s\S]*Deploy[\s\S]*No unit available — Every Norwich unit was committed to the first incident/);
    await expect(supervisor.locator('[data-testid="response-breach"]').filter({ hasText: first.reference }).count()).resolves.toBe(0);
    await expectNoAxeViolations(supervisor);

    await dispatcher.close();
    await supervisor.close();
  });
});
