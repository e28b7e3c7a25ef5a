import { describe, expect, it } from 'vitest';
import { endingEventOf, portalSignInState } from './portal-sign-in.machine.ts';

describe('a portal sign-in', () => {
  const now = new Date('2026-06-01T09:00:00Z');

  it('is-held-only-while-its-row-stands-and-its-end-has-not-come', () => {
    expect(portalSignInState({ expires_at: new Date('2026-06-01T09:00:01Z') }, now)).toBe('held');
    expect(portalSignInState({ expires_at: now }, now)).toBe('ended');
    expect(portalSignInState(undefined, now)).toBe('ended');
  });

  it('records-its-ending-by-kind-once-and-nothing-for-one-already-ended', () => {
    expect(endingEventOf('case', 'held', 'signed_out')).toBe('portal_sign_in.case_ended');
    expect(endingEventOf('report', 'held', 'code_asked')).toBe('portal_sign_in.report_ended');
    expect(endingEventOf('report', 'held', 'signed_in_again')).toBe('portal_sign_in.report_ended');
    expect(endingEventOf('case', 'ended', 'signed_out')).toBeNull();
    expect(endingEventOf('report', 'new', 'signed_out')).toBeNull();
  });
});
