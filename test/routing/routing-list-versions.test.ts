import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';

// The force's queue rules (replaced as one list) and its response targets by channel (saved from
// one form) each count their changes for the whole force: a save made from the version an admin
// read is refused once another admin has changed them, naming who and when, and nothing of it is
// saved (decision 0084). A save without a version is not checked, as before.

type Rule = { queueId: string; channels: string[] | null; categories: string[] | null; priorities: number[] | null };
type Queues = { queues: { id: string; key: string }[]; rules: Rule[]; rulesVersion: number };
type Targets = { channels: { channel: string; firstResponseMinutes: number | null; nextResponseMinutes: number | null }[]; version: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; sentence: string }[] } };
type Session = Awaited<ReturnType<typeof signIn>>;

describe(`routing lists changed from the version the admin opened (${ENGINE})`, () => {
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

  const queues = async (session: Session = admin) => (await app.inject({ method: 'GET', url: '/api/queues', headers: session.headers })).json<Queues>();
  const replace = (payload: object, session: Session = admin) => app.inject({ method: 'POST', url: '/api/queues/rules', headers: session.headers, payload });
  const targets = async (session: Session = admin) => (await app.inject({ method: 'GET', url: '/api/channel-sla-targets', headers: session.headers })).json<Targets>();
  const setTargets = (payload: object, session: Session = admin) => app.inject({ method: 'PUT', url: '/api/channel-sla-targets', headers: session.headers, payload });
  const eventsOf = (type: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select(['actor_id']).where('type', '=', type).orderBy('seq').execute());
  const idOf = (list: Queues, key: string) => list.queues.find((q) => q.key === key)?.id ?? '';
  /** The rules as read, as a replacement sends them (no place, no empty conditions). */
  const asSent = (rules: readonly Rule[]) =>
    rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) }));

  describe('the queue rules', () => {
    it('refuses-a-replacement-from-a-version-replaced-since-naming-who-and-when-and-saves-nothing', async () => {
      const opened = await queues();
      expect(opened.rulesVersion).toBe(1);
      const general = idOf(opened, 'general');
      const safety = idOf(opened, 'public_safety');

      clock.set(start);
      const first = await replace({ rules: [...asSent(opened.rules), { queueId: general, channels: ['email'] }], version: opened.rulesVersion });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json<Queues>().rulesVersion).toBe(2);
      const afterFirst = await queues();

      clock.set(new Date('2026-05-06T09:20:00Z'));
      // Checked first: a stale list naming no queue of the force is told of the other change.
      for (const rules of [[{ queueId: safety, priorities: [1, 2] }], [{ queueId: '00000000-0000-4000-8000-00000000beef', channels: ['email'] }]]) {
        const second = await replace({ rules, version: opened.rulesVersion }, supervisor);
        expect(second.statusCode, second.body).toBe(409);
        const refused = second.json<ErrorBody>().error;
        expect(refused.message).toBe(
          'The list of queue rules was changed by someone else after you opened it: Ada Admin changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the list of rules as it is now, then make your change again.',
        );
        expect(refused.fields?.map((f) => f.path)).toEqual(['body.version']);
      }
      expect(await queues()).toEqual(afterFirst);
      expect((await eventsOf('queue.rules_replaced')).map((e) => e.actor_id)).toEqual([admin.user.id]);

      // The same admin, from another tab.
      const ownStale = await replace({ rules: asSent(opened.rules), version: opened.rulesVersion });
      expect(ownStale.json<ErrorBody>().error.message).toContain('you changed it in another window or tab on Wednesday 6 May 2026 at 10:00.');

      const again = await replace({ rules: asSent(opened.rules), version: 2 }, supervisor);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<Queues>()).toMatchObject({ rulesVersion: 3 });
      expect((await queues()).rules).toEqual(opened.rules);
    });

    it('keeps-replacements-without-a-version-working-counting-each-and-refuses-bad-versions-with-400', async () => {
      const opened = await queues();
      for (const [i, session] of [admin, supervisor].entries()) {
        const unchecked = await replace({ rules: asSent(opened.rules) }, session);
        expect(unchecked.statusCode, unchecked.body).toBe(200);
        expect(unchecked.json<Queues>().rulesVersion).toBe(opened.rulesVersion + i + 1);
      }
      const now = await queues();
      const replacedBefore = (await eventsOf('queue.rules_replaced')).length;
      for (const version of ['one', 0, -1, 1.5, null, '1', now.rulesVersion + 1]) {
        const refused = await replace({ rules: [], version });
        expect(refused.statusCode, `${JSON.stringify(version)}: ${refused.body}`).toBe(400);
      }
      const future = await replace({ rules: [], version: now.rulesVersion + 1 });
      expect(future.json<ErrorBody>().error.message).toContain(`a version the list of queue rules has never had: it is at version ${now.rulesVersion}`);
      expect(await queues()).toEqual(now);
      expect(await eventsOf('queue.rules_replaced')).toHaveLength(replacedBefore);

      const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
      expect((await replace({ rules: [], version: now.rulesVersion }, dispatcher)).statusCode).toBe(403);
      expect(await queues()).toEqual(now);
    });
  });

  describe('the response targets by channel', () => {
    it('refuses-a-save-from-a-version-changed-since-naming-who-and-when-and-saves-nothing', async () => {
      const opened = await targets();
      expect(opened.version).toBe(1);
      clock.set(start);
      const first = await setTargets({ chat: { firstResponseMinutes: 3, nextResponseMinutes: 3 }, version: 1 }, supervisor);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json<Targets>().version).toBe(2);
      const afterFirst = await targets();

      clock.set(new Date('2026-05-06T09:30:00Z'));
      const second = await setTargets({ email: { firstResponseMinutes: 600, nextResponseMinutes: 600 }, version: 1 });
      expect(second.statusCode, second.body).toBe(409);
      expect(second.json<ErrorBody>().error.message).toBe(
        'The list of response targets by channel was changed by someone else after you opened it: Sue Supervisor changed it on Wednesday 6 May 2026 at 10:00. You had version 1; it is now version 2. Nothing was saved. Check the list of targets as it is now, then make your change again.',
      );
      expect(second.json<ErrorBody>().error.fields?.map((f) => f.path)).toEqual(['body.version']);
      const own = await setTargets({ email: { firstResponseMinutes: 600, nextResponseMinutes: 600 }, version: 1 }, supervisor);
      expect(own.json<ErrorBody>().error.message).toContain('you changed it in another window or tab on Wednesday 6 May 2026 at 10:00.');
      expect(await targets()).toEqual(afterFirst);
      expect((await eventsOf('queue.channel_targets_changed')).map((e) => e.actor_id)).toEqual([supervisor.user.id]);

      const again = await setTargets({ email: { firstResponseMinutes: 600, nextResponseMinutes: 600 }, version: 2 });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json<Targets>().version).toBe(3);
    });

    it('counts-only-saves-that-change-something-keeps-unversioned-saves-working-and-refuses-bad-versions', async () => {
      const opened = await targets();
      // The same targets again: nothing recorded, nothing counted.
      const same = await setTargets({ email: { firstResponseMinutes: 600, nextResponseMinutes: 600 }, version: opened.version });
      expect(same.json<Targets>().version).toBe(opened.version);
      const unchecked = await setTargets({ email: { firstResponseMinutes: null, nextResponseMinutes: null } });
      expect(unchecked.statusCode, unchecked.body).toBe(200);
      expect(unchecked.json<Targets>().version).toBe(opened.version + 1);
      const now = await targets();
      const changedBefore = (await eventsOf('queue.channel_targets_changed')).length;
      for (const version of ['one', 0, 2.5, null, now.version + 1]) {
        const refused = await setTargets({ sms: { firstResponseMinutes: 5, nextResponseMinutes: 5 }, version });
        expect(refused.statusCode, `${JSON.stringify(version)}: ${refused.body}`).toBe(400);
      }
      expect((await setTargets({ version: now.version })).statusCode).toBe(400);
      const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
      expect((await setTargets({ sms: { firstResponseMinutes: 5, nextResponseMinutes: 5 }, version: now.version }, dispatcher)).statusCode).toBe(403);
      expect(await targets()).toEqual(now);
      expect(await eventsOf('queue.channel_targets_changed')).toHaveLength(changedBefore);
    });
  });

  it('counts-each-force-s-lists-apart', async () => {
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const ours = { rules: (await queues()).rulesVersion, targets: (await targets()).version };
    expect(ours.rules).toBeGreaterThan(1);
    expect((await queues(otherAdmin)).rulesVersion).toBe(1);
    expect((await targets(otherAdmin)).version).toBe(1);
    // Our version means nothing to the other force: one it never had.
    const theirs = await queues(otherAdmin);
    expect((await replace({ rules: asSent(theirs.rules), version: ours.rules }, otherAdmin)).statusCode).toBe(400);
    expect((await setTargets({ chat: { firstResponseMinutes: 9, nextResponseMinutes: 9 }, version: ours.targets }, otherAdmin)).statusCode).toBe(400);
    expect(await queues()).toMatchObject({ rulesVersion: ours.rules });
    expect((await targets()).version).toBe(ours.targets);
  });
});
