import { describe, expect, it } from 'vitest';
import { routableUrl } from './server.ts';

describe('routableUrl', () => {
  it('leaves every address the router can take as it is, query included', () => {
    for (const url of ['/', '/api/contacts', '/api/contacts/0f8fad5b-d9cb-469f-a165-70867728950e?x=%E0', '/help/how%20to%20report', '/report/details?lang=cy', `/api/templates/${'k'.repeat(200)}`]) {
      expect(routableUrl(url)).toBe(url);
    }
  });

  it('sends a malformed escape or an over-long segment to a path no route has, under the same first segment and with the same query', () => {
    expect(routableUrl('/api/contacts/%E0%A4%A')).toBe('/api/-unroutable-');
    expect(routableUrl('/api/contacts/%ED%A0%80/replies?x=1')).toBe('/api/-unroutable-?x=1');
    expect(routableUrl('/help/%E0%A4%A?lang=cy')).toBe('/help/-unroutable-?lang=cy');
    expect(routableUrl(`/webhooks/${'w'.repeat(201)}`)).toBe('/webhooks/-unroutable-');
    expect(routableUrl('/help/%zz')).toBe('/help/-unroutable-');
    expect(routableUrl('/%E0')).toBe('/-unroutable-');
  });

  it('leaves a request line that is not a path to the router', () => {
    expect(routableUrl('*')).toBe('*');
  });
});
