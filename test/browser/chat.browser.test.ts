/// <reference lib="dom" />
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { describe, expect, it } from 'vitest';
import { createTestApp, signIn } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { chatChannel } from '../../src/capabilities/channels/chat/chat.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';

describe('chat widget in a real browser', () => {
  let site: ReturnType<typeof createServer>;
  let siteBase = '';

  const suite = startBrowserSuite({
    app: async (onClose) => {
      site = createServer((req, res) => {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          // A strict force site: no inline anything, only its own origin and Bluelamp.
          'content-security-policy': `default-src 'self'; script-src 'self' ${suite.base}; connect-src 'self' ${suite.base} ${suite.base.replace('http', 'ws')}; style-src 'self'`,
        });
        res.end(`<!DOCTYPE html><html lang="cy"><head><title>Heddlu</title></head><body><main><h1>Force site</h1><p>Hello</p></main><script src="${suite.base}/chat/widget.js" data-widget-key="demo-chat" async></script></body></html>`);
      });
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      onClose(() => site.close());
      siteBase = `http://localhost:${(site.address() as AddressInfo).port}`;
      const app = await createTestApp({ env: { WORKER_POLL_MS: '100' }, overrides: { startWorker: true } });
      await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, chatChannel as AnyChannelAdapter, {
        label: 'Demo website chat',
        config: { widgetKey: 'demo-chat', allowedOrigins: [siteBase], welcomeMessage: 'Hello from the demo force.' },
        actor: { type: 'system', id: null },
      });
      return app;
    },
  });

  it('chats on the portal page under its CSP, accessibly, with hostile text shown as text', async () => {
    const page = await suite.browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${suite.base}/chat`);
    const start = page.getByRole('button', { name: 'Start a chat' });
    await start.waitFor();
    await expectNoAxeViolations(page);
    await start.click();
    const input = page.getByLabel('Your message');
    await expect.poll(() => input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await page.getByText('Hello from the demo force.').waitFor();
    const hostile = '<img src=x onerror="window.pwned=1">';
    await input.fill(hostile);
    await input.press('Enter');
    await page.getByText(/Received\. Reference DEMO-\d{4}-\d{6}/).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.getByText(hostile, { exact: true }).count()).toBe(1);
    await expectNoAxeViolations(page);

    // The operator replies; it shows up live.
    const row = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) => tx.selectFrom('messages').select('contact_id').where('body', '=', hostile).executeTakeFirstOrThrow());
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    await suite.app.inject({ method: 'POST', url: `/api/contacts/${row.contact_id}/replies`, headers: handler.headers, payload: { body: 'We are looking into it <b>now</b>.' } });
    await page.getByText('We are looking into it <b>now</b>.', { exact: true }).waitFor({ timeout: 10_000 });

    // Escape closes and gives focus back to the launcher.
    await input.press('Escape');
    await expect.poll(() => page.getByLabel('Your message').isVisible()).toBe(false);
    const focused = await page.evaluate(() => {
      const host = document.querySelector('[data-bluelamp-chat]');
      return host?.shadowRoot?.activeElement?.textContent ?? null;
    });
    expect(focused).toBe('Chat with us');

    // A reload keeps the conversation (same tab, sessionStorage).
    await page.reload();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await page.getByText('We are looking into it <b>now</b>.', { exact: true }).waitFor();
    expect(problems.filter((p) => /Content.Security.Policy|Refused/i.test(p))).toEqual([]);
    await page.close();
  });

  it('works embedded on an allowed force site, in Welsh, under a strict CSP', async () => {
    const page = await suite.browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${siteBase}/`);
    await page.getByRole('button', { name: 'Sgwrsio â ni' }).click();
    const input = page.getByLabel('Eich neges');
    await input.fill('Helo, mae rhywun wedi dwyn fy meic');
    await page.getByRole('button', { name: 'Anfon' }).click();
    await page.getByText(/Wedi dod i law\. Cyfeirnod DEMO-/).waitFor({ timeout: 10_000 });
    expect(problems.filter((p) => /Content.Security.Policy|Refused/i.test(p))).toEqual([]);
    const launcherStyle = await page.evaluate(() => {
      const button = document.querySelector('[data-bluelamp-chat]')?.shadowRoot?.querySelector('.launcher');
      return button ? getComputedStyle(button).position : null;
    });
    expect(launcherStyle).toBe('fixed');
    await page.close();
  });
});
