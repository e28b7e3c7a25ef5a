/// <reference lib="dom" />
// A template's preview in Administration is signed with the previewing force's own name, never the
// demo force's, in English and in Welsh.
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveToBrowser, signInToConsole } from './browser-kit.ts';
import { createDemoLikeForce, createTestApp, type TestApp } from '../helpers.ts';

describe("a template's preview in a real browser", () => {
  let app: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    ({ browser, base } = await serveToBrowser(app));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("fills {{forceName}} with the admin's own force, in both languages", async () => {
    const { emailOf } = await createDemoLikeForce(app);
    const page = await signInToConsole(browser, base, emailOf('admin@demo.police.uk'));
    await page.goto(`${base}/console/#/admin/templates`);
    for (const locale of ['en', 'cy']) {
      const form = page.locator(`[data-key="case.allocated"] [data-locale="${locale}"]`);
      await expect(form.getByLabel('Message').inputValue()).resolves.toContain('{{forceName}}');
      await form.getByTestId('template-preview').click();
      const preview = form.getByTestId('template-preview-result');
      await preview.waitFor();
      await expect(preview.textContent()).resolves.toContain('Demo-like Constabulary 1');
      await expect(preview.textContent()).resolves.not.toContain('Demo Constabulary');
    }
    await page.close();
  });
});
