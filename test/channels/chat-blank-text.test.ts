import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasVisibleText } from '../../src/platform/visible-text.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

// Live chat takes a visitor's text through the one check of text a reader would see
// (src/platform/visible-text.ts), and its widget is served that check rather than keeping its own:
// a message of only spaces and zero-width characters is not sent, to be refused by the server.

describe('blank text in live chat', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('serves-the-widget-the-servers-own-test-of-visible-text', async () => {
    const response = await app.inject({ method: 'GET', url: '/chat/widget.js' });
    expect(response.statusCode).toBe(200);
    const served = /var VISIBLE = (\/.+\/u);/.exec(response.body)?.[1];
    expect(served, 'the widget is served a VISIBLE pattern').toBeDefined();
    const visible = new RegExp(served?.slice(1, -2) ?? '', 'u');
    for (const text of ['\u200b \u200d\u200e\ufeff\u2060', '\u00a0\u3000', '', 'Someone is outside', '\u200bHelp']) {
      expect(visible.test(text), JSON.stringify(text)).toBe(hasVisibleText(text));
    }
    // The widget no longer asks only whether the trimmed text is empty.
    expect(response.body).not.toMatch(/if \(!text\) \{/);
  });
});
