// An incident lists, by each unit sent, the moves the unit's machine allows it next (decision
// 0083), so the incident screen offers those and keeps no copy of the machine: en route, on scene
// and clear while it is committed there, nothing once it has cleared from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type Incident = { id: string; units: { callSign: string; status: string; moves: string[] }[] };

describe(`the moves an incident's units may make (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  const kit = dispatchKit(() => app);

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  it('lists-each-committed-units-moves-as-its-machine-allows-them-and-none-once-cleared', async () => {
    const [first, second] = [await kit.addUnit(supervisor, { callSign: 'IM1', type: 'response' }), await kit.addUnit(supervisor, { callSign: 'IM2', type: 'response' })];
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Disturbance' });
    const sent = await kit.dispatchUnits<Incident>(dispatcher, incident.id, [first.id, second.id]);
    const moves = (view: Incident) => Object.fromEntries(view.units.map((u) => [u.callSign, [u.status, u.moves]]));
    expect(moves(sent)).toEqual({ IM1: ['dispatched', ['en_route', 'on_scene', 'clear']], IM2: ['dispatched', ['en_route', 'on_scene', 'clear']] });
    await kit.setUnitStatus(dispatcher, first.id, 'en_route');
    await kit.setUnitStatus(dispatcher, second.id, 'on_scene');
    expect(moves(await kit.getIncident<Incident>(dispatcher, incident.id))).toEqual({ IM1: ['en_route', ['on_scene', 'clear']], IM2: ['on_scene', ['clear']] });
    await kit.setUnitStatus(dispatcher, second.id, 'clear');
    expect(moves(await kit.getIncident<Incident>(dispatcher, incident.id))).toEqual({ IM1: ['en_route', ['on_scene', 'clear']], IM2: ['cleared', []] });
  });
});
