import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';

// A supervisor corrects a unit's type, capabilities or home. The log says what changed, from what
// to what; saving the same values again (a retry, a form saved unchanged) records nothing.

describe("changing a unit's details", () => {
  let app: TestApp;
  let supervisor: Awaited<ReturnType<typeof signIn>>;
  let unitId: string;

  beforeAll(async () => {
    app = await createTestApp();
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const created = await app.inject({ method: 'POST', url: '/api/units', headers: supervisor.headers, payload: { callSign: 'UD1', type: 'response', capabilities: ['taser'] } });
    expect(created.statusCode).toBe(201);
    unitId = created.json<{ unit: { id: string } }>().unit.id;
  });
  afterAll(() => app.close());

  const change = (body: Record<string, unknown>, headers = supervisor.headers, id = unitId) => app.inject({ method: 'POST', url: `/api/units/${id}`, headers, payload: body });
  const detailsEvents = () =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['data', 'actor_id']).where('subject_id', '=', unitId).where('type', '=', 'unit.details_changed').orderBy('seq').execute(),
    );

  it('records-what-changed-from-what-to-what-and-nothing-for-the-same-values-again', async () => {
    const response = await change({ capabilities: ['taser', 'firearms'], homeStation: 'Demoton Central', type: 'response' });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ unit: { capabilities: string[]; homeStation: string | null } }>().unit).toMatchObject({ capabilities: ['taser', 'firearms'], homeStation: 'Demoton Central' });
    expect(await detailsEvents()).toEqual([
      {
        actor_id: supervisor.user.id,
        data: {
          // The type was given unchanged: not a change.
          fields: ['capabilities', 'homeStation'],
          changes: { capabilities: { from: ['taser'], to: ['taser', 'firearms'] }, homeStation: { from: null, to: 'Demoton Central' } },
        },
      },
    ]);

    // The same again, capabilities in another order: nothing recorded.
    expect((await change({ capabilities: ['firearms', 'taser'], homeStation: 'Demoton Central' })).statusCode).toBe(200);
    expect(await detailsEvents()).toHaveLength(1);

    // Clearing the home station is a change.
    expect((await change({ homeStation: null })).statusCode).toBe(200);
    expect((await detailsEvents()).at(-1)?.data).toEqual({ fields: ['homeStation'], changes: { homeStation: { from: 'Demoton Central', to: null } } });
  });

  it('is-refused-to-another-force-and-to-a-role-that-does-not-manage-units', async () => {
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password', '10.9.0.1');
    expect((await change({ type: 'dog' }, otherAdmin.headers)).statusCode).toBe(404);
    const handler = await signIn(app, 'handler@demo.police.uk');
    expect((await change({ type: 'dog' }, handler.headers)).statusCode).toBe(403);
    expect((await change({ type: 'dog' }, supervisor.headers, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const events = await detailsEvents();
    expect(events.some((event) => JSON.stringify(event.data).includes('dog'))).toBe(false);
  });
});
