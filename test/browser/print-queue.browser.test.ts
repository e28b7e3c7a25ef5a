/// <reference lib="dom" />
import { type Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads } from '../journeys/journey-kit.ts';

// The print queue in the console: letters waiting to be printed and posted, oldest first; one
// opened to print (the address where a window envelope shows it, the text as text), marked printed
// and posted; one that must not be posted withdrawn instead; and the server's refusal of a letter
// whose news changed after the list was read said on the list, without the letter.

const MINUTE_MS = 60_000;
const CANCELLED = 'the appointment was cancelled';
const MM_PX = 96 / 25.4;

describe('the print queue in a real browser', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  const { inForce, reminders, giveUpWithdrawal } = reminderReads(() => suite.app, 'journey:appointment.reminder');
  const outboxRow = (id: string) => inForce((tx) => tx.selectFrom('outbox').select(['status', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow());

  /**
   * A victim whose reminder of an appointment on 10 May is queued (the row is made a letter, to the
   * victim's postal address, kept on their row as a letter's address must be) a minute after the
   * last one's.
   */
  const reminderToBeLetter = async (name: string, street: string, postcode: string, body?: string) => {
    const address = `${name}\n${street}\nDEMOTON\n${postcode}`;
    clock.advance(MINUTE_MS);
    const victim = await portalOnlyVictim(suite.app);
    await milestone(suite.app, victim.investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await suite.app.runner?.runDue();
    const [reminder] = await reminders(victim.caseId);
    if (!reminder) throw new Error('no reminder queued');
    await inForce(async (tx) => {
      const { idempotency_key: key } = await tx.selectFrom('outbox').select('idempotency_key').where('id', '=', reminder.id).executeTakeFirstOrThrow();
      const postal = { postal_lines: [street], postal_town: 'Demoton', postal_postcode: postcode };
      await tx.updateTable('case_people').set(postal).where('id', '=', key.slice(key.lastIndexOf(':') + 1)).execute();
      await tx
        .updateTable('outbox')
        .set({ channel: 'letter', recipient: address, ...(body === undefined ? {} : { body }) })
        .where('id', '=', reminder.id)
        .execute();
    });
    return { ...victim, letterId: reminder.id };
  };

  it('lists letters oldest first, prints one, withdraws one that must not be posted, and says why one changed since was not printed', async () => {
    // Text from the public reaches letters: it is shown as written, never as markup.
    const posted = await reminderToBeLetter('Rhian Example', '4 Bridge Street', 'DM1 2AB', 'Dear Rhian,\n\nYour appointment <b>is not bold</b> & stands.\n\nDemo Police');
    const cancelled = await reminderToBeLetter('Sam Other', '9 Mill Lane', 'DM1 3CD');
    const changedSince = await reminderToBeLetter('Alex Third', '12 High Street', 'DM1 4EF');
    // The day before the appointment, their deliveries hold them for print.
    clock.set(new Date('2026-05-09T11:00:00Z'));
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    for (const letter of [posted, cancelled, changedSince]) expect(await outboxRow(letter.letterId)).toEqual({ status: 'held', last_error: 'letter: print queue' });
    // Then the second's appointment is cancelled and its withdrawal given up: it waits, not to be posted.
    const staff = await signIn(suite.app, 'investigator@demo.police.uk');
    await milestone(suite.app, staff, cancelled.caseId, { type: 'appointment_cancelled', appointmentId: await appointmentIdOf(suite.app, staff, cancelled.caseId) });
    await giveUpWithdrawal(cancelled.caseId);
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);

    // Someone without cases:read is not offered the queue.
    const handlerPage = await suite.openConsole('call_handler', { timeoutMs: 15_000 });
    await handlerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).waitFor();
    expect(await handlerPage.getByRole('link', { name: 'Print queue' }).count()).toBe(0);
    await handlerPage.close();

    const page = await suite.openConsole('investigator', { timeoutMs: 15_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Print queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letters to print and post' }).waitFor();
    const rows = page.getByTestId('print-queue-row');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual([posted.letterId, cancelled.letterId, changedSince.letterId]);
    expect(await page.getByTestId('print-queue-meta').textContent()).toBe('3 letters waiting, 1 not to be posted');
    const first = rows.first();
    expect(await first.getByRole('cell').nth(2).textContent()).toContain('Appointment reminder');
    expect(await first.getByRole('cell').nth(0).textContent()).toMatch(/^(\d+ (day|hour)s?|under an hour) since /);
    // The case link reads as the case's reference, as staff know it.
    const caseLink = first.getByRole('link', { name: /^DEMO-C-\d{4}-\d{6} \(the case of the letter to Rhian Example\)$/ });
    expect(await caseLink.getAttribute('href')).toBe(`#/cases/${posted.caseId}`);
    const notToPost = rows.filter({ has: page.getByTestId('do-not-post') });
    expect(await notToPost.getAttribute('data-id')).toBe(cancelled.letterId);
    expect(await notToPost.getByTestId('do-not-post').textContent()).toBe(`Do not post: ${CANCELLED}.`);
    await expectNoAxeViolations(page);

    // The first letter, opened to print: address for the window, the text as text.
    await page.getByRole('link', { name: 'Open to print the letter to Rhian Example' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letter to Rhian Example' }).waitFor();
    expect(await page.getByTestId('letter-address').innerText()).toBe('Rhian Example\n4 Bridge Street\nDEMOTON\nDM1 2AB');
    expect(await page.getByTestId('letter-body').textContent()).toBe('Dear Rhian,\n\nYour appointment <b>is not bold</b> & stands.\n\nDemo Police');
    expect(await page.getByTestId('letter-sheet').locator('b').count()).toBe(0);
    await expectNoAxeViolations(page);
    // On paper: the sheet alone, its address 20 mm in and 50 mm down, where a window envelope shows it.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Mark printed and posted' }).isVisible()).toBe(false);
    const sheet = await page.getByTestId('letter-sheet').boundingBox();
    const address = await page.getByTestId('letter-address').boundingBox();
    if (!sheet || !address) throw new Error('the letter is not laid out');
    expect(Math.round((address.x - sheet.x) / MM_PX)).toBe(20);
    expect(Math.round((address.y - sheet.y) / MM_PX)).toBe(50);
    await page.emulateMedia({ media: 'screen' });

    // Marked printed and posted, once confirmed.
    await page.getByRole('button', { name: 'Mark printed and posted' }).click();
    const question = page.getByRole('group', { name: 'Has this letter been printed and put in the post?' });
    await question.waitFor();
    expect(await question.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page);
    // Put away, the question gives focus back to the button that asked it; asked again, answered.
    await question.getByRole('button', { name: 'Cancel' }).click();
    const markButton = page.getByRole('button', { name: 'Mark printed and posted' });
    await expect.poll(() => markButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await markButton.click();
    await question.getByRole('button', { name: 'Yes, mark printed and posted' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letters to print and post' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'The letter to Rhian Example is marked printed and posted.' }).waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    expect((await outboxRow(posted.letterId)).status).toBe('delivered');

    // The letter not to be posted: no print layout, only withdrawn.
    await page.getByRole('link', { name: 'View, do not post the letter to Sam Other' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letter to Sam Other' }).waitFor();
    expect(await page.getByTestId('do-not-post').textContent()).toContain(CANCELLED);
    expect(await page.getByRole('button', { name: 'Print letter' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Mark printed and posted' }).count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Withdraw, do not post' }).click();
    await page.getByRole('group', { name: 'Withdraw the letter to Sam Other?' }).getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.getByRole('status').filter({ hasText: 'The letter to Sam Other is withdrawn and will not be posted.' }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await outboxRow(cancelled.letterId)).toEqual({ status: 'suppressed', last_error: `Not posted: ${CANCELLED}` });

    // By keyboard: the last letter opened; its appointment is cancelled while it is on screen.
    await page.getByRole('link', { name: 'Open to print the letter to Alex Third' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Letter to Alex Third' }).waitFor();
    // The screen has not read the list again since (the cancellation may make it, through the live
    // feed, and the letter would then say "do not post" before it is marked): its reads are held
    // until the mark has been refused.
    const heldReads: Route[] = [];
    await page.route('**/api/outbox/letters', (route) => (route.request().method() === 'GET' ? void heldReads.push(route) : route.continue()));
    await milestone(suite.app, staff, changedSince.caseId, { type: 'appointment_cancelled', appointmentId: await appointmentIdOf(suite.app, staff, changedSince.caseId) });
    await page.getByRole('button', { name: 'Mark printed and posted' }).focus();
    await page.keyboard.press('Enter');
    // The question takes focus once it is shown; only then is its answer chosen (else that focus lands after, on the question).
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('letter-confirm');
    await page.getByRole('button', { name: 'Yes, mark printed and posted' }).focus();
    await page.keyboard.press('Enter');
    // The server's 409 is said on the list, and the letter is gone from it.
    const problem = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`The letter to Alex Third was not marked printed. This letter must not be posted: ${CANCELLED}. It has been withdrawn.`);
    for (const route of heldReads.splice(0)) await route.continue();
    await page.unroute('**/api/outbox/letters');
    await page.getByText('No letters are waiting to be printed.').waitFor();
    expect(await rows.count()).toBe(0);
    expect(await outboxRow(changedSince.letterId)).toEqual({ status: 'suppressed', last_error: CANCELLED });
    await expectNoAxeViolations(page);
    await page.close();
  });
});
