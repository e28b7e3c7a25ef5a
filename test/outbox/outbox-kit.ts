import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { afterAll, beforeAll } from 'vitest';
import { createDemoLikeForce, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { PUBLIC_URL, fixture } from '../channels/twilio-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import type { ForceId, StaffId } from '../../src/platform/ids.ts';
import type { OutboxAlternative } from '../../src/platform/db/tables.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { notifySmsChannel } from '../../src/capabilities/channels/notify/notify.channel.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import { createCase } from '../../src/capabilities/cases/cases.service.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';
import { DELIVER_JOB, outboxDeliveryJob } from '../../src/capabilities/outbox/outbox.events.ts';
import { createDeliverHandler } from '../../src/capabilities/outbox/outbox-delivery.jobs.ts';
import { JobRunner } from '../../src/platform/jobs/jobs.ts';
import { MailerPool } from '../../src/platform/mail/mailer.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { Logger } from 'pino';

// Notify's real payloads, kept with the Notify channel (see its fixtures' README).
const fixturesDir = new URL('../../src/capabilities/channels/notify/fixtures/', import.meta.url);
export const notifyFixture = (name: string) => z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')));

/** A Notify API key of our own (key name, service id, secret), so the test can check the token's signature. */
export const SERVICE_ID = '44444444-4444-4444-8444-444444444444';
export const KEY_SECRET = '55555555-5555-4555-8555-555555555555';
export const API_KEY = `journeys_test-${SERVICE_ID}-${KEY_SECRET}`;
export const SMS_TEMPLATE_ID = '66666666-6666-4666-8666-666666666666';
export const EMAIL_TEMPLATE_ID = '77777777-7777-4777-8777-777777777777';

/** A force of its own (no channels), with a member of staff and a case the messages are about. */
export async function createForceWithCase(app: TestApp): Promise<{ forceId: ForceId; caseId: string; staffId: StaffId; slug: string }> {
  const { forceId, slug, emailOf } = await createDemoLikeForce(app);
  const staff = await withForce(app.database.db, forceId, (tx) =>
    tx.selectFrom('staff').select('id').where('email', '=', emailOf('investigator@demo.police.uk')).executeTakeFirstOrThrow(),
  );
  const created = await createCase(app.deps, forceId, staff.id as StaffId, { summary: 'Bicycle stolen from a shed' });
  return { forceId, caseId: created.id, staffId: staff.id as StaffId, slug };
}

/** Connects a Notify service for the force, its API at `apiBaseUrl`; its callbacks carry `callbackToken`. */
export async function connectNotify(app: TestApp, forceId: ForceId, apiBaseUrl: string, callbackToken: string, extra: Record<string, unknown> = {}) {
  await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, notifySmsChannel as AnyChannelAdapter, {
    label: 'Journeys Notify service',
    config: { callbackToken, apiKey: API_KEY, replyTemplateId: SMS_TEMPLATE_ID, apiBaseUrl, ...extra },
    actor: { type: 'system', id: null },
  });
}

/**
 * A force of its own with a case, connected to the Notify stand-in, which accepts each message
 * under an id of its own starting `idStem` (8 hex digits); the connection's first jobs are run.
 */
export async function createForceWithNotifyCase(
  app: TestApp,
  notify: Awaited<ReturnType<typeof startStandIn>>,
  callbackToken: string,
  idStem: string,
): Promise<{ forceId: ForceId; caseId: string }> {
  const { forceId, caseId } = await createForceWithCase(app);
  await connectNotify(app, forceId, notify.url, callbackToken);
  notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `${idStem}-0000-4000-8000-0000000000${String(n).padStart(2, '0')}` }));
  await app.runner?.runDue();
  return { forceId, caseId };
}

/** What `useNotifyCase` starts for a test file; read only inside tests and hooks. */
export type NotifyCase = { app: TestApp; notify: Awaited<ReturnType<typeof startStandIn>>; forceId: ForceId; caseId: string };

/**
 * Starts a test file's app, the Notify stand-in and a force with a case connected to it
 * (`createForceWithNotifyCase`) before its tests, and closes them after. Call it once, at the top of a describe.
 */
export function useNotifyCase(callbackToken: string, idStem: string): NotifyCase {
  const started = {} as NotifyCase;
  beforeAll(async () => {
    started.notify = await startStandIn();
    started.app = await createTestApp();
    Object.assign(started, await createForceWithNotifyCase(started.app, started.notify, callbackToken, idStem));
  });
  afterAll(async () => {
    await started.app?.close();
    await started.notify?.close();
  });
  return started;
}

/** The Twilio account `connectTwilio` connects unless told another: its Account SID and auth token. */
export const JOURNEYS_TWILIO_ACCOUNT = { accountSid: 'AC00000000000000000000000000000042', authToken: 'journeys-twilio-token' };

/**
 * Connects a Twilio number for the force, its API at `apiBaseUrl`, its delivery reports to
 * `statusCallbackUrl` (none by default), on `account` (`JOURNEYS_TWILIO_ACCOUNT` by default).
 */
export async function connectTwilio(
  app: TestApp,
  forceId: ForceId,
  apiBaseUrl: string,
  phoneNumber: string,
  statusCallbackUrl: string | null = null,
  account: { accountSid: string; authToken: string } = JOURNEYS_TWILIO_ACCOUNT,
) {
  await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, twilioSmsChannel as AnyChannelAdapter, {
    label: 'Journeys Twilio number',
    config: { ...account, phoneNumber, statusCallbackUrl, apiBaseUrl },
    actor: { type: 'system', id: null },
  });
}

let queued = 0;

/** Queues a message on these channels (first first) with its delivery job, as a journey does; returns the outbox id. */
export async function queueWithDelivery(
  app: Pick<TestApp, 'database' | 'deps'>,
  forceId: ForceId,
  channels: OutboxAlternative[],
  options: { caseId?: string; notBefore?: Date; runAt?: Date; purpose?: string } = {},
): Promise<string> {
  queued += 1;
  return withForce(app.database.db, forceId, async (tx) => {
    const id = await queueMessage(tx, forceId, app.deps.clock, {
      channels,
      purpose: options.purpose ?? 'journey.test',
      idempotencyKey: `outbox-test-${queued}`,
      caseId: options.caseId ?? null,
      notBefore: options.notBefore ?? null,
    });
    if (!id) throw new Error('not queued');
    await enqueueJob(tx, forceId, app.deps.clock, outboxDeliveryJob(id, options.runAt));
    return id;
  });
}

/** The outbox row. */
export function outboxRow(app: Pick<TestApp, 'database'>, forceId: ForceId, id: string) {
  return withForce(app.database.db, forceId, (tx) => tx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

/** The events about one outbox message, in order: type and data. */
export async function outboxEvents(app: Pick<TestApp, 'database'>, forceId: ForceId, id: string) {
  const rows = await withForce(app.database.db, forceId, (tx) =>
    tx.selectFrom('events').select(['type', 'data', 'actor_type']).where('subject_type', '=', 'outbox').where('subject_id', '=', id).orderBy('seq').execute(),
  );
  return rows.map((row) => ({ type: row.type, data: row.data, actor: row.actor_type }));
}

/**
 * Checks a request's bearer token as Notify does: an HS256 JWT whose issuer is the service id,
 * signed with the API key's secret. Returns the claims, or throws.
 */
export function verifyNotifyToken(authorization: string | string[] | undefined): { iss: string; iat: number } {
  const token = typeof authorization === 'string' ? authorization.replace(/^Bearer /, '') : '';
  const [header = '', payload = '', signature = ''] = token.split('.');
  const expected = createHmac('sha256', KEY_SECRET).update(`${header}.${payload}`).digest('base64url');
  if (signature !== expected) throw new Error('the token is not signed with the API key secret');
  z.object({ alg: z.literal('HS256'), typ: z.literal('JWT') }).parse(JSON.parse(Buffer.from(header, 'base64url').toString()));
  return z.object({ iss: z.string(), iat: z.number() }).parse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
}

/** Posts a Notify delivery receipt to the status webhook, as Notify does. */
export function postNotifyReceipt(app: TestApp, callbackToken: string, receipt: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/notify/status',
    headers: { authorization: `Bearer ${callbackToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify(receipt),
  });
}

/**
 * A fetch whose answers reach the delivery run only when `wake` lets them go: the provider has the
 * request, the run is stalled (a paused process). `isAnswered` settles once the provider answered.
 */
export function stalledFetch() {
  let wake = () => {};
  const woken = new Promise<void>((resolve) => (wake = resolve));
  let answered = () => {};
  const isAnswered = new Promise<void>((resolve) => (answered = resolve));
  const fetcher: typeof fetch = async (input, init) => {
    const answer = await fetch(input, init);
    answered();
    await woken;
    return answer;
  };
  return { fetcher, isAnswered, wake };
}

/**
 * Delivery runs whose lease renewals never get through (a paused process), and a text one of them
 * leaves in doubt: its first run stalls with the provider's answer (the provider has it), its lease
 * runs out, and the run that takes its job over fails it as outcome unknown (decision 0163).
 * `stalled` is that first run, still waiting: `wake` lets the provider's answer reach it.
 */
export function inDoubtTexts(options: {
  app: () => Pick<TestApp, 'database' | 'deps' | 'config'>;
  clock: Clock & { advance(ms: number): void };
  leaseMs: number;
  /** Where the delivery runs log (what they did not record, and why); none by default. */
  logger?: Logger;
}) {
  const mailers = new MailerPool();
  const worker = (fetcher: typeof fetch = fetch) => {
    const app = options.app();
    const secrets = new SecretBox(app.config.secretsKey);
    const deliver = createDeliverHandler({ clock: options.clock, mailer: null, mailFrom: 'test@example.org', mailers, secrets, fetcher, ...(options.logger ? { logger: options.logger } : {}) });
    return new JobRunner({
      db: app.database.db,
      clock: options.clock,
      logger: app.deps.logger,
      handlers: new Map(),
      batchHandlers: new Map([[DELIVER_JOB, deliver]]),
      leaseMs: options.leaseMs,
      leaseRenewMs: 3_600_000,
    });
  };
  const failAsUnknown = async (forceId: ForceId, caseId: string, recipient: string, purpose: string) => {
    const id = await queueWithDelivery(options.app(), forceId, [{ channel: 'sms', recipient, subject: '', body: 'How did we do? Tell us in two minutes.' }], { purpose, caseId });
    const { fetcher, isAnswered, wake } = stalledFetch();
    const stalled = worker(fetcher).runDue();
    await isAnswered;
    options.clock.advance(options.leaseMs + 1_000);
    await worker().runDue();
    return { id, stalled, wake };
  };
  return { worker, failAsUnknown, close: () => mailers.close() };
}

/** A force of its own with a case (`createForceWithCase`). */
type ForceWithCase = Awaited<ReturnType<typeof createForceWithCase>>;

/** What `twilioForcesKit` starts for a test file; read only inside tests and hooks. */
export type TwilioForces = {
  app: TestApp;
  twilio: Awaited<ReturnType<typeof startStandIn>>;
  /** The force whose texts the tests send, through its Twilio number. */
  force: ForceWithCase;
  /** Another force, with a Twilio number of its own on the same account. */
  other: ForceWithCase;
  /** How many texts the Twilio stand-in has taken: the latest one's sid is `SMlate` then this, 28 digits. */
  sids: number;
  /** Texts left in doubt by a stalled delivery run (`inDoubtTexts`). */
  texts: ReturnType<typeof inDoubtTexts>;
};

/**
 * Starts a test file's app (on `clock`, with PUBLIC_URL), the Twilio stand-in and two forces with
 * a case, each with a Twilio number (`number`, `otherNumber`) asking for no delivery reports,
 * before its tests, and closes them after. The stand-in answers each text with a sid of its own
 * (`sids`). Call it once, at the top of a describe.
 */
export function twilioForcesKit(options: { clock: Clock & { advance(ms: number): void }; leaseMs: number; number: string; otherNumber: string; env?: Record<string, string> }): TwilioForces {
  const kit = { sids: 0 } as TwilioForces;
  kit.texts = inDoubtTexts({ app: () => kit.app, clock: options.clock, leaseMs: options.leaseMs });
  beforeAll(async () => {
    kit.twilio = await startStandIn();
    kit.app = await createTestApp({ overrides: { clock: options.clock }, env: { PUBLIC_URL, ...options.env } });
    kit.force = await createForceWithCase(kit.app);
    await connectTwilio(kit.app, kit.force.forceId, kit.twilio.url, options.number);
    kit.other = await createForceWithCase(kit.app);
    await connectTwilio(kit.app, kit.other.forceId, kit.twilio.url, options.otherNumber);
    kit.twilio.respondWith(201, (n: number) => {
      kit.sids = n;
      return { ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMlate${String(n).padStart(28, '0')}` };
    });
    await kit.app.runner?.runDue();
  });
  afterAll(async () => {
    await kit.app?.close();
    await kit.twilio?.close();
    kit.texts.close();
  });
  return kit;
}
