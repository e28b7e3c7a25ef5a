/// <reference lib="dom" />
// What the chat widget does when things go wrong, in a real browser against a real server: the
// force closes the chat mid-conversation, the same conversation is opened in more windows than a
// session may hold, and a message too large for a frame. In each the visitor is told plainly and
// keeps what they wrote.
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { createTestApp, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { CHAT_RECHECK_MS } from '../../src/capabilities/channels/chat/chat.routes.ts';
import { SOCKETS_PER_SESSION } from '../../src/capabilities/channels/chat/chat.limits.ts';

describe('chat widget failures in a real browser', () => {
  const clock = fixedClock(new Date());

  const suite = startBrowserSuite({ app: () => createTestApp({ overrides: { clock } }) });

  const storedBodies = () =>
    withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('body').where('direction', '=', 'inbound').orderBy('created_at').execute(),
    ).then((rows) => rows.map((row) => row.body));

  /** Opens the portal's chat page and starts a chat; returns the page and its message box. */
  async function startChat(page: Page) {
    await page.goto(`${suite.base}/chat`);
    await page.getByRole('button', { name: 'Start a chat' }).click();
    return page.getByLabel('Your message');
  }

  async function send(page: Page, text: string) {
    const input = page.getByLabel('Your message');
    await input.fill(text);
    await input.press('Enter');
  }

  async function setChatEnabled(isEnabled: boolean) {
    const admin = await signIn(suite.app, 'admin@demo.police.uk');
    const listed = await suite.app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers });
    const { accounts } = listed.json<{ accounts: { id: string; channel: string }[] }>();
    const chat = accounts.find((account) => account.channel === 'chat');
    if (!chat) throw new Error('the demo force has no chat');
    const updated = await suite.app.inject({ method: 'POST', url: `/api/channels/${chat.id}`, headers: admin.headers, payload: { isEnabled } });
    expect(updated.statusCode).toBe(200);
    // Open sockets trust what they last read of the chat for a few seconds.
    clock.advance(CHAT_RECHECK_MS);
  }

  it('says the chat is closed when the force closes it mid-conversation, and keeps the unsent text', async () => {
    const page = await suite.browser.newPage();
    try {
      const input = await startChat(page);
      await send(page, 'Someone keeps trying my car door');
      await page.getByText(/Received\. Reference DEMO-/).waitFor({ timeout: 10_000 });

      await setChatEnabled(false);
      await send(page, 'They are back again tonight');
      await page.getByText('Not sent. It is back in the message box to send again.').waitFor({ timeout: 10_000 });
      await page.getByText('The chat is not available at the moment. Call 101, or 999 in an emergency.').waitFor();
      expect(await input.inputValue()).toBe('They are back again tonight');
      // The notice and the kept text are as accessible as the chat itself.
      await expectNoAxeViolations(page);

      // Sending again while closed keeps the text where it is and says so again; nothing is stored.
      await input.press('Enter');
      expect(await input.inputValue()).toBe('They are back again tonight');
      expect(await page.getByText('Sending', { exact: true }).count()).toBe(0);
      expect(await storedBodies()).toEqual(['Someone keeps trying my car door']);
    } finally {
      await setChatEnabled(true);
      await page.close();
    }
  });

  it('tells a window its conversation was taken over elsewhere, and sending there takes it back', async () => {
    const first = await suite.browser.newPage();
    const others: Page[] = [];
    try {
      await startChat(first);
      await send(first, 'First window');
      await first.getByText(/Received\. Reference DEMO-/).waitFor({ timeout: 10_000 });
      // The tab's stored conversation, as a duplicated tab (or a restored session) would carry it.
      const stored = await first.evaluate(() => {
        const key = Object.keys(sessionStorage).find((name) => name.startsWith('bluelamp-chat:'));
        return key ? [key, sessionStorage.getItem(key) ?? ''] : null;
      });
      expect(stored).not.toBeNull();
      for (let i = 0; i < SOCKETS_PER_SESSION; i += 1) {
        const other = await suite.browser.newPage();
        others.push(other);
        await other.addInitScript(([key, value]) => sessionStorage.setItem(key, value), stored as [string, string]);
        await other.goto(`${suite.base}/chat`);
        // A conversation under way reconnects at once: its history shows without opening the panel.
        await other.getByRole('button', { name: 'Chat with us' }).click();
        await other.getByText('First window', { exact: true }).waitFor({ timeout: 10_000 });
      }
      await first.getByText('This chat is open in another window. Send a message to carry on here.').waitFor({ timeout: 10_000 });
      await expectNoAxeViolations(first);

      await send(first, 'Back in the first window');
      await first.getByText(/Received\. Reference DEMO-/).nth(1).waitFor({ timeout: 10_000 });
      const mine = (await storedBodies()).filter((body) => body === 'First window' || body === 'Back in the first window');
      expect(mine).toEqual(['First window', 'Back in the first window']);
    } finally {
      for (const page of [first, ...others]) await page.close();
    }
  });

  it('gives back a message too large to send instead of dropping it', async () => {
    const page = await suite.browser.newPage();
    try {
      const input = await startChat(page);
      // Within the box's 5,000 characters, but control characters are six bytes each in a frame.
      const oversized = `Help${'\u0001'.repeat(4000)}`;
      await input.evaluate((box, text) => {
        (box as HTMLTextAreaElement).value = text;
      }, oversized);
      await input.press('Enter');
      await page.getByText('Not sent: the message is too long. It is back in the message box to shorten and send again.').waitFor({ timeout: 10_000 });
      expect(await input.inputValue()).toBe(oversized);
      await expectNoAxeViolations(page);
    } finally {
      await page.close();
    }
  });
});
