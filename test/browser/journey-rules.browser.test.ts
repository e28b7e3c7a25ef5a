/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin fits the victims' journey to the force's policy on the journey rules page: adds a
// rule, switches one off, is told when a change touches a Victims' Code update, and is refused a
// rule that would send victims a message another rule already sends, and is shown another admin's
// change made while their form was open, or another admin's new order made while their page showed
// the old one, rather than silently replacing it. Supervisors and investigators
// read the same rules in plain words, with nothing to change them, and see another admin's change
// without reloading.

describe('journey rules in a real browser', () => {
  const suite = startBrowserSuite();

  const ruleRows = (milestone: string, template: string) =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('journey_rules').select(['active', 'delay_minutes', 'victim_category']).where('milestone', '=', milestone).where('template_key', '=', template).execute(),
    );

  it('adds-a-rule-and-switches-one-off-from-the-admin-pages-with-no-axe-violations', async () => {
    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/templates`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Journey rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journey rules' }).waitFor();
    await page.getByTestId('journey-rule-row').first().waitFor();
    await expectNoAxeViolations(page);

    // A courtesy message an hour after property is returned, for victims with enhanced rights.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('When this happens').selectOption({ label: 'Property returned' });
    await page.getByLabel('Send this message').selectOption('victim_support.offer');
    await page.getByLabel('To these victims').selectOption({ label: 'Victims with enhanced rights' });
    await page.getByLabel('Delay in minutes').fill('-60');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Add the rule' }).click();
    // A delay before a milestone that names no time is refused, by its field.
    await page.getByRole('alert').filter({ hasText: 'cannot be before the milestone' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Delay in minutes').fill('60');
    await page.getByRole('button', { name: 'Add the rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule added.' }).waitFor();
    const added = page.locator('[data-testid="journey-rule-row"][data-milestone="case.property_returned"][data-template="victim_support.offer"]');
    await expect(added.textContent()).resolves.toContain('1 hour after the milestone');
    await expect(added.textContent()).resolves.toContain('Victims with enhanced rights');
    await expect(ruleRows('case.property_returned', 'victim_support.offer')).resolves.toEqual([{ active: true, delay_minutes: 60, victim_category: 'enhanced' }]);

    // The same rule again would send those victims the message twice: refused, naming the rule.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('When this happens').selectOption({ label: 'Property returned' });
    await page.getByLabel('Send this message').selectOption('victim_support.offer');
    await page.getByLabel('To these victims').selectOption({ label: 'Victims with enhanced rights' });
    await page.getByLabel('Delay in minutes').fill('60');
    await page.getByRole('button', { name: 'Add the rule' }).click();
    const twin = page.getByTestId('journey-rule-form').getByRole('alert').filter({ hasText: 'a victim would get it twice' });
    await twin.waitFor();
    await expect(twin.textContent()).resolves.toMatch(/Rule \d+ \(“Property returned: /);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(ruleRows('case.property_returned', 'victim_support.offer')).resolves.toHaveLength(1);

    // Switching off a courtesy update: listed still, marked off; what it had waiting is withdrawn unless the admin unticks that (decision 0074).
    await expect(page.getByLabel(/withdraw the messages it has queued/).isChecked()).resolves.toBe(true);
    const identified = page.locator('[data-testid="journey-rule-row"][data-milestone="case.suspect_identified"]');
    await identified.getByRole('button', { name: /^Switch off/ }).click();
    await page.getByRole('status').filter({ hasText: 'Rule switched off. It had no messages waiting to be sent.' }).waitFor();
    await identified.getByTestId('journey-rule-status').filter({ hasText: 'Off' }).waitFor();
    await expect(ruleRows('case.suspect_identified', 'case.suspect_identified')).resolves.toEqual([{ active: false, delay_minutes: 0, victim_category: 'all' }]);

    // The last Victims' Code update of a milestone is not taken away; the page says why.
    const arrested = page.locator('[data-testid="journey-rule-row"][data-milestone="case.suspect_arrested"]');
    await arrested.getByRole('button', { name: /^Switch off/ }).click();
    await page.getByRole('alert').filter({ hasText: "only Victims' Code update left" }).waitFor();
    await expect(arrested.getByTestId('journey-rule-status').textContent()).resolves.toBe('On');
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('shows-a-conflict-when-another-admin-changed-the-rule-while-the-form-was-open-and-keeps-what-the-admin-entered', async () => {
    await addTestStaff(suite.app, suite.app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const made = await suite.app.inject({
      method: 'POST',
      url: '/api/journey-rules',
      headers: other.headers,
      payload: { milestone: 'case.reopened', templateKey: 'victim_support.offer', victimCategory: 'all', delayMinutes: 0 },
    });
    expect(made.statusCode).toBe(201);
    const { id: ruleId, version } = made.json<{ rule: { id: string; version: number } }>().rule;
    const ruleNow = () =>
      withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
        tx.selectFrom('journey_rules').select(['delay_minutes', 'victim_category', 'crime_type', 'version']).where('id', '=', ruleId).executeTakeFirstOrThrow(),
      );

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/journey-rules`);
    const row = page.locator('[data-testid="journey-rule-row"][data-milestone="case.reopened"][data-template="victim_support.offer"]');
    await row.getByRole('button', { name: /^Change/ }).click();
    const form = page.getByTestId('journey-rule-form');
    await form.waitFor();

    // Saved with nothing changed: nothing is sent.
    await page.getByTestId('journey-rule-save').click();
    await page.getByRole('status').filter({ hasText: 'Nothing changed.' }).waitFor();

    // While this admin has the form open, another admin makes the message wait a day and only for stalking.
    await row.getByRole('button', { name: /^Change/ }).click();
    await form.waitFor();
    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/journey-rules/${ruleId}`, headers: other.headers, payload: { delayMinutes: 1440, crimeType: 'VAP-SAH', version } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    // This admin makes it two hours, for victims with enhanced rights, and saves: refused, nothing applied.
    await page.getByLabel('To these victims').selectOption({ label: 'Victims with enhanced rights' });
    await page.getByLabel('Delay in minutes').fill('120');
    await page.getByTestId('journey-rule-save').click();
    const summary = form.getByRole('alert');
    await summary.filter({ hasText: /This rule was changed by someone else after you opened it: Bea Second changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ }).waitFor();
    await expect(summary.textContent()).resolves.toContain('Nothing was saved.');
    await expect(ruleNow()).resolves.toEqual({ delay_minutes: 1440, victim_category: 'all', crime_type: 'VAP-SAH', version: version + 1 });

    // The rule as it is now is shown; the field both changed is named and linked, with this admin's value kept.
    const now = page.getByTestId('journey-rule-now');
    await expect(now.textContent()).resolves.toContain('1 day after the milestone');
    await expect(now.textContent()).resolves.toContain('Stalking and harassment only');
    const clash = summary.getByRole('link', { name: /^Delay in minutes is now “1440 minutes”; the form keeps yours, “120 minutes”/ });
    await clash.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('rule-delayMinutes');
    await expect(page.getByLabel('Delay in minutes').inputValue()).resolves.toBe('120');
    await expect(page.getByLabel('To these victims').inputValue()).resolves.toBe('enhanced');
    // A field this admin left alone takes the other admin's change, so saving again does not put it back.
    await expect(page.getByLabel('Crime type', { exact: true }).inputValue()).resolves.toBe('VAP-SAH');
    await expectNoAxeViolations(page);

    // Saved again, this admin's change goes over the rule as it is now.
    await page.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule changed.' }).waitFor();
    await expect(ruleNow()).resolves.toEqual({ delay_minutes: 120, victim_category: 'enhanced', crime_type: 'VAP-SAH', version: version + 2 });
    await page.close();
  });

  it('shows-a-conflict-when-another-admin-reordered-the-rules-after-the-page-showed-them-and-the-order-as-it-is-now', async () => {
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const order = () =>
      withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('journey_rules').select('id').orderBy('position').orderBy('created_at').orderBy('id').execute());
    const page = await suite.openConsole('force_admin');
    // The live stream would bring the other admin's order before this admin moves a rule; held
    // back, the page keeps the order it showed, as in the moment before the push arrives.
    await page.routeWebSocket(/\/api\//, () => undefined);
    await page.goto(`${suite.base}/console/#/admin/journey-rules`);
    const rows = page.getByTestId('journey-rule-row');
    await rows.first().waitFor();
    const shown = (await order()).map((r) => r.id);

    // The other admin moves the last rule to the top.
    const listed = await suite.app.inject({ method: 'GET', url: '/api/journey-rules', headers: other.headers });
    const { orderVersion } = listed.json<{ orderVersion: number }>();
    const theirs = [shown[shown.length - 1] ?? '', ...shown.slice(0, -1)];
    const meanwhile = await suite.app.inject({ method: 'PUT', url: '/api/journey-rules/order', headers: other.headers, payload: { ruleIds: theirs, version: orderVersion } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);

    // This admin, still seeing the order before, moves the first rule down: refused, nothing applied.
    await rows.first().getByRole('button', { name: /^Move down/ }).click();
    const summary = page.getByRole('alert').filter({ hasText: /The order of the journey rules was changed by someone else after you opened it: Bea Second changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ });
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('Nothing was saved.');
    await expect(summary.textContent()).resolves.toContain('The rules below are in the order they are in now.');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    await expect(order()).resolves.toEqual(theirs.map((id) => ({ id })));
    // The table was read again: its first rule is the one the other admin moved to the top.
    const first = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('journey_rules').select(['milestone', 'template_key']).where('id', '=', theirs[0] ?? '').executeTakeFirstOrThrow());
    await page.locator(`[data-testid="journey-rule-row"]:first-child[data-milestone="${first.milestone}"][data-template="${first.template_key}"]`).waitFor();
    await expectNoAxeViolations(page);

    // Moved again from the order now shown, it is saved.
    await rows.first().getByRole('button', { name: /^Move down/ }).click();
    await page.getByRole('status').filter({ hasText: 'Order saved.' }).waitFor();
    await expect(order()).resolves.toEqual([theirs[1], theirs[0], ...theirs.slice(2)].map((id) => ({ id })));
    await page.close();
  });

  it('shows-supervisors-the-rules-in-plain-words-with-nothing-to-change-them-and-another-admin-s-change-live', async () => {
    const page = await suite.openConsole('supervisor');
    await page.goto(`${suite.base}/console/#/admin/sms-opt-outs`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Journey rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journey rules' }).waitFor();
    await page.getByTestId('journey-rule-row').first().waitFor();
    await page.getByText('You can read these rules. Your force administrator changes them.').waitFor();

    // Nothing to change them with: no add, change, switch or move, and no form.
    await expect(page.getByTestId('journey-rule-add').count()).resolves.toBe(0);
    await expect(page.getByTestId('journey-rules-table').getByRole('button').count()).resolves.toBe(0);
    await expect(page.getByTestId('journey-rule-form').count()).resolves.toBe(0);

    // Each rule in words: what starts it, for whom and which cases, what it sends, when, its kind, on or off.
    const caution = page.locator('[data-testid="journey-rule-row"][data-milestone="case.closed"][data-template="case.closed.caution"]');
    const cautionText = await caution.textContent();
    expect(cautionText).toContain('Case closed');
    expect(cautionText).toContain('All victims');
    expect(cautionText).toContain('Any crime type, closed with outcome 2 (');
    expect(cautionText).toContain('At once');
    expect(cautionText).toContain("Victims' Code update: sent even to victims who opted out of other updates");
    expect(cautionText).toContain('On');
    const allocated = page.locator('[data-testid="journey-rule-row"][data-milestone="case.allocated"]');
    await expect(allocated.getByTestId('journey-rule-kind').textContent()).resolves.toBe('Courtesy update: not sent to victims who opted out of updates');
    await expectNoAxeViolations(page);

    // Another admin switches a rule off: the open page shows it without being reloaded.
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const ruleId = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('journey_rules').select('id').where('milestone', '=', 'case.allocated').where('template_key', '=', 'case.allocated').executeTakeFirstOrThrow(),
    );
    const off = await suite.app.inject({ method: 'POST', url: `/api/journey-rules/${ruleId.id}/active`, headers: admin.headers, payload: { active: false } });
    expect(off.statusCode, off.body).toBe(200);
    await allocated.getByTestId('journey-rule-status').filter({ hasText: 'Off: sends nothing' }).waitFor();
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('leads-investigators-to-the-rules-from-their-navigation', async () => {
    const page = await suite.openConsole('investigator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Journey rules' }).waitFor();
    await page.getByTestId('journey-rule-row').first().waitFor();
    await expect(page.getByTestId('journey-rules-table').getByRole('button').count()).resolves.toBe(0);
    await page.close();
  });

  it('keeps-the-page-from-those-who-may-not-read-the-rules', async () => {
    const page = await suite.openConsole('call_handler');
    await page.goto(`${suite.base}/console/#/admin/journey-rules`);
    await page.getByText('Your role does not include permission to view this page.').waitFor();
    await page.close();
  });
});
