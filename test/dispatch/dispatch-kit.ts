import type { OutgoingHttpHeaders } from 'node:http';
import { expect } from 'vitest';
import { createTestApp, eventTypesOf, signIn, type TestApp } from '../helpers.ts';
import type { Clock } from '../../src/platform/clock.ts';

// What the control-room tests share: an app with the staff they act as signed in, calling the API
// as a member of staff, and the steps most of them take through it (an incident created and read, a unit added, sent and moving, an incident
// with a unit sent to it), each checking the answer it expects so a test reads as what the
// control room does.

export type Session = Awaited<ReturnType<typeof signIn>>;

/** The body of a refusal. */
export type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };

/** An answer: its status, its body (JSON, or undefined for anything else, such as CSV), the raw text and the headers. */
export type Answer<T> = { status: number; body: T; raw: string; headers: OutgoingHttpHeaders };

/** An app and the demo force's call handler, dispatcher and supervisor, signed in to it. */
export type ControlRoom = { app: TestApp; handler: Session; dispatcher: Session; supervisor: Session };

/**
 * A new app on `clock`, with the demo force's call handler, dispatcher and supervisor signed in,
 * in that order: what most control-room test files need before their first test. The app is
 * closed again if a sign-in fails, since the file never gets it to close.
 */
export async function controlRoomOn(clock: Clock): Promise<ControlRoom> {
  const app = await createTestApp({ overrides: { clock } });
  try {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    return { app, handler, dispatcher, supervisor };
  } catch (error) {
    await app.close();
    throw error;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The kit for one test file. `app` is read at each call, since a file's app is made in its
 * `beforeAll`, after the kit.
 */
export function dispatchKit(app: () => TestApp) {
  /** Calls the API as `session`; the answer whatever its status. */
  const api = async <T>(session: Session, method: Method, url: string, payload?: object): Promise<Answer<T>> => {
    const response = await app().inject({ method, url, headers: session.headers, ...(payload !== undefined ? { payload } : {}) });
    const isJson = /json/.test(response.headers['content-type']?.toString() ?? '');
    return { status: response.statusCode, body: (isJson ? response.json<T>() : undefined) as T, raw: response.body, headers: response.headers };
  };

  /** Creates an incident as `session` (201 expected); returns it as the API shows it. */
  const createIncident = async <I>(session: Session, payload: object): Promise<I> => {
    const created = await api<{ incident: I }>(session, 'POST', '/api/incidents', payload);
    expect(created.status, created.raw).toBe(201);
    return created.body.incident;
  };

  /** An incident as `session` reads it. */
  const getIncident = async <I>(session: Session, id: string): Promise<I> => (await api<{ incident: I }>(session, 'GET', `/api/incidents/${id}`)).body.incident;

  /** Adds a unit as `session` (201 expected); returns it. */
  const addUnit = async <U = { id: string }>(session: Session, payload: object): Promise<U> => {
    const created = await api<{ unit: U }>(session, 'POST', '/api/units', payload);
    expect(created.status, created.raw).toBe(201);
    return created.body.unit;
  };

  /** Sends units to an incident as `session` (200 expected); returns the incident. */
  const dispatchUnits = async <I>(session: Session, incidentId: string, unitIds: string[]): Promise<I> => {
    const done = await api<{ incident: I }>(session, 'POST', `/api/incidents/${incidentId}/dispatch`, { unitIds });
    expect(done.status, done.raw).toBe(200);
    return done.body.incident;
  };

  /** A unit reports its status (200 expected); returns the unit. */
  const setUnitStatus = async <U = { status: string }>(session: Session, unitId: string, status: string): Promise<U> => {
    const moved = await api<{ unit: U }>(session, 'POST', `/api/units/${unitId}/status`, { status });
    expect(moved.status, moved.raw).toBe(200);
    return moved.body.unit;
  };

  /**
   * An incident with a unit: the incident created as `by.createdBy` (201 expected), then a new unit
   * added as `by.addedBy` (201 expected) and sent to it as `by.sentBy` (200 expected). Returns the
   * incident as the dispatch left it, and the unit as it was added.
   */
  const incidentWithUnit = async <I extends { id: string }, U extends { id: string } = { id: string }>(
    by: { createdBy: Session; addedBy: Session; sentBy: Session },
    incident: object,
    unit: object,
  ): Promise<{ incident: I; unit: U }> => {
    const created = await createIncident<I>(by.createdBy, incident);
    const added = await addUnit<U>(by.addedBy, unit);
    return { incident: await dispatchUnits<I>(by.sentBy, created.id, [added.id]), unit: added };
  };

  /** Runs the jobs that are due by the app's clock (countdown checks among them). */
  const runJobs = () => app().runner?.runDue() ?? Promise.resolve(0);

  /** The types of a record's events, in order. */
  const eventTypes = (subjectId: string) => eventTypesOf(app(), subjectId);

  return { api, createIncident, getIncident, addUnit, dispatchUnits, incidentWithUnit, setUnitStatus, runJobs, eventTypes };
}
