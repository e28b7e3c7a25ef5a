import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { EventCatalogueError, defineEvent, type NewEvent } from '../../src/platform/events/catalogue.ts';
import { record, recorderFor } from '../../src/platform/events/recorder.ts';
import { defineLiveCheck } from '../../src/platform/events/live-checks.ts';

const WAKE_CHANNEL = 'bluelamp_test_recorder_wake';

/** An event type of this test's own: one live message, one job and one wake-up per event. */
const somethingHappened = defineEvent({
  type: 'test.recorder_something_happened',
  subject: 'test',
  data: { n: z.number(), contactId: z.string(), note: z.string().optional() },
  live: (e) => [{ type: 'queue.changed', contactId: e.data.contactId }, { type: 'routing.changed' }],
  jobs: (e) => [{ type: 'test.recorder_follow_up', payload: { n: e.data.n }, idempotencyKey: `recorder-${e.data.n}` }],
  wakes: (e) => [{ channel: WAKE_CHANNEL, payload: e.forceId }],
});

/** An event type of this test's own whose units' messages a check decides: a unit changed, and routing. */
const unitTouched = defineEvent({
  type: 'test.recorder_unit_touched',
  subject: 'test',
  data: { unitId: z.string() },
  live: (e) => [{ type: 'units.changed', unitId: e.data.unitId }, { type: 'routing.changed' }],
});
type UnitsChanged = Extract<LiveMessage, { type: 'units.changed' }>;
/** What the check was given, each time it was asked; it keeps only the units whose id starts "kept". */
const checked: string[][] = [];
defineLiveCheck({
  name: 'test.recorder_units',
  applies: (message): message is UnitsChanged => message.type === 'units.changed' && message.unitId.startsWith('test-unit-'),
  keep: async (tx, _forceId, messages) => {
    checked.push(messages.map((message) => message.unitId));
    // A read in the recording transaction, as a room's check makes.
    await tx.selectFrom('forces').select('id').execute();
    return messages.filter((message) => message.unitId.startsWith('test-unit-kept'));
  },
});

/** A check whose read fails in the database, as a statement timeout or a cancelled query would. */
defineLiveCheck({
  name: 'test.recorder_failing_units',
  applies: (message): message is UnitsChanged => message.type === 'units.changed' && message.unitId.startsWith('failing-unit-'),
  keep: async (tx) => {
    await sql`select 1 / 0`.execute(tx);
    return [];
  },
});

const CONTACT = '00000000-0000-4000-8000-00000000c0de';
const happened = (n: number, contactId = CONTACT): NewEvent =>
  somethingHappened.of({ actor: { type: 'system', id: null }, subjectId: `thing-${n}`, data: { n, contactId } });

describe('the recorder', () => {
  let app: TestApp;
  const heard: LiveMessage[] = [];
  const woken: string[] = [];
  let stopListening: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    app = await createTestApp();
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    stopListening = await app.database.listen(WAKE_CHANNEL, (payload) => woken.push(payload));
  });
  afterAll(async () => {
    await stopListening?.();
    await app.close();
  });

  const eventsOfTest = () =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['seq', 'subject_id', 'data']).where('type', '=', somethingHappened.type).orderBy('seq').execute(),
    );
  const jobsOfTest = () =>
    withSystem(app.database.db, (tx) => tx.selectFrom('jobs').select(['idempotency_key', 'payload']).where('type', '=', 'test.recorder_follow_up').execute());

  it('appends a transaction\'s events when it commits, with the jobs that follow, and announces them only then', async () => {
    heard.length = 0;
    woken.length = 0;
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      record(tx, app.demoForceId, app.deps.clock, happened(1), happened(2));
      record(tx, app.demoForceId, app.deps.clock, happened(3, '00000000-0000-4000-8000-0000000c0de2'));
      // Nothing is written until the use case is done.
      expect(recorderFor(tx, app.demoForceId, app.deps.clock).pendingCount).toBe(3);
      const written = await tx.selectFrom('events').select('seq').where('type', '=', somethingHappened.type).execute();
      expect(written).toEqual([]);
      expect(heard).toEqual([]);
    });

    const events = await eventsOfTest();
    expect(events.map((e) => e.subject_id)).toEqual(['thing-1', 'thing-2', 'thing-3']);
    // One append: consecutive in the chain, in the order recorded.
    expect(events.map((e) => Number(e.seq) - Number(events[0]?.seq))).toEqual([0, 1, 2]);
    expect((await jobsOfTest()).map((j) => j.idempotency_key).sort()).toEqual(['recorder-1', 'recorder-2', 'recorder-3']);
    // The live messages of one transaction, each once: one per contact, one routing change.
    expect(heard).toEqual([
      { type: 'queue.changed', contactId: CONTACT },
      { type: 'routing.changed' },
      { type: 'queue.changed', contactId: '00000000-0000-4000-8000-0000000c0de2' },
    ]);
    expect(woken).toEqual([app.demoForceId]);
    expect((await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId))).ok).toBe(true);
  });

  it('records nothing, creates no job and announces nothing when the transaction rolls back', async () => {
    heard.length = 0;
    woken.length = 0;
    const before = (await eventsOfTest()).length;
    await expect(
      withForce(app.database.db, app.demoForceId, (tx) => {
        record(tx, app.demoForceId, app.deps.clock, happened(10));
        return Promise.reject(new Error('the use case failed'));
      }),
    ).rejects.toThrow('the use case failed');
    expect(await eventsOfTest()).toHaveLength(before);
    expect((await jobsOfTest()).map((j) => j.idempotency_key)).not.toContain('recorder-10');
    expect(heard).toEqual([]);
    expect(woken).toEqual([]);
  });

  it('writes at once when asked, for a use case that reads its own events back', async () => {
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      const recorder = recorderFor(tx, app.demoForceId, app.deps.clock);
      recorder.record(happened(20));
      const [stored] = await recorder.flush();
      expect(stored?.type).toBe(somethingHappened.type);
      const seen = await tx.selectFrom('events').select('subject_id').where('type', '=', somethingHappened.type).where('subject_id', '=', 'thing-20').execute();
      expect(seen).toHaveLength(1);
      // Recorded after the flush: written at commit, once.
      recorder.record(happened(21));
    });
    expect((await eventsOfTest()).filter((e) => e.subject_id === 'thing-20' || e.subject_id === 'thing-21')).toHaveLength(2);
  });

  it('refuses-data-that-does-not-fit-its-schema, naming the event type and the field', () => {
    const build = (data: unknown) => () => somethingHappened.of({ actor: { type: 'system', id: null }, subjectId: 'x', data: data as { n: number; contactId: string } });
    expect(build({ n: 'one', contactId: CONTACT })).toThrow(EventCatalogueError);
    expect(build({ n: 'one', contactId: CONTACT })).toThrow(/^event test\.recorder_something_happened refused: n: /);
    expect(build({ n: 1 })).toThrow(/contactId/);
    expect(build({ n: 1, contactId: CONTACT, extra: true })).toThrow(/Unrecognized key: "extra"/);
  });

  it('gives-unlogged-fields-to-the-jobs-alone-never-to-the-stored-event, and refuses them missing', () => {
    const secretive = defineEvent({
      type: 'test.recorder_secret_kept',
      subject: 'test',
      data: { ending: z.string() },
      unlogged: { whole: z.string() },
      jobs: (e) => [{ type: 'test.recorder_secret_job', payload: { whole: e.unlogged.whole }, idempotencyKey: 'secret' }],
    });
    const made = secretive.of({ actor: { type: 'system', id: null }, subjectId: 'x', data: { ending: '6789' }, unlogged: { whole: '+447700906789' } });
    expect(made.data).toEqual({ ending: '6789' });
    expect(JSON.stringify(made)).not.toContain('+447700906789');
    expect(made.followUps(app.demoForceId).jobs.map((job) => job.payload)).toEqual([{ whole: '+447700906789' }]);
    const missing = { actor: { type: 'system' as const, id: null }, subjectId: 'x', data: { ending: '6789' }, unlogged: {} as { whole: string } };
    expect(() => secretive.of(missing)).toThrow(/^event test\.recorder_secret_kept refused: unlogged whole: /);
  });

  it('refuses-an-event-type-the-catalogue-does-not-know', async () => {
    const made: NewEvent = { type: 'test.never_defined', actor: { type: 'system', id: null }, subject: { type: 'test', id: 'x' }, data: {}, followUps: () => ({ live: [], jobs: [], wakes: [] }) };
    await expect(
      withForce(app.database.db, app.demoForceId, (tx) => Promise.resolve(record(tx, app.demoForceId, app.deps.clock, made))),
    ).rejects.toThrow('event type test.never_defined is not in the catalogue');
  });

  it('sends a kind of live message a check decides only as the check keeps it, asking it once per transaction (decision 0159)', async () => {
    heard.length = 0;
    const touched = (unitId: string) => unitTouched.of({ actor: { type: 'system', id: null }, subjectId: unitId, data: { unitId } });
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      record(tx, app.demoForceId, app.deps.clock, touched('test-unit-kept-1'), touched('test-unit-dropped'), touched('test-unit-kept-2'));
    });
    expect(checked).toEqual([['test-unit-kept-1', 'test-unit-dropped', 'test-unit-kept-2']]);
    await expect.poll(() => heard.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(heard).toEqual([
      { type: 'units.changed', unitId: 'test-unit-kept-1' },
      { type: 'routing.changed' },
      { type: 'units.changed', unitId: 'test-unit-kept-2' },
    ]);
    // A transaction with none of its kind does not ask it, and sends what it derives.
    heard.length = 0;
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      record(tx, app.demoForceId, app.deps.clock, touched('other-unit'));
    });
    expect(checked).toHaveLength(1);
    await expect.poll(() => heard, { timeout: 20_000 }).toEqual([{ type: 'units.changed', unitId: 'other-unit' }, { type: 'routing.changed' }]);
    expect(() => defineLiveCheck({ name: 'test.recorder_units', applies: (message): message is UnitsChanged => message.type === 'units.changed', keep: async (_tx, _forceId, messages) => messages })).toThrow('is defined twice');
  });

  it('commits a transaction whose live check fails, and sends what the check would have decided (decision 0159)', async () => {
    heard.length = 0;
    const touched = (unitId: string) => unitTouched.of({ actor: { type: 'system', id: null }, subjectId: unitId, data: { unitId } });
    // A check only spares consoles a read: its failure must not undo the work it was to announce.
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      record(tx, app.demoForceId, app.deps.clock, touched('failing-unit-1'));
    });
    const stored = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('subject_id').where('type', '=', unitTouched.type).where('subject_id', '=', 'failing-unit-1').execute(),
    );
    expect(stored).toEqual([{ subject_id: 'failing-unit-1' }]);
    await expect.poll(() => heard, { timeout: 20_000 }).toEqual([{ type: 'units.changed', unitId: 'failing-unit-1' }, { type: 'routing.changed' }]);
  });

  it('refuses-a-second-definition-of-one-event-type', () => {
    expect(() => defineEvent({ type: somethingHappened.type, subject: 'test', data: {} })).toThrow('is defined twice');
  });

  it('refuses-to-record-in-a-transaction-it-cannot-finish: only withForce and withSystem run work before commit', async () => {
    await expect(
      app.database.db.transaction().execute((tx) => Promise.resolve(record(tx, app.demoForceId, app.deps.clock, happened(30)))),
    ).rejects.toThrow('needs a transaction opened by withForce or withSystem');
    expect((await eventsOfTest()).filter((e) => e.subject_id === 'thing-30')).toEqual([]);
  });

  it('reads stored events leniently: unknown fields pass, a missing optional one is fine, a wrong type is no event of this type', () => {
    const stored = {
      forceId: app.demoForceId,
      seq: 1,
      id: 'e',
      occurredAt: new Date(),
      actorType: 'system' as const,
      actorId: null,
      type: somethingHappened.type,
      subjectType: 'test',
      subjectId: 'x',
      data: { n: 1, contactId: CONTACT, addedLater: 'yes' },
      prevHash: '',
      hash: '',
    };
    expect(somethingHappened.read(stored)?.data).toMatchObject({ n: 1, contactId: CONTACT });
    expect(somethingHappened.read({ ...stored, data: { n: 'one', contactId: CONTACT } })).toBeNull();
    expect(somethingHappened.read({ ...stored, type: 'contact.closed' })).toBeNull();
  });
});
