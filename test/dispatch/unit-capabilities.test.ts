// Capabilities are kept in one form (decision 0086): "Firearms", " firearms" and "FIREARMS" are
// one capability, firearms, whether a unit has it or an incident needs it, so the unit is
// recommended for the incident. What cannot be put in that form is refused by its field. Rows
// written before, or some other way, are put in that form by migration 0053.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { controlRoomOn, dispatchKit, type ErrorBody, type Session } from './dispatch-kit.ts';

type Unit = { id: string; callSign: string; capabilities: string[] };
type Incident = { id: string; requiredCapabilities: string[] };
type Refusal = ErrorBody & { error: { fields?: { path: string; message: string }[] } };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const SCENE = { lat: 57.478, lon: -4.224 };

describe(`capabilities in one form (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;

  const kit = dispatchKit(() => app);
  const { api } = kit;

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('stores-a-capability-however-it-is-typed-in-one-form-and-once', async () => {
    const unit = await kit.addUnit<Unit>(supervisor, { callSign: 'CP1', type: 'armed_response', capabilities: ['Firearms', ' firearms', 'FIREARMS', 'First aid 2', 'first-aid-2', 'Taser'] });
    expect(unit.capabilities).toEqual(['firearms', 'first_aid_2', 'taser']);
    const changed = await api<{ unit: Unit }>(supervisor, 'POST', `/api/units/${unit.id}`, { capabilities: ['TASER', 'Dog  handler', 'taser'] });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body.unit.capabilities).toEqual(['taser', 'dog_handler']);
    // The same capabilities typed another way are no change to record.
    expect((await api(supervisor, 'POST', `/api/units/${unit.id}`, { capabilities: ['Dog handler', ' Taser '] })).status).toBe(200);
    expect(await kit.eventTypes(unit.id)).toEqual(['unit.created', 'unit.details_changed']);
  });

  it('refuses-a-capability-that-is-not-letters-digits-spaces-hyphens-or-underscores (400 naming it)', async () => {
    const refused = await api<Refusal>(supervisor, 'POST', '/api/units', { callSign: 'CP2', type: 'response', capabilities: ['taser', 'fire@rms'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ path: 'body.capabilities.1', message: 'must be letters, digits, spaces, hyphens and underscores' })]);
    const blank = await api<Refusal>(supervisor, 'POST', '/api/units', { callSign: 'CP2', type: 'response', capabilities: ['  '] });
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields).toEqual([expect.objectContaining({ path: 'body.capabilities.0', message: 'must not be blank' })]);
    const needed = await api<Refusal>(handler, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'Disturbance', requiredCapabilities: ['fire arms!'] });
    expect(needed.status).toBe(400);
    expect(needed.body.error.fields).toEqual([expect.objectContaining({ path: 'body.requiredCapabilities.0' })]);
    expect((await api<{ units: Unit[] }>(dispatcher, 'GET', '/api/units')).body.units.map((u) => u.callSign)).not.toContain('CP2');
  });

  // The console offers the capabilities of the units it lists to tick, and sends them with others
  // typed as a person writes them (decision 0094): the server alone puts them in their one form.
  it('accepts-every-capability-the-units-list-offers-and-keeps-what-the-form-sends-once', async () => {
    await kit.addUnit<Unit>(supervisor, { callSign: 'CP5', type: 'dog', capabilities: ['Dog handler'] });
    const offered = [...new Set((await api<{ units: Unit[] }>(dispatcher, 'GET', '/api/units')).body.units.flatMap((u) => u.capabilities))];
    expect(offered).toContain('dog_handler');
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Burglar run off', requiredCapabilities: [...offered, 'Dog Handler', ' dog-handler '] });
    expect(incident.requiredCapabilities).toEqual(offered);
    // Sent again as ticked and typed another way, it is no change to record.
    const again = await api<{ incident: Incident }>(handler, 'PATCH', `/api/incidents/${incident.id}`, { requiredCapabilities: [...offered, 'DOG HANDLER'] });
    expect(again.status, again.raw).toBe(200);
    expect(again.body.incident.requiredCapabilities).toEqual(offered);
    expect(await kit.eventTypes(incident.id)).not.toContain('incident.updated');
  });

  it('recommends-a-unit-given-firearms-for-an-incident-needing-FIREARMS', async () => {
    const unit = await kit.addUnit<Unit>(supervisor, { callSign: 'CP3', type: 'armed_response', capabilities: ['Firearms', 'Method of entry'] });
    await api(dispatcher, 'POST', '/api/units/positions', { positions: [{ unitId: unit.id, ...SCENE, recordedAt: new Date(clock.now().getTime() - 5_000).toISOString() }] });
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Man with a gun', ...SCENE, requiredCapabilities: ['FIREARMS', ' firearms'] });
    expect(incident.requiredCapabilities).toEqual(['firearms']);
    const corrected = await api<{ incident: Incident }>(handler, 'PATCH', `/api/incidents/${incident.id}`, { requiredCapabilities: ['Firearms', 'method-of-entry'] });
    expect(corrected.status, corrected.raw).toBe(200);
    expect(corrected.body.incident.requiredCapabilities).toEqual(['firearms', 'method_of_entry']);
    const recommended = await api<{ candidates: { callSign: string }[] }>(dispatcher, 'GET', `/api/incidents/${incident.id}/recommendation`);
    expect(recommended.body.candidates.map((c) => c.callSign)).toEqual(['CP3']);
  });

  it('puts-stored-capabilities-in-one-form-merging-a-units-duplicates (migration 0053)', async () => {
    const unit = await kit.addUnit<Unit>(supervisor, { callSign: 'CP4', type: 'response' });
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Disturbance' });
    await withSystem(app.database.db, async (tx) => {
      // As rows written by hand or by an import could hold them.
      await sql`update units set capabilities = array['Firearms', ' firearms', 'FIREARMS', 'First aid-2', 'taser', '  '] where id = ${unit.id}`.execute(tx);
      await sql`update incidents set required_capabilities = array['TASER', 'taser'] where id = ${incident.id}`.execute(tx);
      // The migration's data statements (its constraint is the schema's, already in place).
      const statements = migrationStatements('0053', (statement) => statement.startsWith('update'));
      expect(statements).toHaveLength(2);
      for (const statement of statements) await sql.raw(statement).execute(tx);
    });
    const [stored] = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('units').select('capabilities').where('id', '=', unit.id).execute());
    expect(stored?.capabilities).toEqual(['firearms', 'first_aid_2', 'taser']);
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).requiredCapabilities).toEqual(['taser']);
  });
});
