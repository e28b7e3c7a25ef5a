/// <reference lib="dom" />
// When each message was sent, on the public's own views of a conversation (decision 0180): the
// case page (without JavaScript) and the chat widget (its history, and a line the visitor has just
// sent, dated from the server's acknowledgement), each as a <time datetime> in UK time, GOV.UK
// style, with Welsh month names in Welsh. The time is the sender's where believed, else when the
// message reached us. Each view is audited with axe.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { auditWithoutJavaScript, expectNoAxeViolations, signInToCasePage, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn, submitPublicReport } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { chatChannel } from '../../src/capabilities/channels/chat/chat.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { formatDateTime } from '../../src/portal/i18n.ts';

describe('message times on the public pages, in a real browser', () => {
  const suite = startBrowserSuite({
    app: async () => {
      const app = await createTestApp({ env: { WORKER_POLL_MS: '100' }, overrides: { startWorker: true } });
      await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, chatChannel as AnyChannelAdapter, {
        label: 'Demo website chat',
        config: { widgetKey: 'demo-chat', allowedOrigins: ['https://force.example.org'], welcomeMessage: 'Croeso.' },
        actor: { type: 'system', id: null },
      });
      return app;
    },
  });

  /** A stored message's id and the times it holds, by its words. */
  const storedMessage = (body: string) =>
    withSystem(suite.app.database.db, (tx) => tx.selectFrom('messages').select(['id', 'contact_id', 'created_at', 'sent_at']).where('body', '=', body).executeTakeFirstOrThrow());

  it('shows-when-each-message-was-sent-on-the-case-page-without-javascript-in-english-and-welsh', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const report = await submitPublicReport(suite.app.deps, suite.app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: 'My garden shed was broken into',
      where: '9 Mill Lane',
      when: 'Last night',
      name: 'Ceri Victim',
      email: `times.${randomUUID()}@example.org`,
    });
    const created = await suite.app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await signInToCasePage(page, suite, theCase);
      const words = `A neighbour saw someone <b>run</b> ${randomUUID()}`;
      await page.getByLabel('Your message').fill(words);
      await page.getByRole('button', { name: 'Send message' }).click();
      await page.waitForURL(/\/check\/case/);
      // Its sender's time, believed, an hour and a quarter before it reached us.
      const stored = await storedMessage(words);
      const sentAt = new Date(stored.created_at.getTime() - 75 * 60 * 1000);
      await withSystem(suite.app.database.db, (tx) => sql`update messages set sent_at = ${sentAt} where id = ${stored.id}`.execute(tx));

      for (const lang of ['en', 'cy'] as const) {
        await page.goto(`${suite.base}/check/case?lang=${lang}`);
        const entry = page.locator('[data-testid="case-update"][data-kind="sent"]', { hasText: words });
        await expect.poll(() => entry.count()).toBe(1);
        const time = entry.locator('time');
        expect(await time.getAttribute('datetime')).toBe(sentAt.toISOString());
        expect(await time.textContent()).toBe(formatDateTime(lang, sentAt));
        await auditWithoutJavaScript(suite.browser, page);
      }
    } finally {
      await context.close();
    }
  });

  it('shows-when-each-message-was-sent-in-the-chat-widget-once-acknowledged-and-in-its-history-in-welsh', async () => {
    const page = await suite.browser.newPage();
    try {
      await page.goto(`${suite.base}/chat?lang=cy`);
      await page.locator('[data-bluelamp-chat-open]').click();
      const input = page.getByLabel('Eich neges');
      const words = `Mae rhywun <img src=x onerror="window.pwned=1"> ${randomUUID()}`;
      /** The <time> of the widget's entry holding `text`: its datetime and its words. */
      const timeOf = (text: string) =>
        page.evaluate((wanted) => {
          const root = document.querySelector('[data-bluelamp-chat]')?.shadowRoot;
          const entry = [...(root?.querySelectorAll('.entry') ?? [])].find((node) => node.querySelector('.body')?.textContent === wanted);
          const time = entry?.querySelector('time');
          return time ? { datetime: time.getAttribute('datetime'), text: time.textContent } : null;
        }, text);
      await input.fill(words);
      await input.press('Enter');
      await page.getByText(/Wedi dod i law\. Cyfeirnod DEMO-/).waitFor({ timeout: 10_000 });
      const mine = await storedMessage(words);
      const mineAt = mine.sent_at ?? mine.created_at;
      // The line just sent is dated from its acknowledgement, with no reload.
      expect(await timeOf(words)).toEqual({ datetime: mineAt.toISOString(), text: formatDateTime('cy', mineAt) });
      await expectNoAxeViolations(page);
      const handler = await signIn(suite.app, 'handler@demo.police.uk');
      const reply = `Diolch, rydym yn edrych <b>arno</b> ${randomUUID()}`;
      await suite.app.inject({ method: 'POST', url: `/api/contacts/${mine.contact_id}/replies`, headers: handler.headers, payload: { body: reply } });
      await page.getByText(reply, { exact: true }).waitFor({ timeout: 10_000 });
      const theirs = await storedMessage(reply);

      // A reply pushed live carries its time.
      await expect.poll(() => timeOf(reply)).toEqual({ datetime: theirs.created_at.toISOString(), text: formatDateTime('cy', theirs.created_at) });

      // The history, read again after a reload, dates each line: the visitor's by when they sent it.
      await page.reload();
      await page.locator('[data-bluelamp-chat-open]').click();
      await page.getByText(reply, { exact: true }).waitFor({ timeout: 10_000 });
      await expect.poll(() => timeOf(words)).toEqual({ datetime: mineAt.toISOString(), text: formatDateTime('cy', mineAt) });
      expect(await timeOf(reply)).toEqual({ datetime: theirs.created_at.toISOString(), text: formatDateTime('cy', theirs.created_at) });
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.getByText(words, { exact: true }).count()).toBe(1);
      await expectNoAxeViolations(page);
    } finally {
      await page.close();
    }
  });
});
