// What the supervisors' banner shows of an alert, without a browser: a contact's alert links to the
// contact, an incident's missed target to the incident, and the message loses the reference the
// link already shows.
import { describe, expect, it } from 'vitest';
import { alertKindLabel, alertLabel, alertSubject, alertText, missedTargetText, putRightText } from '../../web/console/src/screens/Alerts.tsx';
import { describeMissedTarget, metLateText } from '../../web/console/src/screens/dispatch/MissedTargets.tsx';
import type { SupervisorAlert } from '../../web/console/src/api/types.ts';
import type { IncidentView } from '../../web/console/src/api/dispatch.ts';

const common = { id: 'a1', raisedAt: '2026-03-02T09:03:00.000Z', acknowledgedAt: null, acknowledgedByName: null, note: null };
const incidentAlert: SupervisorAlert = {
  ...common,
  kind: 'response_breach',
  incidentId: '0b9c1c5e-8f0a-4a52-9d5e-3f1b7e2d4c11',
  incidentReference: 'INC-42',
  grade: { code: 'immediate', label: 'Immediate' },
  clockId: 'k1',
  clockKind: 'deploy',
  dueAt: '2026-03-02T09:03:00.000Z',
  message: 'INC-42: deploy target missed (Immediate, urban, 3 min); say why.',
};
const contactAlert: SupervisorAlert = { ...common, kind: 'threat_to_life', contactId: 'c1', contactReference: 'BL-7', message: 'BL-7: knife mentioned', dueAt: null, clockStoppedAt: null };
const caseAlert: SupervisorAlert = {
  ...common,
  kind: 'victim_updates_unopened',
  caseId: '5d0c9a8e-1f2b-4c3d-8e9f-0a1b2c3d4e5f',
  caseReference: 'DEMO-C-2026-000001',
  message: "DEMO-C-2026-000001: the Victims' Code clocks could not be opened from this case's records",
  putRightAt: null,
};

describe("the supervisors' alert banner", () => {
  it("links an incident's missed target to the incident, and a contact's alert to the contact", () => {
    expect(alertSubject(incidentAlert)).toEqual({ reference: 'INC-42', href: '#/incidents/0b9c1c5e-8f0a-4a52-9d5e-3f1b7e2d4c11' });
    expect(alertSubject(contactAlert)).toEqual({ reference: 'BL-7', href: expect.stringContaining('c1') as unknown });
  });

  it("links a case whose Victims' Code clocks could not be opened to the case", () => {
    expect(alertSubject(caseAlert)).toEqual({ reference: 'DEMO-C-2026-000001', href: '#/cases/5d0c9a8e-1f2b-4c3d-8e9f-0a1b2c3d4e5f' });
    expect(alertKindLabel('victim_updates_unopened')).toBe("Victims' Code not watched");
    expect(alertText(caseAlert)).toBe("the Victims' Code clocks could not be opened from this case's records");
  });

  it("says a case's alert was put right, and when, once its clocks are opened, while it waits to be acknowledged", () => {
    expect(putRightText(caseAlert)).toBeNull();
    expect(alertLabel(caseAlert)).toBe("Victims' Code not watched");
    const putRight: SupervisorAlert = { ...caseAlert, putRightAt: '2026-03-02T11:20:00.000Z' };
    expect(putRightText(putRight)).toMatch(/^Put right .*11:20.*: the clocks are open and its victims' updates are being watched again\./);
    expect(alertLabel(putRight)).toBe("Victims' Code was not watched");
    expect(putRightText(contactAlert)).toBeNull();
    expect(alertLabel(contactAlert)).toBe('Threat to life');
  });

  it("says when a contact's missed target was due, not only when it was raised, and how late its clock stopped", () => {
    // Found only as the clock stopped (decision 0141): raised two hours and a quarter after the due time.
    const missed: SupervisorAlert = {
      ...contactAlert,
      kind: 'sla_breach',
      message: 'BL-7: first response target missed in Public safety.',
      raisedAt: '2026-03-02T11:45:00.000Z',
      dueAt: '2026-03-02T09:30:00.000Z',
      clockStoppedAt: '2026-03-02T11:45:00.000Z',
    };
    expect(missedTargetText(missed)).toMatch(/^Due 02 Mar 2026, \d\d:30; its clock stopped 02 Mar 2026, \d\d:45, 2 h 15 min after the target\.$/);
    expect(missedTargetText({ ...missed, clockStoppedAt: '2026-03-02T09:35:00.000Z' })).toMatch(/, 5 minutes after the target\.$/);
    // Still running: the banner is not read again when it stops, so it says the due time alone.
    expect(missedTargetText({ ...missed, clockStoppedAt: null })).toMatch(/^Due 02 Mar 2026, \d\d:30\.$/);
    expect(missedTargetText(contactAlert)).toBeNull();
    expect(missedTargetText(incidentAlert)).toBeNull();
  });

  it('names the kind and drops the reference the link shows from the message', () => {
    expect(alertKindLabel('response_breach')).toBe('Response target missed');
    expect(alertText(incidentAlert)).toBe('deploy target missed (Immediate, urban, 3 min).');
    expect(alertText(contactAlert)).toBe('knife mentioned');
    expect(alertKindLabel('something_new')).toBe('something_new');
  });
});

describe("an incident's missed targets", () => {
  it('says which countdown, at which grade and setting, and when it was due', () => {
    const clock: IncidentView['clocks'][number] = {
      id: 'k1',
      kind: 'arrive',
      grade: 'priority',
      setting: 'rural',
      targetMinutes: 60,
      measuredFrom: '2026-03-02T09:00:00.000Z',
      startedAt: '2026-03-02T09:05:00.000Z',
      warnAt: '2026-03-02T09:48:00.000Z',
      dueAt: '2026-03-02T10:00:00.000Z',
      stoppedAt: null,
      stopReason: null,
      breachedAt: '2026-03-02T10:00:00.000Z',
      breachReason: null,
    };
    expect(describeMissedTarget(clock)).toMatch(/^Arrival target missed: Priority, rural, 60 minutes, due /);
  });

  it('says when a target met late was met, and how late, and nothing for one still running', () => {
    const clock: IncidentView['clocks'][number] = {
      id: 'k2',
      kind: 'deploy',
      grade: 'immediate',
      setting: 'urban',
      targetMinutes: 3,
      measuredFrom: '2026-03-02T09:00:00.000Z',
      startedAt: '2026-03-02T09:00:00.000Z',
      warnAt: '2026-03-02T09:02:00.000Z',
      dueAt: '2026-03-02T09:03:00.000Z',
      stoppedAt: '2026-03-02T09:05:30.000Z',
      stopReason: 'dispatched',
      breachedAt: '2026-03-02T09:05:30.000Z',
      breachReason: null,
    };
    expect(metLateText(clock)).toMatch(/^First unit sent .+, 2 minutes after the target\.$/);
    expect(metLateText({ ...clock, kind: 'arrive', stopReason: 'arrived', stoppedAt: '2026-03-02T09:03:20.000Z' })).toMatch(/^First unit on scene .+, less than a minute after the target\.$/);
    expect(metLateText({ ...clock, stoppedAt: null, stopReason: null })).toBeNull();
    expect(metLateText({ ...clock, stopReason: 'regraded' })).toBeNull();
  });
});
