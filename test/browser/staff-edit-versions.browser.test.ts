/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { addTestStaff, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// A force admin with a colleague's role, skills and capacity open while a supervisor changes their
// skills and another admin their role: each save is told, in the error summary, who changed it and
// when; shows it as it is now; keeps what this admin entered; and replaces the other's change only
// by saving again (decision 0085).

describe('staff changed by someone else in a real browser', () => {
  const suite = startBrowserSuite();

  const handlerNow = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx
        .selectFrom('staff as s')
        .innerJoin('staff_routing as r', 'r.staff_id', 's.id')
        .select(['s.id', 's.role', 's.role_version', 'r.skills', 'r.capacity', 'r.profile_version'])
        .where('s.email', '=', 'handler@demo.police.uk')
        .executeTakeFirstOrThrow(),
    );

  it('shows-a-supervisor-s-and-another-admin-s-change-keeps-this-admin-s-and-saves-only-when-saved-again-with-no-axe-violations', async () => {
    await addTestStaff(suite.app, suite.app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    const secondAdmin = await signIn(suite.app, 'second.admin@demo.police.uk', 'second-password');
    const supervisor = await signIn(suite.app, 'supervisor@demo.police.uk');
    const opened = await handlerNow();

    const page = await suite.openConsole('force_admin');
    await page.goto(`${suite.base}/console/#/admin/staff`);
    await page.locator(`[data-testid="staff-row"][data-staff-id="${opened.id}"]`).getByTestId('staff-edit').click();
    const profile = page.getByRole('form', { name: 'Skills and capacity of Sam Handler' });
    await profile.getByLabel('Chat').waitFor();
    await expectNoAxeViolations(page);

    // While this admin has the editor open, the supervisor, from their board, gives Sam Welsh
    // instead of domestic abuse and sets chat and call capacities.
    const board = await suite.app.inject({ method: 'GET', url: '/api/routing/board', headers: supervisor.headers });
    const version = board.json<{ staff: { id: string; profileVersion: number }[] }>().staff.find((s) => s.id === opened.id)?.profileVersion;
    expect(version).toBe(opened.profile_version);
    const meanwhile = await suite.app.inject({
      method: 'POST',
      url: `/api/routing/staff/${opened.id}/profile`,
      headers: supervisor.headers,
      payload: { skills: ['control_room', 'welsh'], capacity: { chat: 4, call: 2 }, version },
    });
    expect(meanwhile.statusCode, meanwhile.body).toBe(200);

    // This admin adds BSL and sets chat to 3, and saves: refused, nothing saved.
    await profile.getByLabel('BSL').check();
    await profile.getByLabel('Chat').fill('3');
    await profile.getByTestId('staff-profile-submit').click();
    const summary = profile.getByRole('alert');
    await summary
      .filter({ hasText: /Sam Handler's routing profile was changed by someone else after you opened it: Sue Supervisor changed it on \w+ \d+ \w+ \d{4} at \d\d:\d\d\./ })
      .waitFor();
    await expect(summary.textContent()).resolves.toContain(`You had version ${opened.profile_version}; it is now version ${opened.profile_version + 1}. Nothing was saved.`);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('alert');
    const afterSupervisor = await handlerNow();
    expect(afterSupervisor).toMatchObject({ skills: ['control_room', 'welsh'], capacity: { chat: 4, call: 2 }, profile_version: opened.profile_version + 1 });

    // Their skills and capacity as they are now, in words.
    const now = profile.getByTestId('staff-profile-now');
    await expect(now.textContent()).resolves.toContain('Control room, Welsh speaker');
    await expect(now.textContent()).resolves.toContain('Capacity for chat4');

    // Both changed the skills and chat: named and linked, with this admin's kept. Call, which this admin left alone, takes the supervisor's.
    await summary.getByRole('link', { name: /^Skills are now “Control room, Welsh speaker”; the form keeps yours, “BSL, Control room, Domestic abuse trained”/ }).waitFor();
    await summary.getByRole('link', { name: /^Capacity for chat is now “4”; the form keeps yours, “3”/ }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('staff-edit-capacity-chat');
    await expect(profile.getByLabel('Chat').inputValue()).resolves.toBe('3');
    await expect(profile.getByLabel('Call').inputValue()).resolves.toBe('2');
    await expect(profile.getByLabel('BSL').isChecked()).resolves.toBe(true);
    await expect(profile.getByLabel('Domestic abuse trained').isChecked()).resolves.toBe(true);
    await expectNoAxeViolations(page);

    // Saved again, this admin's change goes over the profile as it is now, keeping the supervisor's call capacity.
    await profile.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByRole('status').filter({ hasText: "Sam Handler's skills and capacity are saved." }).waitFor();
    await expect(handlerNow()).resolves.toMatchObject({
      skills: ['bsl', 'control_room', 'domestic_abuse'],
      capacity: { chat: 3, call: 2 },
      profile_version: opened.profile_version + 2,
    });
    await expect.poll(() => profile.getByTestId('staff-profile-now').count()).toBe(0);

    // The role: another admin makes Sam a digital desk operator while this admin chooses supervisor.
    const roleChange = await suite.app.inject({
      method: 'POST',
      url: `/api/staff/${opened.id}/role`,
      headers: secondAdmin.headers,
      payload: { role: 'digital_desk_operator', version: opened.role_version },
    });
    expect(roleChange.statusCode, roleChange.body).toBe(200);
    const roleForm = page.getByRole('form', { name: 'Role of Sam Handler' });
    await roleForm.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await roleForm.getByTestId('staff-role-submit').click();
    const roleSummary = roleForm.getByRole('alert');
    await roleSummary.filter({ hasText: /Sam Handler's role was changed by someone else after you opened it: Bea Second changed it on / }).waitFor();
    await expect(roleSummary.textContent()).resolves.toContain('Their role was not changed.');
    await expect(roleForm.getByTestId('staff-role-now').textContent()).resolves.toContain('Digital desk operator');
    await roleSummary.getByRole('link', { name: /^Role is now “Digital desk operator”; the form keeps yours, “Supervisor”/ }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('staff-edit-role');
    expect((await handlerNow()).role).toBe('digital_desk_operator');
    await expectNoAxeViolations(page);

    await roleForm.getByRole('button', { name: 'Save my change again' }).click();
    await page.getByRole('status').filter({ hasText: 'Sam Handler is now supervisor.' }).waitFor();
    await expect(handlerNow()).resolves.toMatchObject({ role: 'supervisor', role_version: opened.role_version + 2 });
    await page.close();
  });
});
