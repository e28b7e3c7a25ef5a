/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { DEMO_ACCOUNTS } from '../../src/capabilities/admin/forces.service.ts';
import type { StaffRole } from '../../src/platform/auth/permissions.ts';
import { casePageReads } from '../portal-visitor.ts';

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

/** What a new console page may need before it signs in. */
export type ConsoleOptions = {
  /** Its default timeout for actions and waits: 20 s unless given. */
  timeoutMs?: number;
  /** Runs on the blank page before it goes to the console, to watch what it does from the start. */
  beforeSignIn?: (page: Page) => void;
};

/** A new page signed in to the console as a demo account, once its live feed is connected. */
export async function signInToConsole(browser: Browser, base: string, email: string, options: ConsoleOptions = {}): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 20_000);
  options.beforeSignIn?.(page);
  await page.goto(`${base}/console/`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill('demo-password');
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('live-status').filter({ hasText: /live/i }).waitFor();
  return page;
}

/** Who a console page signs in as: the demo account that holds a role, or anyone by their email address. */
export type StaffMember = StaffRole | `${string}@${string}`;

function emailOf(who: StaffMember): string {
  if (who.includes('@')) return who;
  const account = DEMO_ACCOUNTS.find((demo) => demo.role === who);
  if (!account) throw new Error(`no demo account holds the role "${who}"`);
  return account.email;
}

/** A test file's app, served to Chromium; read only inside tests and hooks, once it has started. */
export type BrowserSuite = {
  readonly app: TestApp;
  readonly browser: Browser;
  /** The address the app answers on, such as http://127.0.0.1:41234. */
  readonly base: string;
  /** A new page signed in to the console as `who`, once its live feed is connected. */
  openConsole(who: StaffMember, options?: ConsoleOptions): Promise<Page>;
};

/**
 * Starts a test file's app (with its database and force) and Chromium before its tests, and closes
 * both after them: the browser first, then the app, then whatever the app's start registered
 * with `onClose` (stand-ins the app talks to), last first. Call it once, at the top of a describe.
 */
export function startBrowserSuite(
  options: {
    /** Builds the app; `createTestApp()` unless given. */
    app?: (onClose: (close: () => unknown) => void) => Promise<TestApp>;
    /** Chromium's switches: BROWSER_ARGS unless given (MAP_ARGS for the dispatcher's map). */
    args?: readonly string[];
  } = {},
): BrowserSuite {
  let started: { app: TestApp; browser?: Browser; base?: string } | undefined;
  const closers: (() => unknown)[] = [];
  const running = () => {
    if (!started?.browser || started.base === undefined) throw new Error('the browser suite has not started: read it inside a test or hook');
    return { app: started.app, browser: started.browser, base: started.base };
  };
  beforeAll(async () => {
    const app = await (options.app ?? (() => createTestApp()))((close) => closers.push(close));
    started = { app };
    Object.assign(started, await serveToBrowser(app, options.args));
  });
  afterAll(async () => {
    try {
      await started?.browser?.close();
      await started?.app.close();
    } finally {
      for (const close of closers.reverse()) await close();
    }
  });
  return {
    get app() {
      return running().app;
    },
    get browser() {
      return running().browser;
    },
    get base() {
      return running().base;
    },
    openConsole(who, consoleOptions) {
      const { browser, base } = running();
      return signInToConsole(browser, base, emailOf(who), consoleOptions);
    },
  };
}

/**
 * Signs `page` in to a victim's case page in English, as a victim does: the case's reference, then
 * the code emailed for it. Ends on the case page.
 */
export async function signInToCasePage(page: Page, suite: Pick<BrowserSuite, 'app' | 'base'>, theCase: { id: string; reference: string }): Promise<void> {
  await page.goto(`${suite.base}/check?lang=en`);
  await page.getByLabel('Reference number').fill(theCase.reference);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.waitForURL(`${suite.base}/check/code`);
  await page.getByLabel('Code').fill(await casePageReads(() => suite.app).latestCode(theCase.id));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${suite.base}/check/case`);
}
