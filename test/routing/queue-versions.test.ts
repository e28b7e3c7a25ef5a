import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Two routing admins with the same queue open: the one who saves second, from the version both
// opened, is refused and told who changed it and when, and nothing of theirs is saved, so neither
// change silently replaces the other (decision 0084). A change without a version is not checked.

type Queue = { id: string; key: string; name: string; warnAtPercent: number; requiredSkills: string[]; version: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };
type Session = Awaited<ReturnType<typeof signIn>>;

describe(`queues changed from the version the admin opened (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const start = new Date('2026-05-06T09:00:00Z');
  const clock = fixedClock(start);
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  const queueOf = async (key: string, session: Session = admin) => {
    const listed = await app.inject({ method: 'GET', url: '/api/queues', headers: session.headers });
    const queue = listed.json<{ queues: Queue[] }>().queues.find((q) => q.key === key);
    if (!queue) throw new Error(`no ${key} queue`);
    return queue;
  };
  const change = (id: string, payload: object, session: Session = admin) => app.inject({ method: 'POST', url: `/api/queues/${id}`, headers: session.headers, payload });
  const changesOf = (queueId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['actor_id', 'data']).where('type', '=', 'queue.updated').where('subject_id', '=', queueId).orderBy('seq').execute(),
    );

  it('refuses-the-second-of-two-changes-from-the-same-version-naming-who-and-when-and-saves-nothing', async () => {
    const opened = await queueOf('general');
    expect(opened.version).toBe(1);

    clock.set(start);
    const first = await change(opened.id, { warnAtPercent: 80, version: opened.version });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ queue: Queue }>().queue).toMatchObject({ warnAtPercent: 80, version: 2 });

    clock.set(new Date('2026-05-06T09:15:00Z'));
    const second = await change(opened.id, { warnAtPercent: 60, name: 'Everything else', version: opened.version }, supervisor);
    expect(second.statusCode, second.body).toBe(409);
    const refused = second.json<ErrorBody>().error;
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(
      'The queue “General enquiries” was changed by someone else after you opened it: Ada Admin changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the queue as it is now, then make your change again.',
    );
    expect(refused.fields?.map((f) => f.path)).toEqual(['body.version']);

    // Nothing of the second change: the queue and the log are as the first left them.
    expect(await queueOf('general')).toEqual({ ...opened, warnAtPercent: 80, version: 2 });
    expect((await changesOf(opened.id)).map((e) => e.actor_id)).toEqual([admin.user.id]);

    // Made again from the version now shown, the second admin's change goes in, counted once more.
    const again = await change(opened.id, { warnAtPercent: 60, version: 2 }, supervisor);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ queue: Queue }>().queue).toMatchObject({ warnAtPercent: 60, version: 3 });
    expect((await changesOf(opened.id)).map((e) => e.data)).toEqual([{ warnAtPercent: 80 }, { warnAtPercent: 60 }]);
  });

  it('tells-an-admin-it-was-their-own-change-in-another-window-or-tab', async () => {
    const opened = await queueOf('online_report');
    clock.set(start);
    expect((await change(opened.id, { name: 'Online reports (portal)', version: opened.version })).statusCode).toBe(200);
    // A body not in the expected form (an empty name) is refused as such, whatever its version.
    const malformed = await change(opened.id, { name: ' ', version: opened.version });
    expect(malformed.statusCode).toBe(400);
    const staleValid = await change(opened.id, { warnAtPercent: 50, version: opened.version });
    expect(staleValid.statusCode).toBe(409);
    expect(staleValid.json<ErrorBody>().error.message).toContain(
      'The queue “Online reports (portal)” was changed after you opened it: you changed it in another window or tab on Wednesday 6 May 2026 at 10:00.',
    );
    expect(await queueOf('online_report')).toMatchObject({ name: 'Online reports (portal)', warnAtPercent: opened.warnAtPercent, version: opened.version + 1 });
  });

  it('keeps-changes-without-a-version-working-and-counts-each-change-once', async () => {
    const opened = await queueOf('domestic');
    for (const [i, warnAtPercent] of [70, 65, 70].entries()) {
      const unchecked = await change(opened.id, { warnAtPercent }, i % 2 === 0 ? admin : supervisor);
      expect(unchecked.statusCode, unchecked.body).toBe(200);
      expect(unchecked.json<{ queue: Queue }>().queue.version).toBe(opened.version + i + 1);
    }
    expect(await changesOf(opened.id)).toHaveLength(3);
  });

  it('refuses-a-version-that-is-not-one-with-400-and-saves-nothing', async () => {
    const opened = await queueOf('public_safety');
    for (const version of ['one', 0, -1, 1.5, null, '1']) {
      const refused = await change(opened.id, { warnAtPercent: 50, version });
      expect(refused.statusCode, `${JSON.stringify(version)}: ${refused.body}`).toBe(400);
    }
    const wrongType = await change(opened.id, { warnAtPercent: 50, version: 'one' });
    expect(wrongType.json<ErrorBody>().error.fields?.[0]?.sentence).toBe("Version must be the queue's version as you read it, a whole number");
    const onlyVersion = await change(opened.id, { version: 1 });
    expect(onlyVersion.statusCode).toBe(400);
    const future = await change(opened.id, { warnAtPercent: 50, version: opened.version + 5 });
    expect(future.statusCode).toBe(400);
    expect(future.json<ErrorBody>().error.message).toContain(`is ${opened.version + 5}, a version the queue “Public safety” has never had: it is at version ${opened.version}`);
    expect(await queueOf('public_safety')).toEqual(opened);
    expect(await changesOf(opened.id)).toEqual([]);
  });

  it('answers-another-force-404-whatever-version-and-a-role-without-routing-manage-403', async () => {
    const ours = await queueOf('control_room');
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    for (const version of [ours.version, ours.version + 1, undefined]) {
      const refused = await change(ours.id, { warnAtPercent: 50, version }, otherAdmin);
      expect(refused.statusCode, refused.body).toBe(404);
    }
    // Each force counts its own: the other force's control room is at version 1 whatever this one does.
    expect((await queueOf('control_room', otherAdmin)).version).toBe(1);

    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const forbidden = await change(ours.id, { warnAtPercent: 50, version: ours.version }, dispatcher);
    expect(forbidden.statusCode).toBe(403);
    expect(await queueOf('control_room')).toEqual(ours);
    expect(await changesOf(ours.id)).toEqual([]);
  });

  it('records-nothing-and-keeps-the-version-for-a-save-that-changes-nothing', async () => {
    const listed = await app.inject({ method: 'GET', url: '/api/queues', headers: admin.headers });
    const opened = listed.json<{ queues: (Queue & { sla: object })[] }>().queues.find((q) => q.key === 'domestic');
    if (!opened) throw new Error('no domestic queue');
    const before = await changesOf(opened.id);
    // The form sends every field, the skills in another order, and the targets as they are.
    const same = await change(opened.id, { name: opened.name, warnAtPercent: opened.warnAtPercent, requiredSkills: [...opened.requiredSkills].reverse(), sla: opened.sla, version: opened.version });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json<{ queue: Queue }>().queue.version).toBe(opened.version);
    expect(await changesOf(opened.id)).toEqual(before);
    // So another admin who opened it before that save can still save from the version they have.
    const real = await change(opened.id, { warnAtPercent: opened.warnAtPercent === 70 ? 75 : 70, version: opened.version }, supervisor);
    expect(real.statusCode, real.body).toBe(200);
    expect(real.json<{ queue: Queue }>().queue.version).toBe(opened.version + 1);
    expect((await changesOf(opened.id)).length).toBe(before.length + 1);
  });
});
