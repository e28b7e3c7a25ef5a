/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestApp } from '../helpers.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type AxeViolation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** Runs axe on the page as it is now and fails with a readable list if anything is wrong. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // evaluate() runs outside the page's Content-Security-Policy, which rightly forbids injected scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target) }));
  });
  expect(violations, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * axe needs JavaScript; a page seen with JavaScript off is audited by loading the same URL, with
 * the same cookies, in a second context that has it on.
 */
export async function auditWithoutJavaScript(browser: Browser, page: Page, url = page.url()): Promise<void> {
  const context = await browser.newContext();
  try {
    await context.addCookies(await page.context().cookies());
    const auditor = await context.newPage();
    await auditor.goto(url);
    await expectNoAxeViolations(auditor);
  } finally {
    await context.close();
  }
}


/** How Chromium runs here: headless, no sandbox (root in CI), and no calls home. */
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** The dispatcher's map needs WebGL; with no GPU, Chromium's software renderer provides it. */
export const MAP_ARGS = [...BROWSER_ARGS, '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/**
 * Puts a test app on a local port and launches Chromium: the browser and the address the app
 * answers on. The caller closes both.
 */
export async function serveToBrowser(app: TestApp, args: readonly string[] = BROWSER_ARGS): Promise<{ browser: Browser; base: string }> {
  const http = app.http;
  if (!http) throw new Error('the test app has no HTTP server');
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, timeout: 30_000, args: [...args] });
  return { browser, base };
}

/** A new page signed in to the console as a demo account, once its live feed is connected. */
export async function signInToConsole(browser: Browser, base: string, email: string, timeoutMs = 20_000): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeoutMs);
  await page.goto(`${base}/console/`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill('demo-password');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor();
  return page;
}
