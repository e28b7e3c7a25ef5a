import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { renderPortalError } from './portal-pages.ts';
import { messagesFor } from './i18n.ts';

describe('the page for a 503 (the database is briefly unreachable)', () => {
  const englishDetail = 'The service is briefly unavailable. Please try again in a few moments.';

  it('says to wait and try again, in English', () => {
    const html = renderPortalError({ query: {} } as unknown as FastifyRequest, 503);
    expect(html).toContain(messagesFor('en').errorPages.unavailableTitle);
    expect(html).toContain('call 999');
  });

  it('says-it-in-welsh-without-english-detail', () => {
    const html = renderPortalError({ query: { lang: 'cy' } } as unknown as FastifyRequest, 503);
    expect(html).toContain('lang="cy"');
    expect(html).toContain(messagesFor('cy').errorPages.unavailableTitle);
    expect(html).not.toContain(englishDetail);
  });
});
