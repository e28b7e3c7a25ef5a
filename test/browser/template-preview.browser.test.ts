/// <reference lib="dom" />
// A template's preview in Administration is signed with the previewing force's own name, never the
// demo force's, in English and in Welsh.
import { describe, expect, it } from 'vitest';
import { signInToConsole, startBrowserSuite } from './browser-kit.ts';
import { createDemoLikeForce } from '../helpers.ts';

describe("a template's preview in a real browser", () => {
  const suite = startBrowserSuite();

  it("fills {{forceName}} with the admin's own force, in both languages", async () => {
    const { emailOf } = await createDemoLikeForce(suite.app);
    const page = await signInToConsole(suite.browser, suite.base, emailOf('admin@demo.police.uk'));
    await page.goto(`${suite.base}/console/#/admin/templates`);
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
