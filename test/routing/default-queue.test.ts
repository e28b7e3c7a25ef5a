import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { planNewContactRoutes } from '../../src/capabilities/queue/routing.service.ts';

// A routing admin sends every contact no rule matches to another queue by making it the force's
// default: the old default stops being it in the same change, one event says from which to which,
// new contacts go there at once, contacts already queued stay, and the queues' versions are not
// counted, so no one's open targets form is refused for it (decision 0091).

type Queue = { id: string; key: string; name: string; isDefault: boolean; isControlRoom: boolean; version: number };
type ErrorBody = { error: { code: string; message: string } };
type Session = Awaited<ReturnType<typeof signIn>>;

async function startApp() {
  const app = await createTestApp();
  return { app, admin: await signIn(app, 'admin@demo.police.uk'), supervisor: await signIn(app, 'supervisor@demo.police.uk') };
}

const queuesOf = async (app: TestApp, session: Session) => (await app.inject({ method: 'GET', url: '/api/queues', headers: session.headers })).json<{ queues: Queue[] }>().queues;
const queueOf = async (app: TestApp, session: Session, key: string) => {
  const queue = (await queuesOf(app, session)).find((q) => q.key === key);
  if (!queue) throw new Error(`no ${key} queue`);
  return queue;
};
const makeDefault = (app: TestApp, session: Session, queueId: string) => app.inject({ method: 'POST', url: `/api/queues/${queueId}/default`, headers: session.headers, payload: {} });
const defaultChanges = (app: TestApp) =>
  withForce(app.database.db, app.demoForceId, (tx) =>
    tx.selectFrom('events').select(['subject_id', 'actor_id', 'data']).where('type', '=', 'queue.default_changed').orderBy('seq').execute(),
  );
const defaultsOf = async (app: TestApp, session: Session) => (await queuesOf(app, session)).filter((q) => q.isDefault).map((q) => q.key);

describe(`the force's default queue changed by a routing admin (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;

  beforeAll(async () => {
    ({ app, admin } = await startApp());
  });
  afterAll(() => app.close());

  it('moves-the-default-in-one-change-with-one-event-and-sends-unmatched-contacts-there-from-now', async () => {
    const general = await queueOf(app, admin, 'general');
    const online = await queueOf(app, admin, 'online_report');
    expect(general.isDefault).toBe(true);
    const queuedBefore = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('contacts').select(['id', 'queue_id']).orderBy('id').execute());

    const made = await makeDefault(app, admin, online.id);
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json<{ queue: Queue; previousDefault: Queue }>()).toMatchObject({
      queue: { id: online.id, isDefault: true, version: online.version },
      previousDefault: { id: general.id, isDefault: false, version: general.version },
    });
    expect(await defaultsOf(app, admin)).toEqual(['online_report']);
    expect(await defaultChanges(app)).toEqual([{ subject_id: online.id, actor_id: admin.user.id, data: { fromQueueId: general.id, toQueueId: online.id } }]);
    // Versions are not counted: the targets form of either queue, opened before, still saves.
    expect((await queueOf(app, admin, 'general')).version).toBe(general.version);
    const save = await app.inject({ method: 'POST', url: `/api/queues/${general.id}`, headers: admin.headers, payload: { warnAtPercent: 70, version: general.version } });
    expect(save.statusCode, save.body).toBe(200);

    // A new email no rule matches goes to the new default at once; contacts already queued stay.
    const [route] = await withForce(app.database.db, app.demoForceId, (tx) =>
      planNewContactRoutes(tx, app.demoForceId, app.deps.clock, [{ contactId: newId(), reference: 'TEST-1', channel: 'email', categories: [], priority: 4 }]),
    );
    expect(route?.queue?.id).toBe(online.id);
    expect(await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('contacts').select(['id', 'queue_id']).orderBy('id').execute())).toEqual(queuedBefore);

    // And back again: the event names the queue it came from.
    expect((await makeDefault(app, admin, general.id)).statusCode).toBe(200);
    expect((await defaultChanges(app)).map((e) => e.data)).toEqual([
      { fromQueueId: general.id, toQueueId: online.id },
      { fromQueueId: online.id, toQueueId: general.id },
    ]);
  });

  it('refuses-the-default-queue-again-and-the-control-room-with-409-and-changes-nothing', async () => {
    const general = await queueOf(app, admin, 'general');
    const controlRoom = await queueOf(app, admin, 'control_room');
    const events = (await defaultChanges(app)).length;

    const again = await makeDefault(app, admin, general.id);
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.message).toBe('General enquiries is already the default queue');

    const room = await makeDefault(app, admin, controlRoom.id);
    expect(room.statusCode).toBe(409);
    expect(room.json<ErrorBody>().error.message).toBe(
      "Control room cannot be the default queue: it is the control room's, and contacts that match no rule would wait there. Choose a queue the digital desk answers.",
    );
    expect(await defaultsOf(app, admin)).toEqual(['general']);
    expect(await defaultChanges(app)).toHaveLength(events);
  });

  it('hides-another-force-s-queue-with-404-refuses-a-role-without-routing-manage-403-and-a-bad-id-400', async () => {
    const online = await queueOf(app, admin, 'online_report');
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    expect((await makeDefault(app, otherAdmin, online.id)).statusCode).toBe(404);
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    expect((await makeDefault(app, dispatcher, online.id)).statusCode).toBe(403);
    expect((await makeDefault(app, admin, 'not-a-queue')).statusCode).toBe(400);
    const withBody = await app.inject({ method: 'POST', url: `/api/queues/${online.id}/default`, headers: admin.headers, payload: { isDefault: false } });
    expect(withBody.statusCode).toBe(400);
    expect(await defaultsOf(app, admin)).toEqual(['general']);
    // The other force's own default is untouched.
    expect(await defaultsOf(app, otherAdmin)).toEqual(['general']);
  });
});

// Two admins at the same moment: each change locks every queue of the force, so the second waits
// for the first and sees its default. PGlite runs one transaction at a time, so only PostgreSQL
// can hold them together.
describe.skipIf(ENGINE !== 'postgres')('the default queue changed by two admins at once', () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;

  beforeAll(async () => {
    ({ app, admin, supervisor } = await startApp());
  });
  afterAll(() => app.close());

  it('makes-both-in-turn-keeps-the-later-and-one-default-throughout', async () => {
    const general = await queueOf(app, admin, 'general');
    const online = await queueOf(app, admin, 'online_report');
    const domestic = await queueOf(app, admin, 'domestic');
    const answers = await heldTogether(app, 'lock table queues in share mode', [() => makeDefault(app, admin, online.id), () => makeDefault(app, supervisor, domestic.id)]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    expect(await defaultsOf(app, admin)).toEqual(['domestic']);
    expect((await defaultChanges(app)).map((e) => e.data)).toEqual([
      { fromQueueId: general.id, toQueueId: online.id },
      { fromQueueId: online.id, toQueueId: domestic.id },
    ]);
  });

  it('refuses-the-second-of-two-making-the-same-queue-default', async () => {
    const general = await queueOf(app, admin, 'general');
    const events = (await defaultChanges(app)).length;
    const answers = await heldTogether(app, 'lock table queues in share mode', [() => makeDefault(app, admin, general.id), () => makeDefault(app, supervisor, general.id)]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 409]);
    expect(answers[1]?.json<ErrorBody>().error.message).toBe('General enquiries is already the default queue');
    expect(await defaultsOf(app, admin)).toEqual(['general']);
    expect(await defaultChanges(app)).toHaveLength(events + 1);
  });
});
