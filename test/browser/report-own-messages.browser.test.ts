/// <reference lib="dom" />
// The reporter's own messages on the report page (decision 0186), in a real browser without
// JavaScript: the report's words and a later message, each dated by when it was sent where
// believed, as a <time datetime> in UK time, oldest first among the force's replies, in English and
// Welsh; hostile text shown as text and never run. Each view is audited with axe.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, submitPublicReport } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { StaffId } from '../../src/platform/ids.ts';
import { replyToContact } from '../../src/capabilities/contacts/contact-replies.service.ts';
import { formatDateTime } from '../../src/portal/i18n.ts';

describe("the reporter's own messages on the report page, in a real browser", () => {
  const start = new Date('2026-06-01T09:00:00Z');
  const clock = fixedClock(start);
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  it('shows-what-the-reporter-sent-oldest-first-dated-and-as-text-in-english-and-welsh', async () => {
    const { app } = suite;
    clock.set(start);
    const marker = randomUUID();
    const words = `${marker} <img src=x onerror="window.pwned=1"> someone took my <b>bike</b>`;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: words,
      where: 'Library, Demoton',
      when: 'Yesterday',
      name: 'Rep Orter',
      email: `own.messages.browser.${randomUUID()}@example.org`,
    });
    clock.set(at(10));
    const staff = await withSystem(app.database.db, (tx) => tx.selectFrom('staff').select('id').where('email', '=', 'desk@demo.police.uk').executeTakeFirstOrThrow());
    await replyToContact(app.deps, app.demoForceId, report.contactId, staff.id as StaffId, `${marker} reply`);
    // A later message by email from the reporter (decision 0195), sent before the reply was written though it reached us after it.
    const laterSent = at(5);
    const later = `${marker} later <script>window.pwned=2</script>`;
    await withForce(app.database.db, app.demoForceId, async (tx) =>
      tx
        .insertInto('messages')
        .values({
          id: randomUUID(),
          force_id: app.demoForceId,
          contact_id: report.contactId,
          direction: 'inbound',
          channel: 'email',
          body: later,
          provider_message_id: `<${randomUUID()}@example.org>`,
          author_staff_id: null,
          created_at: at(20),
          sent_at: laterSent,
          delivery_status: null,
          meta: JSON.stringify({}),
          sender_person_id: (await tx.selectFrom('contacts').select('person_id').where('id', '=', report.contactId).executeTakeFirstOrThrow()).person_id,
        })
        .execute(),
    );

    clock.set(at(21));
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${suite.base}/check`);
      await page.getByLabel('Reference number').fill(report.reference);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.waitForURL(/\/check\/code/);
      const mail = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
      );
      await page.getByLabel('Code').fill(/is (\d{6})/.exec(mail.body)?.[1] ?? '');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/check\/report/);

      const titles = { en: ['What you told us', 'You sent a message'], cy: ['Yr hyn a ddywedoch wrthym', 'Fe wnaethoch anfon neges'] };
      for (const lang of ['en', 'cy'] as const) {
        await page.goto(`${suite.base}/check/report?lang=${lang}`);
        const sent = page.locator('[data-testid="timeline-item"][data-kind="sent"]');
        await expect.poll(() => sent.count()).toBe(2);
        // The report's words, then the later message: shown as typed, never as markup.
        expect(await sent.nth(0).locator('.bl-timeline__text').textContent()).toBe(words);
        expect(await sent.nth(0).locator('h3').textContent()).toContain(titles[lang][0]);
        expect(await sent.nth(0).locator('time').getAttribute('datetime')).toBe(start.toISOString());
        expect(await sent.nth(0).locator('time').textContent()).toBe(formatDateTime(lang, start));
        expect(await sent.nth(1).locator('.bl-timeline__text').textContent()).toBe(later);
        expect(await sent.nth(1).locator('h3').textContent()).toContain(titles[lang][1]);
        expect(await sent.nth(1).locator('time').getAttribute('datetime')).toBe(laterSent.toISOString());
        expect(await sent.nth(1).locator('time').textContent()).toBe(formatDateTime(lang, laterSent));
        // Oldest first: the later message, sent before the reply was written, stands before it.
        const kinds = await page.locator('[data-testid="timeline-item"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
        expect(kinds).toEqual(['sent', 'received', 'sent', 'reply']);
        expect(await page.locator('.bl-timeline img, .bl-timeline b, .bl-timeline script').count()).toBe(0);
        await auditWithoutJavaScript(suite.browser, page);
      }
    } finally {
      await context.close();
    }
  });
});
