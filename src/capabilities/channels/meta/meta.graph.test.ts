import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../../test/channels/meta-kit.ts';
import { graphSendError } from './meta.graph.ts';

describe('Graph API errors', () => {
  it('are permanent for a refusal, retried for throttling, transient errors and 5xx', () => {
    const refused = graphSendError(400, { error: { message: '(#100) The parameter recipient is required', type: 'OAuthException', code: 100 } });
    expect(refused.isPermanent).toBe(true);
    expect(refused.message).toBe('Meta answered 400 (code 100): (#100) The parameter recipient is required');
    // Outside Meta's messaging window: said as staff can act on it, for good.
    const tooLate = graphSendError(400, fixtureJson('graph-error-outside-window.json'));
    expect(tooLate.isPermanent).toBe(true);
    expect(tooLate.message).toMatch(/^Not delivered: Meta’s messaging window had closed \(Meta error 10\/2018278\); the person last wrote more than 24 hours ago \(7 days/);
    // Code 10 alone is a permission refusal, not the window.
    expect(graphSendError(400, { error: { message: '(#10) Application does not have permission for this action', code: 10 } }).message).toBe(
      'Meta answered 400 (code 10): (#10) Application does not have permission for this action',
    );
    expect(graphSendError(400, fixtureJson('graph-error-rate-limit.json')).isPermanent).toBe(false);
    expect(graphSendError(500, fixtureJson('graph-error-transient.json')).isPermanent).toBe(false);
    expect(graphSendError(400, { error: { message: 'Business use case limit', code: 80006 } }).isPermanent).toBe(false);
    expect(graphSendError(429, null).isPermanent).toBe(false);
    expect(graphSendError(503, '<html>').message).toBe('Meta answered 503: no error message');
  });
});
