// What the contact screen says of the incidents a contact is on, without a browser.
import { describe, expect, it } from 'vitest';
import { canOfferNewIncident, describeContactIncident, type ContactIncident } from '../../web/console/src/screens/dispatch/contact-incidents.ts';

const linked: ContactIncident = { id: '00000000-0000-4000-8000-000000000001', reference: 'INC-1', status: 'open', grade: 'priority', linkedAt: '2026-12-04T10:00:00.000Z' };

describe("a contact's incident", () => {
  it('offers a new incident only for a contact on none, and only to those who may create one', () => {
    expect(canOfferNewIncident([], true)).toBe(true);
    expect(canOfferNewIncident([], false)).toBe(false);
    // Grading opened INC-1: creating another would be refused as already linked.
    expect(canOfferNewIncident([linked], true)).toBe(false);
  });

  it('says what state the incident is in and how it is graded', () => {
    expect(describeContactIncident(linked)).toBe('Open, Priority');
    expect(describeContactIncident({ ...linked, status: 'resolved_without_deployment', grade: null })).toBe('Resolved without deployment, not graded');
  });
});
