/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Two routing admins with the same queue, or the same channel targets, open: the one who saves
// second is told, in the error summary, who changed it and when; sees it as it is now; keeps what
// they entered; and replaces the other's change only by saving again (decision 0084).

type Queue = { id: string; key: string; sla: Record<string, { firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number }>; warnAtPercent: number; version: number };

describe('queues and channel targets changed by someone else in a real browser', () => {
  const suite = startBrowserSuite();

  const general = async (headers: Record<string, string>) => {
    const queue = (await suite.app.inject({ method: 'GET', url: '/api/queues', headers })).json<{ queues: Queue[] }>().queues.find((q) => q.key === 'general');
    if (!queue) throw new Error('no general queue');
    return queue;
  };
  const storedTargets = (channel: 'chat' | 'sms') =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('channel_sla_targets').select(['first_response_minutes', 'next_response_minutes']).where('channel', '=', channel).executeTakeFirst(),
    );

  it('shows-another-admin-s-change-to-a-queue-and-its-channel-targets-keeps-this-admin-s-and-saves-only-when-saved-again-with-no-axe-violations', async () => {
    const other = await signIn(suite.app, 'supervisor@demo.police.uk');
    const opened = await general(other.headers);

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/queues`);
    const row = page.locator('[data-testid="queue-admin-row"][data-queue-key="general"]');
    await row.getByTestId('queue-edit').click();
    const form = page.getByTestId('queue-form');
    await form.getByLabel('First response for priority 1, in minutes').waitFor();
    const chatFirst = page.getByLabel('Web chat first response target, in minutes');
    await expect.poll(async () => chatFirst.inputValue()).toBe('2');

    // While this admin has the page open, another admin changes the queue's priority-1 first
    // response and warning point, and the web chat targets.
    const sla = { ...opened.sla, '1': { ...opened.sla['1'], firstResponseMinutes: 4 } };
    const meanwhile = await suite.app.inject({ method: 'POST', url: `/api/queues/${opened.id}`, headers: other.headers, payload: { sla, warnAtPercent: 60, version: opened.version } });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);
    const targetsMeanwhile = await suite.app.inject({ method: 'PUT', url: '/api/channel-sla-targets', headers: other.headers, payload: { chat: { firstResponseMinutes: 1, nextResponseMinutes: 2 }, version: 1 } });
    expect(targetsMeanwhile.statusCode, targetsMeanwhile.body).toBe(200);

    // This admin changes priority 1's first response too, and priority 2's next response: refused, nothing saved.
    await form.getByLabel('First response for priority 1, in minutes').fill('3');
    await form.getByLabel('Next response for priority 2, in minutes').fill('45');
    await form.getByTestId('queue-save').click();
    const summary = form.getByRole('alert');
    await summary.filter({ hasText: /The queue “General enquiries” was changed by someone else after you opened it: Sue Supervisor changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ }).waitFor();
    await expect(summary.textContent()).resolves.toContain(`You had version ${opened.version}; it is now version ${opened.version + 1}. Nothing was saved.`);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    await expect(general(other.headers)).resolves.toMatchObject({ warnAtPercent: 60, version: opened.version + 1, sla: { '1': { firstResponseMinutes: 4 }, '2': { nextResponseMinutes: opened.sla['2']?.nextResponseMinutes } } });

    // The queue as it is now; the box both changed is named and linked, keeping this admin's value;
    // the warning point this admin left alone takes the other's.
    await expect(form.getByTestId('queue-now').textContent()).resolves.toContain('first response 4 min');
    const clash = summary.getByRole('link', { name: 'First response for priority 1 is now “4 minutes”; the form keeps yours, “3 minutes”. Save again to put yours over it, or change it.' });
    await clash.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('queue-1-firstResponseMinutes');
    await expect(form.getByLabel('First response for priority 1, in minutes').inputValue()).resolves.toBe('3');
    await expect(form.getByLabel('Next response for priority 2, in minutes').inputValue()).resolves.toBe('45');
    await expect(form.getByLabel('Warn at (percentage of the target used)').inputValue()).resolves.toBe('60');
    await expectNoAxeViolations(page);

    await form.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByText('Targets of General enquiries saved. New clocks use them.').waitFor();
    await expect(general(other.headers)).resolves.toMatchObject({ warnAtPercent: 60, version: opened.version + 2, sla: { '1': { firstResponseMinutes: 3 }, '2': { nextResponseMinutes: 45 } } });

    // The channel targets, opened before the other admin's save: refused the same way.
    await page.getByLabel('Text message first response target, in minutes').fill('20');
    await chatFirst.fill('5');
    await page.getByTestId('channel-targets-save').click();
    const targets = page.getByTestId('channel-targets');
    const targetsSummary = targets.getByRole('alert');
    await targetsSummary.filter({ hasText: /The list of response targets by channel was changed by someone else after you opened it: Sue Supervisor changed it/ }).waitFor();
    await expect(targets.getByTestId('channel-targets-now').textContent()).resolves.toContain('first response 1 min, next response 2 min');
    await targetsSummary.getByRole('link', { name: /^Web chat first response target is now “1 minute”; the form keeps yours, “5 minutes”/ }).waitFor();
    await expect(storedTargets('sms')).resolves.toMatchObject({ first_response_minutes: 30 });
    await expect(page.getByLabel('Web chat next response target, in minutes').inputValue()).resolves.toBe('2');
    await expectNoAxeViolations(page);
    await targets.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByText('Channel targets saved. New clocks use them.').waitFor();
    await expect(storedTargets('chat')).resolves.toEqual({ first_response_minutes: 5, next_response_minutes: 2 });
    await expect(storedTargets('sms')).resolves.toMatchObject({ first_response_minutes: 20 });
    await expect.poll(() => targets.getByTestId('channel-targets-now').count()).toBe(0);
    await page.close();
  });
});
