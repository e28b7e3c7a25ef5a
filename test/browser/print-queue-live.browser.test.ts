/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { StaffId } from '../../src/platform/ids.ts';
import { createCase } from '../../src/capabilities/cases/cases.service.ts';
import { queueWithDelivery } from '../outbox/outbox-kit.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads } from '../journeys/journey-kit.ts';

// Two members of staff at one printer, each with the print queue open (decision 0145): a letter
// the journey queues appears on both; one marked printed by one leaves the other's list; the
// letter one has open, taken by the other, stays on screen without its print layout, and a polite
// status names who took it and says not to post it, focus left where it was; a mark that crossed
// a colleague's is refused on the list, saying why. Each list says in one polite region what
// changed in it: a letter added, one taken by a colleague, never one's own mark; and a letter open
// at the printer turns "do not post" as its appointment is changed, before its withdrawal runs
// (decision 0156). Focus on the letter's print buttons, or on its link in the list, stays with the
// letter as it turns "do not post", and is said once (decision 0159).

describe('the print queue follows colleagues in a real browser', () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let caseId: string;
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp({ overrides: { clock } });
      // A second supervisor at the printer: a supervisor reads colleagues' names from the routing board.
      await addTestStaff(app, app.demoForceId, { email: 'printer@demo.police.uk', name: 'Pat Printer', role: 'supervisor', password: 'demo-password' });
      const investigator = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('staff').select('id').where('email', '=', 'investigator@demo.police.uk').executeTakeFirstOrThrow(),
      );
      caseId = (await createCase(app.deps, app.demoForceId, investigator.id as StaffId, { summary: 'Bicycle stolen from a shed' })).id;
      return app;
    },
  });

  /** A letter the journey writes, held in the print queue once its delivery runs. */
  const queueLetter = async (name: string) => {
    clock.advance(60_000);
    const id = await queueWithDelivery(suite.app, suite.app.demoForceId, [{ channel: 'letter', recipient: `${name}\n1 High Street\nDEMOTON\nDM1 2AB`, subject: 'Your case', body: `Dear ${name}` }], { caseId });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    return id;
  };
  const openQueue = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Print queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letters to print and post' }).waitFor();
  };
  /** The list's one polite region that says what changed in it. */
  const changes = (page: Page) => page.getByTestId('print-queue-changes');
  const listed = (page: Page) => page.getByTestId('print-queue-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id')));
  const markPrinted = async (page: Page, name: string) => {
    await page.getByRole('link', { name: `Open to print the letter to ${name}` }).click();
    await page.getByRole('heading', { level: 1, name: `Letter to ${name}` }).waitFor();
    await page.getByRole('button', { name: 'Mark printed and posted' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('letter-confirm');
    await page.getByRole('button', { name: 'Yes, mark printed and posted' }).click();
    await page.getByRole('status').filter({ hasText: `The letter to ${name} is marked printed and posted.` }).waitFor();
  };

  /**
   * A reminder of an appointment on 10 May, written as a letter to the victim's address (to `name`)
   * and held for print on the 9th, as the clock is left.
   */
  const reminderLetter = async (name: string) => {
    const { inForce, reminders } = reminderReads(() => suite.app, 'journey:appointment.reminder');
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(suite.app);
    await milestone(suite.app, victim.investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    const [reminder] = await reminders(victim.caseId);
    if (!reminder) throw new Error('no reminder queued');
    await inForce(async (tx) => {
      const { idempotency_key: key } = await tx.selectFrom('outbox').select('idempotency_key').where('id', '=', reminder.id).executeTakeFirstOrThrow();
      await tx.updateTable('case_people').set({ postal_lines: ['4 Bridge Street'], postal_town: 'Demoton', postal_postcode: 'DE1 1AA' }).where('id', '=', key.slice(key.lastIndexOf(':') + 1)).execute();
      await tx.updateTable('outbox').set({ channel: 'letter', recipient: `${name}\n4 Bridge Street\nDEMOTON\nDE1 1AA` }).where('id', '=', reminder.id).execute();
    });
    clock.set(new Date('2026-05-09T11:00:00Z'));
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    return { caseId: victim.caseId, letterId: reminder.id };
  };
  /** The investigator moves the case's appointment, through the API; no job runs, so its letter is still held. */
  const moveAppointment = async (caseId: string) => {
    const investigator = await signIn(suite.app, 'investigator@demo.police.uk');
    await milestone(suite.app, investigator, caseId, { type: 'appointment_changed', appointmentId: await appointmentIdOf(suite.app, investigator, caseId), at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
  };
  /** Whether the element is the one with keyboard focus. */
  const isFocused = (element: Element) => element === document.activeElement;
  /** The texts of the page's live regions that hold `text`: a change said once is in one. */
  const saidIn = (page: Page, text: string) =>
    page.locator('[aria-live], [role="status"], [role="alert"]').evaluateAll((regions, words) => regions.map((region) => region.textContent ?? '').filter((said) => said.includes(words)), text);

  it('shows letters queued and taken by a colleague, says who took the letter open, and refuses a crossed mark', async () => {
    const ann = await queueLetter('Ann Example');
    const bob = await queueLetter('Bob Example');
    const first = await suite.openConsole('printer@demo.police.uk', { timeoutMs: 15_000 });
    const second = await suite.openConsole('supervisor', { timeoutMs: 15_000 });
    for (const page of [first, second]) {
      await openQueue(page);
      await expect.poll(() => listed(page)).toEqual([ann, bob]);
    }

    // The journey writes another letter: both lists show it, neither reloaded, and each says so
    // in its one polite region, focus left where it was (decision 0156).
    const refresh = second.getByRole('button', { name: 'Refresh' });
    await refresh.focus();
    const cai = await queueLetter('Cai Example');
    for (const page of [first, second]) await expect.poll(() => listed(page)).toEqual([ann, bob, cai]);
    expect(await second.getByTestId('print-queue-meta').textContent()).toBe('3 letters waiting');
    for (const page of [first, second]) await expect.poll(() => changes(page).textContent()).toBe('1 letter added to the print queue.');
    expect(await changes(second).getAttribute('role')).toBe('status');
    expect(await changes(second).getAttribute('aria-live')).toBe('polite');
    expect(await second.locator('[aria-live]').evaluateAll((regions) => regions.filter((r) => r.closest('[data-testid="print-queue"]')).length)).toBe(0);

    // The first marks Bob's letter printed: it leaves the second's list, which says a colleague took it.
    await markPrinted(first, 'Bob Example');
    await expect.poll(() => listed(second)).toEqual([ann, cai]);
    expect(await second.getByTestId('print-queue-meta').textContent()).toBe('2 letters waiting');
    await expect.poll(() => changes(second).textContent()).toBe('1 letter taken by a colleague.');
    expect(await refresh.evaluate((el) => el === document.activeElement)).toBe(true);
    // The first's own mark is said once, by its own notice, never as a colleague's.
    await expect.poll(() => listed(first)).toEqual([ann, cai]);
    expect(await changes(first).textContent()).toBe('');
    await expectNoAxeViolations(second);

    // The second has Ann's letter open, at the printer; the first marks it printed.
    await second.getByRole('link', { name: 'Open to print the letter to Ann Example' }).click();
    await second.getByRole('heading', { level: 1, name: 'Letter to Ann Example' }).waitFor();
    const back = second.getByRole('link', { name: 'Back to the print queue' });
    await back.focus();
    await markPrinted(first, 'Ann Example');
    const taken = second.getByTestId('letter-taken');
    await expect.poll(() => taken.textContent()).toBe('Pat Printer marked the letter to Ann Example printed and posted. Do not print or post it again.');
    expect(await taken.getAttribute('role')).toBe('status');
    expect(await taken.getAttribute('aria-live')).toBe('polite');
    // Nothing left to print or mark; the letter's facts stay, and focus stays where it was.
    expect(await second.getByRole('button', { name: 'Print letter' }).count()).toBe(0);
    expect(await second.getByRole('button', { name: 'Mark printed and posted' }).count()).toBe(0);
    expect(await second.getByTestId('letter-sheet').count()).toBe(0);
    expect(await second.getByRole('heading', { level: 1 }).textContent()).toBe('Letter to Ann Example');
    expect(await back.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(second);

    // Back on the list, only Cai's is left. The second asks to mark it; the first's mark of it
    // lands in that moment, before its news reaches the second (made here in the database, so no
    // live message tells the second first): the second's mark is refused, and the list says why.
    await back.click();
    await second.getByRole('heading', { level: 1, name: 'Letters to print and post' }).waitFor();
    await expect.poll(() => listed(second)).toEqual([cai]);
    await second.getByRole('link', { name: 'Open to print the letter to Cai Example' }).click();
    await second.getByRole('button', { name: 'Mark printed and posted' }).click();
    await expect.poll(() => second.evaluate(() => document.activeElement?.id)).toBe('letter-confirm');
    await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.updateTable('outbox').set({ status: 'delivered', delivered_at: clock.now() }).where('id', '=', cai).execute());
    await second.getByRole('button', { name: 'Yes, mark printed and posted' }).click();
    const problem = second.getByRole('alert').filter({ hasText: 'There is a problem' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('The letter to Cai Example was not marked printed. This letter was already marked printed and posted. Do not post it again.');
    await second.getByText('No letters are waiting to be printed.').waitFor();
    await expectNoAxeViolations(second);
    await first.close();
    await second.close();
  });

  it('turns an open letter to "do not post" the moment its appointment is changed, before its withdrawal runs', async () => {
    const { reminders } = reminderReads(() => suite.app, 'journey:appointment.reminder');
    const victim = await reminderLetter('Vic Example');

    const page = await suite.openConsole('supervisor', { timeoutMs: 15_000 });
    await openQueue(page);
    await page.getByRole('link', { name: 'Open to print the letter to Vic Example' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letter to Vic Example' }).waitFor();
    const back = page.getByRole('link', { name: 'Back to the print queue' });
    await back.focus();

    // The investigator moves the appointment; no job runs, so the letter is still held.
    await moveAppointment(victim.caseId);
    await page.getByRole('heading', { level: 2, name: 'Do not post this letter' }).waitFor();
    const notice = page.getByTestId('letter-taken');
    await expect
      .poll(() => notice.textContent())
      .toBe('The letter to Vic Example must not be posted now: the appointment was changed; a reminder of the new time replaces this one. Do not print or post it.');
    expect(await page.getByRole('button', { name: 'Mark printed and posted' }).count()).toBe(0);
    expect(await back.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['held']);
    await expectNoAxeViolations(page);

    // Back on the list, the letter is shown not to be posted.
    await back.click();
    await page.getByRole('link', { name: 'View, do not post the letter to Vic Example' }).waitFor();
    await page.close();
  });

  it('keeps focus on a letter as it turns "do not post", on its page and in the list, and says it once', async () => {
    const vic = await reminderLetter('Vic Example');
    const wyn = await reminderLetter('Wyn Example');
    const page = await suite.openConsole('supervisor', { timeoutMs: 15_000 });
    await openQueue(page);
    await expect.poll(() => listed(page)).toEqual(expect.arrayContaining([vic.letterId, wyn.letterId]));

    // In the list: focus on Wyn's link stays on it as it becomes "View, do not post", and the list says so once.
    await page.getByRole('link', { name: 'Open to print the letter to Wyn Example' }).focus();
    await moveAppointment(wyn.caseId);
    const viewWyn = page.getByRole('link', { name: 'View, do not post the letter to Wyn Example' });
    await viewWyn.waitFor();
    expect(await viewWyn.evaluate(isFocused)).toBe(true);
    await expect.poll(() => changes(page).textContent()).toBe('1 letter must no longer be posted.');
    expect(await saidIn(page, 'no longer be posted')).toEqual(['1 letter must no longer be posted.']);
    await expectNoAxeViolations(page);

    // On Vic's page, at "Mark printed and posted": the button goes as the letter turns "do not
    // post", and focus goes to what replaced it, not to the page's body; the polite status alone says why.
    await page.getByRole('link', { name: 'Open to print the letter to Vic Example' }).click();
    await page.getByRole('heading', { level: 1, name: 'Letter to Vic Example' }).waitFor();
    await page.getByRole('button', { name: 'Mark printed and posted' }).focus();
    await moveAppointment(vic.caseId);
    const doNotPost = page.getByRole('heading', { level: 2, name: 'Do not post this letter' });
    await doNotPost.waitFor();
    expect(await page.getByRole('button', { name: 'Mark printed and posted' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
    expect(await doNotPost.evaluate(isFocused)).toBe(true);
    const said = 'The letter to Vic Example must not be posted now: the appointment was changed; a reminder of the new time replaces this one. Do not print or post it.';
    await expect.poll(() => page.getByTestId('letter-taken').textContent()).toBe(said);
    expect(await saidIn(page, 'must not be posted')).toEqual([said]);
    await expectNoAxeViolations(page);

    // Its withdrawal runs: the letter leaves the queue, "Do not post" with it; focus goes to the letter's heading.
    while (((await suite.app.runner?.runDue()) ?? 0) > 0);
    await expect.poll(() => page.getByTestId('letter-taken').textContent()).toBe('The letter to Vic Example was withdrawn and must not be posted. Its case says why.');
    expect(await doNotPost.count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1, name: 'Letter to Vic Example' }).evaluate(isFocused)).toBe(true);
    await expectNoAxeViolations(page);
    await page.close();
  });

  it('moves focus from a letter that leaves the list to the next, the one before when it was last, and the heading when none is left', async () => {
    const dee = await queueLetter('Dee Example');
    const eve = await queueLetter('Eve Example');
    const fay = await queueLetter('Fay Example');
    const page = await suite.openConsole('supervisor', { timeoutMs: 15_000 });
    await openQueue(page);
    await expect.poll(() => listed(page)).toEqual([dee, eve, fay]);
    // A colleague at the printer, through the API, as their console would.
    const printer = await signIn(suite.app, 'printer@demo.police.uk');
    const take = async (id: string, how: 'printed' | 'withdrawn') => {
      const url = how === 'printed' ? `/api/outbox/letters/${id}/printed` : `/api/outbox/${id}/withdraw`;
      const response = await suite.app.inject({ method: 'POST', url, headers: printer.headers, ...(how === 'withdrawn' ? { payload: { reason: 'Address is wrong' } } : {}) });
      expect(response.statusCode, response.body).toBeLessThan(300);
    };
    const openLink = (name: string) => page.getByRole('link', { name: `Open to print the letter to ${name}` });

    // Eve's, in the middle, has focus and is marked printed by the colleague: focus goes to the next, Fay's.
    await openLink('Eve Example').focus();
    await take(eve, 'printed');
    await expect.poll(() => listed(page)).toEqual([dee, fay]);
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
    expect(await openLink('Fay Example').evaluate(isFocused)).toBe(true);
    // Said once, by the list's polite region; the move itself says only the link's name.
    await expect.poll(() => changes(page).textContent()).toBe('1 letter taken by a colleague.');
    expect(await saidIn(page, 'taken by a colleague')).toEqual(['1 letter taken by a colleague.']);
    await expectNoAxeViolations(page);

    // Fay's, now the last, is withdrawn by the colleague: focus goes to the one before, Dee's.
    await take(fay, 'withdrawn');
    await expect.poll(() => listed(page)).toEqual([dee]);
    expect(await openLink('Dee Example').evaluate(isFocused)).toBe(true);

    // Dee's, the only one, is marked printed: with no letter left, focus goes to the list's heading.
    await take(dee, 'printed');
    await page.getByText('No letters are waiting to be printed.').waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'Letters to print and post' }).evaluate(isFocused)).toBe(true);
    await expect.poll(() => saidIn(page, 'taken by a colleague')).toHaveLength(1);
    await expectNoAxeViolations(page);

    // Focus the person put elsewhere is left there as a letter leaves.
    const gil = await queueLetter('Gil Example');
    await queueLetter('Hal Example');
    const refresh = page.getByRole('button', { name: 'Refresh' });
    await expect.poll(() => listed(page)).toHaveLength(2);
    await refresh.focus();
    await take(gil, 'printed');
    await expect.poll(() => listed(page)).toHaveLength(1);
    expect(await refresh.evaluate(isFocused)).toBe(true);
    await page.close();
  });
});
