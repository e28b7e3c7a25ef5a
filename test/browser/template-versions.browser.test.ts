/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Two force admins with the same message text open: the one who saves second is told, in the
// error summary, who saved it and when; sees the text as it is now, as text; keeps what they
// typed; and replaces the other's text only by saving again (decision 0082).

describe('message templates changed by someone else in a real browser', () => {
  const suite = startBrowserSuite();

  const welshAllocated = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .selectFrom('message_templates')
        .select(['subject', 'body', 'version'])
        .where('key', '=', 'case.allocated')
        .where('channel', '=', 'email')
        .where('locale', '=', 'cy')
        .executeTakeFirstOrThrow(),
    );

  it('shows-another-admin-s-save-keeps-what-this-admin-typed-and-saves-only-when-saved-again-with-no-axe-violations', async () => {
    await addTestStaff(suite.app, suite.app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    const other = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const opened = await welshAllocated();

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/templates`);
    const form = page.locator('[data-key="case.allocated"] [data-locale="cy"]');
    await form.getByLabel('Message').waitFor();
    await expectNoAxeViolations(page);

    // While this admin has the page open, another admin saves a new Welsh subject and text (with markup, shown as text).
    const meanwhile = await suite.app.inject({
      method: 'POST',
      url: '/api/templates/case.allocated',
      headers: other.headers,
      payload: { locale: 'cy', subject: 'Pwnc newydd Bea', body: 'Testun Bea <b>trwm</b> {{caseReference}}', version: opened.version },
    });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);

    // This admin changes the text only, and saves: refused, nothing saved.
    const mine = 'Testun Ada. Cyfeirnod {{caseReference}}';
    await form.getByLabel('Message').fill(mine);
    await form.getByTestId('template-save').click();
    const summary = form.getByRole('alert');
    await summary.filter({ hasText: /The Welsh email “.+” was changed by someone else after you opened it: Bea Second changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ }).waitFor();
    await expect(summary.textContent()).resolves.toContain(`You had version ${opened.version}; it is now version ${opened.version + 1}. Nothing was saved.`);
    await expect(welshAllocated()).resolves.toEqual({ subject: 'Pwnc newydd Bea', body: 'Testun Bea <b>trwm</b> {{caseReference}}', version: opened.version + 1 });
    // The summary takes focus, as the GOV.UK pattern has it.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');

    // The text as it is now, as text: the other admin's markup is shown, never made into HTML.
    const now = form.getByTestId('template-now');
    await expect(now.textContent()).resolves.toContain('Pwnc newydd Bea');
    await expect(now.textContent()).resolves.toContain('Testun Bea <b>trwm</b> {{caseReference}}');
    await expect(now.locator('b').count()).resolves.toBe(0);
    await expect(now.locator('dd').first().getAttribute('lang')).resolves.toBe('cy');

    // Both changed the text: named and linked to it, with this admin's kept. The subject this admin left alone takes the other's.
    const clash = summary.getByRole('link', { name: /^Message was changed too/ });
    await clash.click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('template-case-allocated-cy-body');
    await expect(form.getByLabel('Message').inputValue()).resolves.toBe(mine);
    await expect(form.getByLabel('Subject').inputValue()).resolves.toBe('Pwnc newydd Bea');
    await expectNoAxeViolations(page);

    // Saved again, this admin's text goes over the text as it is now, keeping the other's subject.
    await form.getByRole('button', { name: 'Save my Welsh text again' }).click();
    await page.getByRole('status').filter({ hasText: 'Welsh (Cymraeg) “' }).waitFor();
    await expect(welshAllocated()).resolves.toEqual({ subject: 'Pwnc newydd Bea', body: mine, version: opened.version + 2 });
    await expect.poll(() => form.getByTestId('template-now').count()).toBe(0);

    // Saved once more from the same form: made from the version it saved, so not refused as someone else's.
    await form.getByLabel('Message').fill(`${mine} Diolch.`);
    await form.getByTestId('template-save').click();
    await expect.poll(async () => (await welshAllocated()).version).toBe(opened.version + 3);
    await expect(form.getByRole('alert').count()).resolves.toBe(0);
    await page.close();
  });
});
