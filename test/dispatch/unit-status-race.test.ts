// A unit's "en route" that races its own re-dispatch: the status update looks at the unit's
// incident before locking it, and the unit is cleared and sent to another incident in between.
// The incident the unit is committed to when its move applies is the one that follows. Only
// PostgreSQL runs two transactions at once (PGlite takes one at a time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { watchEngineCalls } from '../engine-calls.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type Incident = { id: string; status: string; units: { unitId: string; status: string }[] };

describe.runIf(ENGINE === 'postgres')('a unit status update racing its re-dispatch', () => {
  let app: TestApp;
  let dispatcher: Session;
  let handler: Session;

  beforeAll(async () => {
    app = await createTestApp();
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  const kit = dispatchKit(() => app);
  const post = async <T>(session: Session, url: string, payload: object) => {
    const response = await kit.api<T>(session, 'POST', url, payload);
    expect(response.status, response.raw).toBeLessThan(300);
    return response.body;
  };
  const incidentOf = (id: string) => kit.getIncident<Incident>(dispatcher, id);

  it('moves-the-incident-the-unit-is-committed-to-when-it-moves-not-the-one-it-was-seen-on', async () => {
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const unit = (await post<{ unit: { id: string } }>(supervisor, '/api/units', { callSign: 'RACE1', type: 'response' })).unit;
    const first = (await post<{ incident: Incident }>(handler, '/api/incidents', { type: 'crime_violence', summary: 'First call' })).incident;
    const second = (await post<{ incident: Incident }>(handler, '/api/incidents', { type: 'crime_violence', summary: 'Second call' })).incident;
    await post(dispatcher, `/api/incidents/${first.id}/dispatch`, { unitIds: [unit.id] });

    // Once the status update has looked at the unit (still on the first incident), the unit is
    // cleared and dispatched to the second before the update locks it.
    let raced = false;
    const restore = watchEngineCalls(async (text, call) => {
      const result = await call();
      if (!raced && /^select "incident_id" from "units"/.test(text)) {
        raced = true;
        await post(dispatcher, `/api/units/${unit.id}/status`, { status: 'clear' });
        await post(dispatcher, `/api/incidents/${second.id}/dispatch`, { unitIds: [unit.id] });
      }
      return result;
    });
    try {
      await post(dispatcher, `/api/units/${unit.id}/status`, { status: 'en_route' });
    } finally {
      restore();
    }
    expect(raced).toBe(true);
    expect((await incidentOf(second.id)).status).toBe('en_route');
    expect((await incidentOf(first.id)).status).not.toBe('en_route');
  });
});
