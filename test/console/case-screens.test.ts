// The investigator's screens: the milestone choice mirrors the case's machine, and the addresses
// the screens answer to.
import { describe, expect, it } from 'vitest';
import { CASE_MOVE_TYPES, CASE_STATUSES, nextCaseState, CaseMoveRefused, type CaseState, type SuspectStage } from '../../src/capabilities/cases/case.machine.ts';
import { allowedMilestones, countedFromText, fieldsOf, milestoneAt, milestoneDetailsText, MILESTONE_TYPES, purposeText, timelineEntryLabel, timelineLabel } from '../../web/console/src/screens/cases/case-text.ts';
import { caseHref, parseCasePath } from '../../web/console/src/screens/cases/case-routes.ts';

const SUSPECTS: SuspectStage[] = ['none', 'identified', 'arrested', 'interviewed'];

describe("the milestone choice mirrors the case's machine", () => {
  it('offers every milestone type the API takes, and nothing else', () => {
    expect([...MILESTONE_TYPES].sort()).toEqual(CASE_MOVE_TYPES.filter((t) => t !== 'record').sort());
  });

  it('offers exactly the moves the machine accepts, in every state a case can be in', () => {
    for (const status of CASE_STATUSES) {
      for (const suspect of SUSPECTS) {
        for (const charged of [false, true]) {
          const state: CaseState = status === 'closed' ? { status, suspect, charged, outcomeCode: '18' } : { status, suspect, charged };
          const accepted = MILESTONE_TYPES.filter((type) => {
            // Closing is offered when some outcome agrees with the case: 1 once charged, 20 (another body acts) before.
            const move = type === 'close' ? { type, outcomeCode: charged ? '1' : '20' } : { type };
            return !(nextCaseState(state, move) instanceof CaseMoveRefused);
          });
          expect(allowedMilestones({ status, suspect, charged }), `${status}, suspect ${suspect}, charged ${charged}`).toEqual(accepted);
        }
      }
    }
  });
});

describe('case addresses', () => {
  it('reads the lists, a case and a new case, and round-trips them', () => {
    const id = '0b6c7f3e-8a51-4c1e-9f55-2a8c1a9e4d10';
    expect(parseCasePath('/cases')).toEqual({ name: 'list', which: 'mine' });
    expect(parseCasePath('/cases?which=all')).toEqual({ name: 'list', which: 'all' });
    expect(parseCasePath('/cases?which=bogus')).toEqual({ name: 'list', which: 'mine' });
    expect(parseCasePath('/cases/new')).toEqual({ name: 'newCase' });
    expect(parseCasePath(`/cases/${id}`)).toEqual({ name: 'case', id });
    expect(parseCasePath('/cases/not-an-id')).toBeNull();
    expect(parseCasePath('/contacts')).toBeNull();
    for (const route of [{ name: 'list', which: 'open' }, { name: 'case', id }, { name: 'newCase' }] as const) {
      expect(parseCasePath(caseHref(route).slice(1))).toEqual(route);
    }
  });
});

describe("a milestone's particulars on the case timeline", () => {
  const entry = (details: Record<string, string>) => ({ details }) as unknown as Parameters<typeof milestoneDetailsText>[0];
  const words = (details: Record<string, string>) => milestoneDetailsText(entry(details), (code) => `outcome ${code}`, (code) => `crime ${code ?? '-'}`);

  it('shows-a-court-date-given-as-a-day-alone-without-a-time-and-one-with-its-time-with-it', () => {
    // The UK midnight that starts 17 March (GMT) and 16 June (BST): the same UK day whatever the browser's zone.
    expect(words({ at: '2026-03-17T00:00:00.000Z', place: 'Demoton Magistrates’ Court', isDateOnly: 'true' })).toEqual([
      'When: 17 Mar 2026 (no time given)',
      'Where: Demoton Magistrates’ Court',
    ]);
    expect(words({ at: '2026-06-15T23:00:00.000Z', isDateOnly: 'true' })).toEqual(['When: 16 Jun 2026 (no time given)']);
    expect(words({ at: '2026-03-17T10:30:00.000Z' })[0]).toMatch(/^When: 17 Mar 2026(,| at)? \d\d:\d\d$/);
  });

  it('names-the-removed-victim-the-records-system-still-lists-and-its-reference', () => {
    const listed = { type: 'case.removed_person_still_listed', details: { name: 'Sam Removed', role: 'victim', enhancedRights: 'no', recordsReference: 'V1' } } as unknown as Parameters<typeof milestoneDetailsText>[0];
    expect(milestoneDetailsText(listed, String, String)).toEqual(['Victim: Sam Removed', 'Records system reference: V1']);
    expect(timelineLabel('case.removed_person_still_listed')).toContain('still lists a victim removed');
  });

  it("says in words what happened to a Victims' Code update, a missed one moved to the victim named keeping its timescale", () => {
    expect(timelineLabel('case.victim_update_breached')).toBe("Victims' Code update missed");
    expect(timelineLabel('case.victim_update_reassigned')).toBe("Victims' Code update moved to the victim named (one already missed keeps the timescale it was missed against)");
    expect(timelineLabel('case.victim_update_retimed')).toContain('enhanced rights changed');
  });
});

describe('the milestone form’s date and time', () => {
  it('offers-time-not-known-yet-for-appointments-only, and sends the day alone for it', () => {
    expect(MILESTONE_TYPES.filter((type) => fieldsOf(type).dayAlone)).toEqual(['appointment_made', 'appointment_changed']);
    expect(fieldsOf('court_date_set')).toMatchObject({ when: true, dayAlone: false });
    expect(milestoneAt({ at: '', day: '2026-03-17', isTimeUnknown: true })).toEqual({ at: '2026-03-17' });
    expect(milestoneAt({ at: '', day: '', isTimeUnknown: true })).toEqual({});
    expect(milestoneAt({ at: '', day: '17/03/2026', isTimeUnknown: true })).toEqual({ error: 'Enter the date in full' });
    // With a time, the date and time typed (the browser's zone) as an instant; the day field is not read.
    expect(milestoneAt({ at: '2026-03-17T10:00', day: '2026-03-18', isTimeUnknown: false })).toEqual({ at: new Date('2026-03-17T10:00').toISOString() });
    expect(milestoneAt({ at: 'not a time', day: '', isTimeUnknown: false })).toEqual({ error: 'Enter the date and time in full' });
  });

  it('names a message to a victim by what it is, the Victims’ Code by its name', () => {
    expect(purposeText('victims_code.rights')).toBe('Victims’ Code rights');
    expect(purposeText('victims_code.enhanced_rights')).toBe('Victims’ Code enhanced rights');
    expect(purposeText('appointment.reminder')).toBe('Appointment reminder');
    expect(purposeText('journey:case.court_date_set')).toBe('Court date set');
  });
});

describe("a Victims' Code update owed to a victim added later", () => {
  const format = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  it('says its timescale counts from when they were added to the case', () => {
    expect(countedFromText({ milestoneAt: '2026-12-01T10:00:00.000Z', countedFrom: '2026-12-03T09:30:00.000Z' }, format)).toBe(
      'counted from 2026-12-03 09:30, when they were added to the case',
    );
  });
  it('says nothing more for a victim on the case at the milestone', () => {
    expect(countedFromText({ milestoneAt: '2026-12-01T10:00:00.000Z', countedFrom: '2026-12-01T10:00:00.000Z' }, format)).toBeNull();
  });
});

describe("whose sign-in to the case page it was, on the case timeline", () => {
  const label = (type: string, details: Record<string, string>) => timelineEntryLabel({ type, details });

  it('names-the-victim-as-text-says-so-when-no-name-is-known-and-never-names-someone-no-longer-on-the-case', () => {
    const hostile = '<img src=x onerror=alert(1)> Ann';
    expect(label('portal.case_access_granted', { victim: 'on_case', victimName: hostile })).toBe(`Victim signed in to the case page (${hostile})`);
    expect(label('portal_sign_in.case_ended', { how: 'signed_out', victim: 'on_case', victimName: '  ' })).toBe('Victim signed out of the case page (name not known)');
    expect(label('portal_sign_in.case_ended', { how: 'code_asked', victim: 'removed' })).toBe(
      'Victim’s sign-in to the case page ended: a new code was asked for on that browser (a former victim of this case)',
    );
  });

  it('calls-the-reporter-never-a-victim-the-reporter-not-a-victim', () => {
    expect(label('portal.case_access_granted', { victim: 'reporter' })).toBe('Reporter signed in to the case page');
    expect(label('portal_sign_in.case_ended', { how: 'signed_out', victim: 'reporter' })).toBe('Reporter signed out of the case page');
    expect(label('portal_sign_in.case_ended', { how: 'signed_in_again', victim: 'reporter' })).toBe('Reporter’s sign-in to the case page ended: they signed in to it again');
  });

  it('claims-no-role-for-someone-the-case-never-had-as-a-victim-or-reporter-nor-for-an-entry-that-does-not-say', () => {
    expect(label('portal.case_access_granted', { victim: 'unknown' })).toBe('Someone signed in to the case page');
    expect(label('portal_sign_in.case_ended', { how: 'signed_out', victim: 'unknown' })).toBe('Someone signed out of the case page');
    expect(label('portal_sign_in.case_ended', { victim: 'unknown' })).toBe('Someone’s sign-in to the case page ended');
    // A name sent with anyone but a victim on the case is never shown.
    expect(label('portal.case_access_granted', { victim: 'unknown', victimName: 'Ann' })).toBe('Someone signed in to the case page');
    expect(label('portal.case_access_granted', {})).toBe('Someone signed in to the case page');
    // No other entry takes a name from its details.
    expect(label('case.allocated', { victim: 'on_case', victimName: 'Ann' })).toBe('Allocated');
  });
});
