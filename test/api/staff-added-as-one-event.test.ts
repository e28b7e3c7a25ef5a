import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// Adding a member of staff is one action and one event, carrying the routing profile someone who
// works the queue starts with (skills and capacity), so their profile starts at version 1 and a
// supervisor who opens it at once can save it (decision 0085).

type Routing = { skills: string[]; capacity: Record<string, number>; version: number };
type Added = { staff: { id: string; routing: Routing | null } };
type BoardPerson = { id: string; skills: string[]; capacity: Record<string, number>; presence: string; profileVersion: number };
type Session = Awaited<ReturnType<typeof signIn>>;

describe(`a member of staff added as one event (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  const add = async (payload: object) => {
    const added = await app.inject({ method: 'POST', url: '/api/staff', headers: admin.headers, payload });
    expect(added.statusCode, added.body).toBe(201);
    return added.json<Added>().staff;
  };
  const eventsAbout = (id: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data', 'actor_id']).where('subject_id', '=', id).orderBy('seq').execute());
  const onBoard = async (id: string) =>
    (await app.inject({ method: 'GET', url: '/api/routing/board', headers: supervisor.headers })).json<{ staff: BoardPerson[] }>().staff.find((s) => s.id === id);

  it('records-adding-someone-with-skills-and-capacity-as-one-event-with-their-profile-at-version-1', async () => {
    const added = await add({ name: 'Nia Jenkins', email: 'nia.jenkins@demo.police.uk', role: 'digital_desk_operator', skills: ['welsh', 'social_media'], capacity: { chat: 2 } });
    const capacity = { call: 0, chat: 2, social: 5, sms: 5, email: 5, online: 5 };
    expect(added.routing).toEqual({ skills: ['social_media', 'welsh'], capacity, version: 1 });
    expect(await eventsAbout(added.id)).toEqual([
      { type: 'staff.created', actor_id: admin.user.id, data: { role: 'digital_desk_operator', skills: ['social_media', 'welsh'], capacity } },
    ]);
    // The supervisor's board shows them as added, offline, at version 1, and a save from there goes in.
    expect(await onBoard(added.id)).toMatchObject({ skills: ['social_media', 'welsh'], capacity, presence: 'offline', profileVersion: 1 });
    const saved = await app.inject({ method: 'POST', url: `/api/routing/staff/${added.id}/profile`, headers: supervisor.headers, payload: { capacity: { chat: 3 }, version: 1 } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ routing: Routing }>().routing.version).toBe(2);
    expect((await eventsAbout(added.id)).map((e) => e.type)).toEqual(['staff.created', 'staff.routing_changed']);
  });

  it('records-someone-added-with-their-role-s-capacity-and-someone-off-the-queue-with-their-role-only', async () => {
    const handler = await add({ name: 'Hal Handler', email: 'hal.handler@demo.police.uk', role: 'call_handler' });
    expect(handler.routing?.version).toBe(1);
    expect(await eventsAbout(handler.id)).toEqual([
      { type: 'staff.created', actor_id: admin.user.id, data: { role: 'call_handler', skills: [], capacity: { call: 1, chat: 2, social: 0, sms: 3, email: 3, online: 3 } } },
    ]);

    // A capacity given for a role that does not work the queue makes no profile.
    const investigator = await add({ name: 'Ivy Investigator', email: 'ivy.investigator@demo.police.uk', role: 'investigator', capacity: { chat: 2 } });
    expect(investigator.routing).toBeNull();
    expect(await eventsAbout(investigator.id)).toEqual([{ type: 'staff.created', actor_id: admin.user.id, data: { role: 'investigator' } }]);
    expect(await onBoard(investigator.id)).toBeUndefined();
  });
});
