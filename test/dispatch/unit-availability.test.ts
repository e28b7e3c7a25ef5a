// A dispatcher books a unit unavailable (with a reason), off duty and available again from the
// unit board, through `POST /api/units/:id/status`. The unit's view lists the moves its machine
// allows next, so the board offers only those; anything else is refused with the reason, and a
// role without `dispatch:act`, another force or a bad reason changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { dispatchKit, type ErrorBody, type Session } from './dispatch-kit.ts';

type Unit = { id: string; status: string; statusReason: string | null; moves: string[] };

describe(`a unit's availability booked by a dispatcher (${ENGINE})`, () => {
  let app: TestApp;
  let dispatcher: Session;
  let supervisor: Session;
  let admin: Session;
  let handler: Session;
  let units = 0;

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const addUnit = async () => {
    units += 1;
    return kit.addUnit<Unit>(supervisor, { callSign: `AV${100 + units}`, type: 'response' });
  };
  const book = (session: Session, unitId: string, payload: object) => api<{ unit: Unit } & ErrorBody>(session, 'POST', `/api/units/${unitId}/status`, payload);
  const getUnit = async (unitId: string) => (await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unitId}`)).body.unit;

  beforeAll(async () => {
    app = await createTestApp();
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  it('books a unit unavailable with its reason trimmed, then off duty and back on, each move listed and recorded once', async () => {
    const unit = await addUnit();
    expect(unit.moves).toEqual(['unavailable', 'off_duty']);

    const unavailable = await book(dispatcher, unit.id, { status: 'unavailable', reason: '  Vehicle defect: flat tyre  ' });
    expect(unavailable.status, unavailable.raw).toBe(200);
    expect(unavailable.body.unit).toMatchObject({ status: 'unavailable', statusReason: 'Vehicle defect: flat tyre', moves: ['available', 'unavailable', 'off_duty'] });
    expect((await api<{ units: Unit[] }>(handler, 'GET', '/api/units')).body.units.find((u) => u.id === unit.id)).toMatchObject({ statusReason: 'Vehicle defect: flat tyre' });

    const offDuty = await book(dispatcher, unit.id, { status: 'off_duty' });
    expect(offDuty.body.unit).toMatchObject({ status: 'off_duty', statusReason: null, moves: ['available'] });
    const bookedOn = await book(dispatcher, unit.id, { status: 'available' });
    expect(bookedOn.body.unit).toMatchObject({ status: 'available', statusReason: null, moves: ['unavailable', 'off_duty'] });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.unavailable', 'unit.off_duty', 'unit.available']);
  });

  it('refuses-a-move-its-machine-does-not-allow (409 with the reason), and records nothing', async () => {
    const unit = await addUnit();
    const already = await book(dispatcher, unit.id, { status: 'available' });
    expect(already.status).toBe(409);
    expect(already.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/AV\d+ is already available/) });
    await book(dispatcher, unit.id, { status: 'off_duty' });
    const whileOff = await book(dispatcher, unit.id, { status: 'unavailable', reason: 'At court' });
    expect(whileOff.status).toBe(409);
    expect(whileOff.body.error.message).toMatch(/off duty; book it on first/);
    expect(await getUnit(unit.id)).toMatchObject({ status: 'off_duty', statusReason: null });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty']);
  });

  it('refuses-the-same-reason-twice (409), so a second press records no second event, and takes a new reason', async () => {
    const unit = await addUnit();
    expect((await book(dispatcher, unit.id, { status: 'unavailable', reason: 'Refuelling' })).status).toBe(200);
    const again = await book(dispatcher, unit.id, { status: 'unavailable', reason: '  Refuelling ' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already unavailable for that reason/);
    expect((await book(dispatcher, unit.id, { status: 'unavailable', reason: 'Vehicle fault' })).status).toBe(200);
    expect(await getUnit(unit.id)).toMatchObject({ status: 'unavailable', statusReason: 'Vehicle fault' });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.unavailable', 'unit.unavailable']);
  });

  it('refuses-a-missing-blank-or-overlong-reason (400 naming the reason), and records nothing', async () => {
    const unit = await addUnit();
    for (const payload of [{ status: 'unavailable' }, { status: 'unavailable', reason: '    ' }, { status: 'unavailable', reason: 'x'.repeat(201) }, { status: 'retired' }]) {
      const refused = await book(dispatcher, unit.id, payload);
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(refused.body.error.fields ?? [])).toMatch(payload.status === 'retired' ? /status/ : /reason/);
    }
    expect(await getUnit(unit.id)).toMatchObject({ status: 'available', statusReason: null });
    expect(await eventTypes(unit.id)).toEqual(['unit.created']);
  });

  it('refuses-a-role-without-dispatch-act (403), force admins among them, and another force (404)', async () => {
    const unit = await addUnit();
    expect((await book(handler, unit.id, { status: 'off_duty' })).status).toBe(403);
    expect((await book(admin, unit.id, { status: 'unavailable', reason: 'Vehicle defect' })).status).toBe(403);
    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    const hidden = await book(outsider, unit.id, { status: 'unavailable', reason: 'Vehicle defect' });
    expect(hidden.status).toBe(404);
    expect(hidden.raw).not.toContain('AV');
    expect(await getUnit(unit.id)).toMatchObject({ status: 'available' });
    expect(await eventTypes(unit.id)).toEqual(['unit.created']);
  });
});
