// A call sign names one unit however it is typed (decision 0061): stored upper case without
// spaces, so "zz99" and "ZZ 99" are the ZZ99 already there, in this force only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';


describe(`unit call signs (${ENGINE})`, () => {
  let app: TestApp;
  let supervisor: Session;

  const { api } = dispatchKit(() => app);
  const create = (session: Session, payload: object) => api<{ unit: { callSign: string } } & ErrorBody>(session, 'POST', '/api/units', payload);

  beforeAll(async () => {
    app = await createTestApp();
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  it('refuses-a-call-sign-taken-under-another-case-or-spacing by its field, and stores the one form', async () => {
    const first = await create(supervisor, { callSign: 'ZZ99', type: 'response' });
    expect(first.status, first.raw).toBe(201);
    for (const callSign of ['zz99', 'ZZ 99', ' z z 9 9 ']) {
      const taken = await create(supervisor, { callSign, type: 'response' });
      expect(taken.status, `${callSign}: ${taken.raw}`).toBe(409);
      // Named by its field, in the form it is compared in, so a form puts it by the call sign.
      expect(taken.body.error.fields).toEqual([expect.objectContaining({ path: 'body.callSign', sentence: 'Call sign is taken: another unit is already ZZ99' })]);
      expect(taken.body.error.message).toBe('Call sign is taken: another unit is already ZZ99.');
    }
    const typed = await create(supervisor, { callSign: 'nc 7-2', type: 'dog' });
    expect(typed.status, typed.raw).toBe(201);
    expect(typed.body.unit.callSign).toBe('NC7-2');
  });

  it('refuses-a-capability-that-cannot-be-put-in-its-one-form, naming which one in words', async () => {
    // "First Aid" would be first_aid (decision 0086); the exclamation mark has no place in any code.
    const refused = await create(supervisor, { callSign: 'ZZ98', type: 'response', capabilities: ['taser', 'First Aid!'] });
    expect(refused.status, refused.raw).toBe(400);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ path: 'body.capabilities.1', sentence: 'Capability 2 must be letters, digits, spaces, hyphens and underscores' })]);
  });

  it('lets another force use the same call sign, and refuses a role that does not manage units', async () => {
    const other = await createOtherForce(app, ['supervisor']);
    const outsider = await signIn(app, other.emails.supervisor ?? '', 'other-password');
    expect((await create(outsider, { callSign: 'zz 99', type: 'response' })).status).toBe(201);
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    expect((await create(dispatcher, { callSign: 'QQ10', type: 'response' })).status).toBe(403);
  });

  it('holds the one form in the database, whatever writes the row', async () => {
    const insert = withSystem(app.database.db, (tx) =>
      tx
        .insertInto('units')
        .values({ id: newId(), force_id: app.demoForceId, call_sign: 'ab 12', type: 'response', capabilities: [], status: 'available', created_at: new Date(), updated_at: new Date() })
        .execute(),
    );
    await expect(insert).rejects.toThrow(/units_call_sign_plain/);
  });
});
