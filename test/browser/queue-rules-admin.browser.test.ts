/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';

// A force admin sees how new contacts are routed, in order and in words, and changes it on the
// page: adds a rule, is told by the rule when the server refuses one naming nothing, moves the new
// rule up with the keyboard and saves the list whole. When another admin replaced the rules
// meanwhile, the save is refused, the rules as they are now are shown beside this admin's list,
// which is kept, and saving again puts it over them (decision 0084). A dispatcher reads the rules
// with nothing to change them.

type Rule = { queueId: string; position: number; channels: string[] | null; categories: string[] | null; priorities: number[] | null };
type Queues = { queues: { id: string; key: string; name: string }[]; rules: Rule[]; rulesVersion: number };

describe('the queue rules page in a real browser', () => {
  const suite = startBrowserSuite();

  const read = async (headers: Record<string, string>) => (await suite.app.inject({ method: 'GET', url: '/api/queues', headers })).json<Queues>();
  /** A rule as the list holds it, without its place. */
  const shape = (rule: Rule) => ({ queueId: rule.queueId, channels: rule.channels, categories: rule.categories, priorities: rule.priorities });

  it('adds-a-rule-moves-it-up-saves-the-list-in-that-order-and-saves-again-over-another-admin-s-change-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'supervisor@demo.police.uk');
    const before = await read(other.headers);
    const online = before.queues.find((q) => q.key === 'online_report');
    const general = before.queues.find((q) => q.key === 'general');
    if (!online || !general) throw new Error('demo queues missing');
    const count = before.rules.length;

    const page = await suite.openConsole('force_admin');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Queue rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Queue rules' }).waitFor();
    await expect(page.getByTestId('queue-rules-default').textContent()).resolves.toBe('Contacts that match no rule go to the default queue, General enquiries.');
    const rows = page.getByTestId('queue-rule-row');
    await expect.poll(() => rows.count()).toBe(count);
    await expect(rows.first().locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Phone', 'Any category', 'Any priority', 'Control room']));
    await expect(page.getByTestId('queue-rules-unsaved').count()).resolves.toBe(0);

    // A rule for email at P3, to Online reports; and one naming nothing, which the server refuses by the rule.
    await page.getByTestId('queue-rule-add').click();
    const form = page.getByTestId('queue-rule-form');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('h-queue-rule-form');
    await form.getByRole('group', { name: 'Channels' }).getByLabel('Email').check();
    await form.getByRole('group', { name: 'Priorities' }).getByLabel('P3').check();
    await form.getByLabel('Send to this queue').selectOption({ label: 'Online reports' });
    await form.getByRole('button', { name: 'Add it to the list' }).click();
    await expect.poll(() => rows.count()).toBe(count + 1);
    await expect(rows.last().locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Email', 'Any category', 'P3', 'Online reports']));
    await page.getByTestId('queue-rules-unsaved').waitFor();
    await page.getByTestId('queue-rule-add').click();
    await form.getByRole('button', { name: 'Add it to the list' }).click();
    await page.getByTestId('queue-rules-save').click();
    const summary = page.getByRole('alert');
    const refusal = summary.getByRole('link', { name: `Rule ${count + 2} must name at least one channel, category or priority` });
    await refusal.waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    await expect(rows.last().textContent()).resolves.toContain(`Rule ${count + 2} must name at least one channel, category or priority`);
    await refusal.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(`queue-rule-${count + 1}`);
    await expectNoAxeViolations(page);
    await expect(read(other.headers)).resolves.toEqual(before);
    await rows.last().getByRole('button', { name: `Remove rule ${count + 2}` }).click();
    await expect.poll(() => rows.count()).toBe(count + 1);
    await expect(summary.count()).resolves.toBe(0);

    // Moved up twice from the keyboard: focus follows the rule.
    await rows.last().getByRole('button', { name: `Move up rule ${count + 1}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '')).toContain('Online reports');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(`Move up rule ${count}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(`Move up rule ${count - 1}`);
    await expect(rows.nth(count - 2).locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Email', 'P3', 'Online reports']));

    await page.getByTestId('queue-rules-save').click();
    await page.locator('#queue-rules-notice').filter({ hasText: 'Queue rules saved.' }).waitFor();
    await expect.poll(() => page.getByTestId('queue-rules-unsaved').count()).toBe(0);
    const added = { queueId: online.id, channels: ['email'], categories: null, priorities: [3] };
    const expected = [...before.rules.slice(0, count - 2).map(shape), added, ...before.rules.slice(count - 2).map(shape)];
    const saved = await read(other.headers);
    expect(saved.rules.map(shape)).toEqual(expected);
    expect(saved.rules.map((r) => r.position)).toEqual(expected.map((_, i) => i + 1));
    expect(saved.rulesVersion).toBe(before.rulesVersion + 1);
    await expectNoAxeViolations(page);
    // Saving the list as saved records nothing, so it cannot refuse another admin's save.
    await page.getByTestId('queue-rules-save').click();
    await page.locator('#queue-rules-notice').filter({ hasText: 'Nothing to save: the rules are as saved.' }).waitFor();
    await expect(read(other.headers).then((q) => q.rulesVersion)).resolves.toBe(saved.rulesVersion);

    // This admin moves the new rule back down; meanwhile another admin puts a chat rule first.
    await rows.nth(count - 2).getByRole('button', { name: `Move down rule ${count - 1}` }).click();
    await page.getByTestId('queue-rules-unsaved').waitFor();
    const chatFirst = [{ queueId: general.id, channels: ['chat'] }, ...saved.rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) }))];
    const meanwhile = await suite.app.inject({ method: 'POST', url: '/api/queues/rules', headers: other.headers, payload: { rules: chatFirst, version: saved.rulesVersion } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);

    await page.getByTestId('queue-rules-save').click();
    await summary.filter({ hasText: /The list of queue rules was changed by someone else after you opened it: Sue Supervisor changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ }).waitFor();
    await expect(summary.textContent()).resolves.toContain(`You had version ${saved.rulesVersion}; it is now version ${saved.rulesVersion + 1}. Nothing was saved.`);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    const now = page.getByTestId('queue-rules-now');
    await expect(now.textContent()).resolves.toContain('Rule 1Live chat; Any category; Any priority: to General enquiries');
    // This admin's list is kept: no chat rule, the new rule back in its place.
    await expect(rows.count()).resolves.toBe(count + 1);
    await expect(rows.nth(count - 1).locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Email', 'P3', 'Online reports']));
    await page.getByTestId('queue-rules-unsaved').waitFor();
    await expectNoAxeViolations(page);
    await expect(read(other.headers).then((q) => q.rules.length)).resolves.toBe(count + 2);

    await page.getByRole('button', { name: 'Save my rules again' }).click();
    await page.locator('#queue-rules-notice').filter({ hasText: 'Queue rules saved.' }).waitFor();
    await expect.poll(() => page.getByTestId('queue-rules-now').count()).toBe(0);
    const again = await read(other.headers);
    expect(again.rules.map(shape)).toEqual([...before.rules.slice(0, count - 1).map(shape), added, ...before.rules.slice(count - 1).map(shape)]);
    expect(again.rulesVersion).toBe(saved.rulesVersion + 2);
    await expect.poll(() => page.getByRole('button', { name: 'Save rules' }).count()).toBe(1);
    await page.close();
  });

  it('shows-a-dispatcher-the-rules-with-no-control-and-no-link', async () => {
    const page = await suite.openConsole('dispatcher');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
    await page.goto(`${suite.base}/console/#/admin/queue-rules`);
    await page.getByRole('heading', { level: 1, name: 'Queue rules' }).waitFor();
    await page.getByTestId('queue-rule-row').first().waitFor();
    await page.getByTestId('queue-rules-read-only').waitFor();
    await expect(page.getByTestId('queue-rules-table').getByRole('button').count()).resolves.toBe(0);
    await expect(page.getByTestId('queue-rule-add').count()).resolves.toBe(0);
    await expect(page.getByTestId('queue-rules-save').count()).resolves.toBe(0);
    await expect(page.getByRole('navigation', { name: 'Administration' }).getByRole('link').allTextContents()).resolves.toEqual(['Queue rules']);
    await expectNoAxeViolations(page);
    await page.close();
  });

  // Rules stored before the save checked them (decision 0095): marked on opening, listed with
  // links, still routing; a save refused by the one left names it; fixed on the page, the list saves.
  it('marks-stored-rules-a-save-would-refuse-names-them-when-refused-and-saves-once-fixed-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'supervisor@demo.police.uk');
    const before = await read(other.headers);
    const general = before.queues.find((q) => q.key === 'general');
    if (!general) throw new Error('demo queues missing');
    const count = before.rules.length;
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .insertInto('queue_rules')
        .values([
          { id: newId(), force_id: suite.app.demoForceId, queue_id: general.id, position: count + 1, channels: ['fax'], categories: null, priorities: null },
          { id: newId(), force_id: suite.app.demoForceId, queue_id: general.id, position: count + 2, channels: null, categories: null, priorities: null },
        ])
        .execute(),
    );

    const page = await suite.openConsole('force_admin');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${suite.base}/console/#/admin/queue-rules`);
    const toFix = page.getByTestId('queue-rules-to-fix');
    await toFix.getByRole('heading', { name: '2 rules to fix' }).waitFor();
    await expect(toFix.textContent()).resolves.toContain(`Rule ${count + 2}: This rule must name at least one channel, category or priority.`);
    await expect(toFix.textContent()).resolves.toContain(`Rule ${count + 1}: Channel 1 is not a channel contacts come in on ("fax")`);
    const rows = page.getByTestId('queue-rule-row');
    await expect(rows.last().getByTestId('queue-rule-to-fix').textContent()).resolves.toBe(
      'To fix: This rule must name at least one channel, category or priority. Contacts are still routed by it.',
    );
    await toFix.getByRole('link', { name: `Rule ${count + 2}` }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(`queue-rule-${count + 1}`);
    await expectNoAxeViolations(page);

    // The channel rule removed, the list is still refused, by the rule naming nothing.
    await rows.nth(count).getByRole('button', { name: `Remove rule ${count + 1}` }).click();
    await toFix.getByRole('heading', { name: 'A rule to fix' }).waitFor();
    await page.getByTestId('queue-rules-save').click();
    await page.getByRole('alert').getByRole('link', { name: `Rule ${count + 1} must name at least one channel, category or priority` }).waitFor();
    await expect(read(other.headers).then((q) => q.rules.length)).resolves.toBe(count + 2);

    // Given a channel, the mark goes and the list saves.
    await rows.last().getByRole('button', { name: `Change rule ${count + 1}` }).click();
    const form = page.getByTestId('queue-rule-form');
    await form.getByRole('group', { name: 'Channels' }).getByLabel('Email').check();
    await form.getByRole('button', { name: 'Change it in the list' }).click();
    await expect.poll(() => toFix.count()).toBe(0);
    await expect(rows.last().getByTestId('queue-rule-to-fix').count()).resolves.toBe(0);
    await page.getByTestId('queue-rules-save').click();
    await page.locator('#queue-rules-notice').filter({ hasText: 'Queue rules saved.' }).waitFor();
    const saved = await read(other.headers);
    expect(saved.rules.map(shape)).toEqual([...before.rules.map(shape), { queueId: general.id, channels: ['email'], categories: null, priorities: null }]);
    await expectNoAxeViolations(page);
    await page.close();
  });
  // A rule stored with a category this console does not know (triage dropped it, or it was written
  // by a script): the page shows it, keeps it through a save of another rule's change (which the
  // server refuses by that rule, rather than the page saving the rule narrower), and drops it only
  // when the admin unticks it.
  it('keeps-a-stored-category-it-does-not-know-through-another-rule-s-change-and-drops-it-only-when-unticked-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'supervisor@demo.police.uk');
    const before = await read(other.headers);
    const general = before.queues.find((q) => q.key === 'general');
    if (!general) throw new Error('demo queues missing');
    const count = before.rules.length;
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .insertInto('queue_rules')
        .values({ id: newId(), force_id: suite.app.demoForceId, queue_id: general.id, position: count + 1, channels: null, categories: ['self_harm', 'lost_property'], priorities: null })
        .execute(),
    );
    const stored = { queueId: general.id, channels: null, categories: ['self_harm', 'lost_property'], priorities: null };

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/queue-rules`);
    const rows = page.getByTestId('queue-rule-row');
    await expect.poll(() => rows.count()).toBe(count + 1);
    await expect(rows.last().locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Self-harm, Unrecognised category: lost_property']));
    const toFix = page.getByTestId('queue-rules-to-fix');
    await expect(toFix.textContent()).resolves.toContain(`Rule ${count + 1}: Category 2 is not a triage category ("lost_property")`);

    // Another rule changed and the list saved: refused by the stored rule, which is kept as it was.
    await rows.first().getByRole('button', { name: 'Change rule 1' }).click();
    const form = page.getByTestId('queue-rule-form');
    await form.getByRole('group', { name: 'Priorities' }).getByLabel('P1').check();
    await form.getByRole('button', { name: 'Change it in the list' }).click();
    await page.getByTestId('queue-rules-save').click();
    await page.getByRole('alert').getByRole('link', { name: new RegExp(`^Category 2 of rule ${count + 1} is not a triage category \\("lost_property"\\)`) }).waitFor();
    await expect(rows.last().locator('td').allTextContents()).resolves.toEqual(expect.arrayContaining(['Self-harm, Unrecognised category: lost_property']));
    const kept = await read(other.headers);
    expect(kept.rules.map(shape)).toEqual([...before.rules.map(shape), stored]);
    expect(kept.rulesVersion).toBe(before.rulesVersion);
    await expectNoAxeViolations(page);

    // The admin sees it ticked in the rule's form and unticks it: now the list saves, with the rule for self-harm alone.
    await rows.last().getByRole('button', { name: `Change rule ${count + 1}` }).click();
    const unknown = form.getByRole('group', { name: 'Triage categories' }).getByLabel('Unrecognised category: lost_property');
    await expect(unknown.isChecked()).resolves.toBe(true);
    await expect(form.getByRole('group', { name: 'Triage categories' }).getByLabel('Self-harm').isChecked()).resolves.toBe(true);
    await expectNoAxeViolations(page);
    await unknown.uncheck();
    await form.getByRole('button', { name: 'Change it in the list' }).click();
    await expect.poll(() => toFix.count()).toBe(0);
    await page.getByTestId('queue-rules-save').click();
    await page.locator('#queue-rules-notice').filter({ hasText: 'Queue rules saved.' }).waitFor();
    const saved = await read(other.headers);
    const [first, ...rest] = before.rules.map(shape);
    if (!first) throw new Error('rules expected');
    expect(saved.rules.map(shape)).toEqual([{ ...first, priorities: [...(first.priorities ?? []), 1] }, ...rest, { ...stored, categories: ['self_harm'] }]);
    await page.close();
  });
});
