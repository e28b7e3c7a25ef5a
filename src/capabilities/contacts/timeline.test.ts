import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../platform/events/event-log.ts';
import { describeEventForStaff } from './timeline.ts';

const stored = (type: string, data: StoredEvent['data']): StoredEvent => ({
  forceId: 'f',
  seq: 1,
  id: 'e',
  occurredAt: new Date('2026-12-04T10:00:00Z'),
  actorType: 'system',
  actorId: null,
  type,
  subjectType: 'case',
  subjectId: 'c',
  data,
  prevHash: '',
  hash: '',
});

const duty = { updateId: 'u', duty: 'arrest', casePersonId: null, dueAt: '2026-12-07T17:00:00Z' };

// A contact's timeline shows its case's events too: none may read as its raw type.
describe("the Victims' Code on a contact's timeline", () => {
  it('says what the victim must be told, and by when', () => {
    expect(describeEventForStaff(stored('case.victim_update_opened', { ...duty, milestoneEventId: 'm', workingDays: 1, warnAt: '2026-12-07T09:00:00Z' }))).toBe(
      "Victim to be told of the arrest by 7 December 2026 (Victims' Code)",
    );
    expect(describeEventForStaff(stored('case.victim_update_due_soon', { ...duty, duty: 'not_investigated' }))).toBe('Victim not yet told of the decision not to investigate: due soon');
    expect(describeEventForStaff(stored('case.victim_update_breached', duty))).toBe("Victim not told of the arrest in time (Victims' Code)");
    expect(describeEventForStaff(stored('case.victim_informed', { ...duty, how: 'phone', isLate: true, outboxId: null }))).toBe('Victim told of the arrest (by phone), late');
    expect(describeEventForStaff(stored('case.victim_informed', { ...duty, duty: 'referral', how: 'referred', isLate: false, outboxId: null }))).toBe('Victim referred to support');
  });

  it('says when the clocks could not be opened, in words staff can act on, and that a supervisor acknowledged it', () => {
    const note = "The Victims' Code clocks could not be opened from this case's records, so its victims' updates are not being watched.";
    expect(describeEventForStaff(stored('case.victim_updates_not_opened', { note, attempt: 1, retryAt: '2026-12-04T11:00:00Z', alertId: 'a' }))).toBe(note);
    expect(describeEventForStaff(stored('case.victim_updates_alert_acknowledged', { alertId: 'a', note: 'Victim record corrected' }))).toBe(
      "Alert that the Victims' Code clocks could not be opened acknowledged: Victim record corrected",
    );
    const putRight = "The Victims' Code clocks were opened: this case's victims' updates are being watched again.";
    expect(describeEventForStaff(stored('case.victim_updates_put_right', { alertId: 'a', note: putRight }))).toBe(putRight);
  });
});

// A portal report's case is made with its reporter as the victim: the first thing its contact's
// timeline shows of the case's people.
describe("the case's people on a contact's timeline", () => {
  const added = { casePersonId: 'p', personId: null, note: null };

  it('says who was added to the case, in what role, and by what', () => {
    expect(describeEventForStaff(stored('case.person_added', { ...added, role: 'victim', source: 'reporter', details: { name: 'Sam Tester', role: 'victim', enhancedRights: 'no' } }))).toBe(
      'Sam Tester (the reporter) added to the case as its victim',
    );
    expect(describeEventForStaff(stored('case.person_added', { ...added, role: 'witness', source: 'staff', details: { name: 'Alex Reed', role: 'witness' } }))).toBe('Alex Reed added to the case as a witness');
    expect(describeEventForStaff(stored('case.person_added', { ...added, role: 'victim', source: 'records_system', details: { name: 'Jo Bloggs', role: 'victim', enhancedRights: 'yes' } }))).toBe(
      'Jo Bloggs added to the case as a victim, by the records system',
    );
  });

  it('says whose details changed and who was removed', () => {
    const changed = { ...added, role: 'victim', source: 'staff', details: { name: 'Sam Tester', role: 'victim', enhancedRights: 'yes' }, changed: ['enhancedRights'], from: {}, to: {}, retimed: 0 };
    expect(describeEventForStaff(stored('case.person_changed', changed))).toBe("Sam Tester's details on the case changed");
    expect(describeEventForStaff(stored('case.person_removed', { ...added, role: 'suspect', source: 'staff', details: { name: 'Unknown male', role: 'suspect' } }))).toBe(
      'Unknown male removed from the case (suspect)',
    );
  });
});

// A missed target's line is appended when the breach is found, perhaps long after (a check behind,
// or found only as the clock stopped): it says when the target was due, in UK time.
describe("a missed target on a contact's timeline", () => {
  it('names the target and its due time, whatever the line’s own time', () => {
    const breach = (dueAt: string) => stored('sla.breached', { clockId: 'k', kind: 'first_response', dueAt });
    expect(describeEventForStaff(breach('2026-06-01T08:03:00Z'))).toBe('first response target missed (due 01 Jun 2026, 09:03)');
    expect(describeEventForStaff(breach('2026-12-01T08:03:00Z'))).toBe('first response target missed (due 01 Dec 2026, 08:03)');
  });
});

// A report's online sign-in ends three ways (decision 0180): each reads as what happened.
describe("a reporter's online sign-in on a contact's timeline", () => {
  it('says whether the reporter signed out, asked for a new code, or signed in again', () => {
    const ended = (how: string) => describeEventForStaff(stored('portal_sign_in.report_ended', { signInId: 's', how }));
    expect(ended('signed_out')).toBe('Reporter signed out of the report online');
    expect(ended('code_asked')).toBe("Reporter's online sign-in ended: a new code was asked for on that browser");
    expect(ended('signed_in_again')).toBe("Reporter's online sign-in ended: a newer code was used");
  });
});
