import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../../test/channels/meta-kit.ts';
import { graphSendError } from './meta.graph.ts';

describe('Graph API errors', () => {
  it('are permanent for a refusal, retried for throttling, transient errors and 5xx', () => {
    const refused = graphSendError(400, fixtureJson('graph-error-outside-window.json'));
    expect(refused.isPermanent).toBe(true);
    expect(refused.message).toBe(
      'Meta answered 400 (code 10/2018278): (#10) This message is sent outside of allowed window. ' +
        'Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
    );
    expect(graphSendError(400, fixtureJson('graph-error-rate-limit.json')).isPermanent).toBe(false);
    expect(graphSendError(500, fixtureJson('graph-error-transient.json')).isPermanent).toBe(false);
    expect(graphSendError(400, { error: { message: 'Business use case limit', code: 80006 } }).isPermanent).toBe(false);
    expect(graphSendError(429, null).isPermanent).toBe(false);
    expect(graphSendError(503, '<html>').message).toBe('Meta answered 503: no error message');
  });
});
