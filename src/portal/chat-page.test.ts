import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';

describe('the portal chat page', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('opens the demo chat, with Exit this page and a no-JavaScript path, in English and Welsh', async () => {
    const page = await app.inject({ method: 'GET', url: '/chat' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script src="/chat/widget.js" data-widget-key="demo-chat" data-lang="en" async></script>');
    expect(page.body).toContain('govuk-exit-this-page');
    expect(page.body).toMatch(/<noscript>[\s\S]*101[\s\S]*<\/noscript>/);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const welsh = await app.inject({ method: 'GET', url: '/chat?lang=cy' });
    expect(welsh.body).toContain('Sgwrsio â ni ar-lein');
    expect(welsh.body).toContain('data-lang="cy"');
    expect(welsh.headers['set-cookie']).toBeDefined();
  });

  it('is linked from the start page, in English and Welsh', async () => {
    const start = await app.inject({ method: 'GET', url: '/' });
    expect(start.statusCode).toBe(200);
    expect(start.body).toMatch(/<a class="govuk-link" href="\/chat" data-testid="chat-link">Chat online with a member of our staff<\/a>/);
    const welsh = await app.inject({ method: 'GET', url: '/?lang=cy' });
    expect(welsh.body).toContain('Sgwrsio ar-lein ag aelod o’n staff');
  });
});
