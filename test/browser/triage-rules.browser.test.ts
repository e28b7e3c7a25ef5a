/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';

// The triage rules screen names each category in the words the queue rules page uses for it (one
// labelling for the console): "Self-harm", not "Self harm"; a match tried in the box is named the same.

describe('the triage rules screen in a real browser', () => {
  const suite = startBrowserSuite();

  it('names-categories-as-the-queue-rules-page-does-with-no-axe-violations', async () => {
    const page = await suite.openConsole('supervisor');
    await page.goto(`${suite.base}/console/#/admin/rules`);
    await page.getByRole('heading', { level: 1, name: 'Triage rules' }).waitFor();
    const category = page.getByLabel('Category 1', { exact: true });
    await category.waitFor();
    const offered = await category.locator('option').allTextContents();
    expect(offered).toEqual(expect.arrayContaining(['Weapons', 'Threat to life', 'Self-harm', 'Domestic abuse', 'Child at risk', 'Sexual offence']));
    expect(offered).not.toContain('Self harm');

    await page.getByLabel('Message', { exact: true }).fill('He said he will kill me and I want to hurt myself');
    await page.getByRole('button', { name: 'Score' }).click();
    const result = page.getByTestId('triage-result');
    await result.waitFor();
    const titles = await result.locator('mark').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('title') ?? ''));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.join('\n')).toMatch(/\((Threat to life|Self-harm)\)/);
    expect(titles.join('\n')).not.toMatch(/\((Threat_to_life|self_harm|Self harm)\)/);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
