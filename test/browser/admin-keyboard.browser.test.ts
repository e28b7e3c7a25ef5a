/// <reference lib="dom" />
import { type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn, submitPublicReport } from '../helpers.ts';

/** Signs in with the keyboard only: type, Tab, Enter. */
async function signInByKeyboard(browser: Browser, base: string, email: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/console/`);
  await page.getByLabel(/email/i).focus();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo-password');
  await page.keyboard.press('Enter');
  await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor();
  return page;
}

/** The id and tag of the element that has focus, to follow focus without a mouse. */
const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.id ?? '', tag: document.activeElement?.tagName ?? '' }));

describe('administration and the keyboard in a real browser', () => {
  const suite = startBrowserSuite();

  it('lets an admin add a member of staff and change a queue target, with no axe violations on any admin screen', async () => {
    const page = await signInByKeyboard(suite.browser, suite.base, 'admin@demo.police.uk');
    await page.getByRole('link', { name: 'Staff', exact: true }).click();
    await page.getByRole('heading', { name: 'Add a member of staff' }).waitFor();
    await expectNoAxeViolations(page);

    await page.getByLabel('Full name').fill('Owain Newstart');
    await page.getByLabel('Email address').fill('owain.newstart@demo.police.uk');
    await page.getByLabel('Role', { exact: true }).selectOption('digital_desk_operator');
    await page.getByLabel('Welsh speaker').check();
    await page.getByTestId('staff-add-submit').click();
    const issued = page.getByTestId('staff-one-time-password');
    await issued.waitFor();
    const oneTimePassword = (await page.getByTestId('one-time-password').textContent()) ?? '';
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect(await focused(page)).toMatchObject({ id: 'staff-issued' });
    await page.locator('[data-testid="staff-row"]', { hasText: 'owain.newstart@demo.police.uk' }).waitFor();
    await expectNoAxeViolations(page);
    // The new person signs in with it, once.
    const signedIn = await suite.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owain.newstart@demo.police.uk', password: oneTimePassword } });
    expect(signedIn.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);

    // Queues: the first-response target of priority 1 on the first queue.
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Queues and SLA targets' }).waitFor();
    await expectNoAxeViolations(page);
    const row = page.getByTestId('queue-admin-row').first();
    await row.getByTestId('queue-edit').click();
    await page.getByLabel('First response for priority 1, in minutes').fill('7');
    await expectNoAxeViolations(page);
    await page.getByTestId('queue-save').click();
    await page.getByText(/Targets of .* saved/).waitFor();
    await expect.poll(async () => row.getByTestId('queue-p1-first').textContent()).toBe('7 min');

    // Channel targets: a refusal names the field as the form does, never by its place in the request.
    const chatFirst = page.getByLabel('Web chat first response target, in minutes');
    await expect.poll(async () => chatFirst.inputValue()).toBe('2');
    await chatFirst.fill('0');
    await page.getByTestId('channel-targets-save').click();
    const summary = page.locator('[data-testid="channel-targets"] .error-summary');
    await summary.getByRole('link', { name: 'Web chat first response target must be at least 1 minute' }).waitFor();
    expect(await summary.textContent()).not.toMatch(/body\.|chat\.first|firstResponseMinutes/);
    await expectNoAxeViolations(page);
    await chatFirst.fill('3');
    await page.getByTestId('channel-targets-save').click();
    await page.getByText('Channel targets saved. New clocks use them.').waitFor();

    // Channels, templates (with a preview) and settings pass axe too.
    await page.getByRole('link', { name: 'Channel accounts' }).click();
    await page.getByTestId('channels-table').waitFor();
    // The demo's accounts that hold published credentials are marked, and the page says what that means.
    await page.getByTestId('demo-stand-in-note').waitFor();
    expect(await page.getByTestId('channel-row').filter({ hasText: 'Demo Notify service' }).getByTestId('demo-stand-in').count()).toBe(1);
    expect(await page.getByTestId('channel-row').filter({ hasText: 'Demo website chat' }).getByTestId('demo-stand-in').count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Message templates' }).click();
    const welsh = page.locator('[data-key="case.report_received"] [data-locale="cy"]');
    await welsh.getByLabel('Subject').fill('Eich adroddiad {{reference}}');
    await welsh.getByLabel('Message').fill('Helo {{name}}, diolch.');
    await welsh.getByTestId('template-preview').click();
    await expect.poll(async () => welsh.getByTestId('template-preview-result').textContent()).toContain('Helo Alex Example, diolch.');
    await welsh.getByTestId('template-save').click();
    await page.getByText('Welsh (Cymraeg) “A report became a case” saved.').waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Force settings' }).click();
    await page.getByTestId('settings-form').waitFor();
    // Road routing: a blank address is caught here; an address inside our network is refused by the server, in words.
    const routing = page.getByTestId('road-routing-form');
    await routing.getByLabel('Routing service').selectOption('osrm');
    await routing.getByTestId('routing-save').click();
    await expect.poll(async () => routing.getByRole('alert').textContent()).toContain("Enter the routing service's address");
    await routing.getByLabel('Address').fill('http://10.0.0.5:5000');
    await routing.getByTestId('routing-save').click();
    await expect.poll(async () => routing.getByRole('alert').textContent()).toContain('a private network address');
    expect(await routing.getByRole('alert').textContent()).not.toContain('body.');
    await expectNoAxeViolations(page);
    // Unit positions: a stale age out of range is refused on the page; good values are saved.
    await page.getByLabel('Unit position stale after (minutes)').fill('0');
    await page.getByTestId('settings-save').click();
    await page.getByText('Unit position stale after must be a whole number from 1 to 1,440').first().waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Unit position stale after (minutes)').fill('10');
    await page.getByLabel('Keep unit positions for (days)').fill('30');
    await page.getByTestId('settings-save').click();
    await page.getByText('Settings saved.').waitFor();
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const saved = await suite.app.inject({ method: 'GET', url: '/api/force/settings', headers: admin.headers });
    expect(saved.json<{ settings: object }>().settings).toMatchObject({ positionStaleAfterMinutes: 10, positionHistoryDays: 30 });
    await page.close();
  });

  it('works the desk without a mouse: next contact taken, help shown, closed', async () => {
    const handlerApi = await signIn(suite.app, 'handler@demo.police.uk');
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: 'keyboard-1',
      whatHappened: 'My bicycle was stolen from outside the library on Tuesday',
      where: 'Demoton library',
      when: 'Tuesday afternoon',
      name: null,
      email: 'keyboard@example.org',
    });
    const page = await signInByKeyboard(suite.browser, suite.base, 'handler@demo.police.uk');
    const presence = await suite.app.inject({ method: 'POST', url: '/api/me/presence', headers: handlerApi.headers, payload: { presence: 'available' } });
    expect(presence.statusCode).toBe(200);

    // "?" shows the shortcuts; Escape closes the overlay.
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor({ state: 'visible' });
    await expectNoAxeViolations(page);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // n: the next contact (this one, taken if routing has not given it already).
    await page.keyboard.press('n');
    await page.getByRole('heading', { name: new RegExp(`Contact ${report.reference}`) }).waitFor();
    await page.getByTestId('routing-assigned').filter({ hasText: 'Sam Handler' }).waitFor();
    await expectNoAxeViolations(page);

    // r: focus lands in the reply box; a letter typed there is text, not a shortcut.
    await page.keyboard.press('r');
    expect(await focused(page)).toMatchObject({ id: 'reply-body' });
    await page.keyboard.type('c');
    expect(await page.getByTestId('reply-body').inputValue()).toBe('c');
    expect(await focused(page)).toMatchObject({ id: 'reply-body' });
    await page.keyboard.press('Backspace');
    // Escape leaves the field for its panel's heading, where the shortcuts work again.
    await page.keyboard.press('Escape');
    expect(await focused(page)).toMatchObject({ id: 'h-reply' });

    // t and g move to THRIVE and the grade, visibly.
    await page.keyboard.press('t');
    expect((await focused(page)).id).toMatch(/^thrive-/);
    expect(await page.evaluate(() => document.activeElement?.matches(':focus-visible'))).toBe(true);
    await page.keyboard.press('g');
    expect(await focused(page)).toMatchObject({ id: 'grade-choice' });
    await page.keyboard.press('Escape');

    // c: the close form; choose an outcome with the arrow keys, Tab to the button, Enter.
    await page.keyboard.press('c');
    expect(await focused(page)).toMatchObject({ id: 'close-outcome' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('contact-status').filter({ hasText: 'Closed' }).waitFor();
    await page.getByText(/Contact closed:/).waitFor();
    await expectNoAxeViolations(page);

    // n again: nothing left for this person, and it says so.
    await page.keyboard.press('n');
    await page.getByTestId('shortcut-notice').filter({ hasText: 'There are no other open contacts for you.' }).waitFor();
    await page.close();
  });
});
