// A new incident made from a contact starts with what the contact says, decided without a browser.
import { describe, expect, it } from 'vitest';
import { prefillFromContact } from '../../web/console/src/screens/dispatch/incident-form.ts';
import type { ContactDetail, GradeView } from '../../web/console/src/api/types.ts';

const detail = (contact: Partial<ContactDetail['contact']>) => ({ contact: { summary: '', location: null, place: null, ...contact } }) as unknown as ContactDetail;
const graded = (grade: 'priority' | null) => ({ current: grade ? { grade } : null }) as unknown as GradeView;

describe('a new incident from a contact', () => {
  it("starts with the contact's summary, place, position and grade", () => {
    expect(
      prefillFromContact(detail({ summary: 'Bike stolen from outside the library', location: 'Millennium Library', place: { lat: 52.6278, lon: 1.2915, radiusMetres: 10, source: 'aml', at: null } }), graded('priority')),
    ).toEqual({ summary: 'Bike stolen from outside the library', locationText: 'Millennium Library', lat: '52.6278', lon: '1.2915', grade: 'priority' });
  });

  it('leaves out what the contact does not have, and starts empty with no contact', () => {
    expect(prefillFromContact(detail({ summary: 'Noise' }), graded(null))).toEqual({ summary: 'Noise' });
    expect(prefillFromContact(undefined, undefined)).toEqual({});
  });
});
