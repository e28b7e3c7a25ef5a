import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { imageWebhookBody, startGraph, type MediaFile } from './whatsapp-graph.ts';

// Staff try again a WhatsApp photo Meta could not be reached for (decision 0106). The Graph API's
// media look-up and the lookaside download are served locally as Meta documents them.

const START = new Date('2026-03-02T09:00:00Z');
const APP_SECRET = 'retry-app-secret';
const TOKEN = 'retry-system-user-token';
const OTHER_TOKEN = 'retry-other-force-token';
const PHONE_NUMBER_ID = '1000000000050';
const OTHER_PHONE_NUMBER_ID = '1000000000060';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF the van, tried again')]);
const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

type Attachment = { id: string; state: string; sha256: string | null; refusal: string | null; canRetry: boolean };
type Detail = { messages: { attachments: Attachment[] }[] };

describe(`a refused download tried again by staff (${ENGINE})`, () => {
  const clock = fixedClock(START);
  const heard: LiveMessage[] = [];
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startGraph>>;
  let otherForceId: ForceId;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let sent = 0;

  const connect = (forceId: ForceId, phoneNumberId: string, accessToken: string) =>
    connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, metaChannel as AnyChannelAdapter, {
      label: `WhatsApp ${phoneNumberId}`,
      config: { platform: 'whatsapp', phoneNumberId, businessAccountId: '1000000000051', appSecret: APP_SECRET, accessToken, apiBaseUrl: `${graph.url}/v21.0` },
      actor: { type: 'system', id: null },
    });

  /** Meta's image webhook sample, for a new message and media id. */
  async function receive(file: MediaFile, webhookSha256 = createHash('sha256').update(file.bytes).digest('base64')) {
    sent += 1;
    const mediaId = String(2754859441499100 + sent);
    const messageId = `wamid.retry${sent}`;
    graph.files.set(mediaId, file);
    const body = imageWebhookBody(file, { mediaId, messageId, from: `4477009005${String(sent).padStart(2, '0')}`, sha256: webhookSha256 });
    const response = await app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(body), APP_SECRET) }, payload: body });
    expect(response.statusCode).toBe(200);
    const forceId = file.owner === PHONE_NUMBER_ID ? app.demoForceId : otherForceId;
    const row = await withForce(app.database.db, forceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('attachments as a', 'a.message_id', 'm.id')
        .select(['m.contact_id', 'a.id'])
        .where('m.provider_message_id', '=', messageId)
        .executeTakeFirstOrThrow(),
    );
    return { mediaId, contactId: row.contact_id, attachmentId: row.id, forceId };
  }

  /** Every attempt the job makes, each past its backoff, while the Graph API is down: refused on the last. */
  async function failForGood(file: MediaFile) {
    graph.setDown(true);
    const received = await receive(file);
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await app.runner?.runDue();
      clock.advance(60 * 60_000);
    }
    graph.setDown(false);
    // Six hours on, the session has lapsed: sign in again.
    handler = await signIn(app, 'handler@demo.police.uk');
    return received;
  }

  const attachmentOf = async (contactId: string, headers = handler.headers) => {
    const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers });
    expect(response.statusCode).toBe(200);
    return response.json<Detail>().messages[0]!.attachments[0]!;
  };
  const retry = (attachmentId: string, headers = handler.headers) => app.inject({ method: 'POST', url: `/api/attachments/${attachmentId}/retry`, headers });
  const eventsOf = async (contactId: string, attachmentId: string, forceId: ForceId = app.demoForceId) => {
    const events = await withForce(app.database.db, forceId, (tx) =>
      tx.selectFrom('events').select(['type', 'actor_type', 'actor_id', 'data']).where('subject_id', '=', contactId).where('type', 'like', 'attachment.%').orderBy('seq').execute(),
    );
    return events.filter((event) => (event.data as { attachmentId?: string }).attachmentId === attachmentId);
  };
  const downloadsOf = (mediaId: string) => graph.seen.filter((r) => r.path.startsWith('/whatsapp_business/') && r.path.includes(mediaId)).length;

  beforeAll(async () => {
    graph = await startGraph({ [PHONE_NUMBER_ID]: TOKEN, [OTHER_PHONE_NUMBER_ID]: OTHER_TOKEN });
    app = await createTestApp({ overrides: { clock } });
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    await connect(app.demoForceId, PHONE_NUMBER_ID, TOKEN);
    otherForceId = (await createOtherForce(app)).forceId;
    await connect(otherForceId, OTHER_PHONE_NUMBER_ID, OTHER_TOKEN);
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });

  it('stores-the-file-once-with-its-hash-when-tried-again-after-the-provider-came-back', async () => {
    const { mediaId, contactId, attachmentId } = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'refused', canRetry: true, refusal: expect.stringMatching(/could not be reached after 6 attempts/) });
    heard.length = 0;

    const response = await retry(attachmentId);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ state: 'fetching' });
    expect(heard).toContainEqual({ type: 'queue.changed', contactId });
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'fetching', refusal: null, canRetry: false });

    heard.length = 0;
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored', sha256: hex(JPEG), refusal: null, canRetry: false });
    expect(heard).toContainEqual({ type: 'queue.changed', contactId });
    expect(downloadsOf(mediaId)).toBe(1);
    // Run again (as after a crash before the job was marked done): nothing more is downloaded or recorded.
    await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.updateTable('jobs').set({ state: 'pending', run_at: clock.now(), locked_until: null }).where('idempotency_key', '=', `${attachmentId}:retry:1`).execute(),
    );
    await app.runner?.runDue();
    expect(downloadsOf(mediaId)).toBe(1);

    const events = await eventsOf(contactId, attachmentId);
    expect(events.map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried', 'attachment.stored']);
    expect(events[1]).toMatchObject({ actor_type: 'staff', actor_id: handler.user.id, data: { retry: 1, previousReason: expect.stringMatching(/could not be reached/) } });
    expect(events[2]?.data).toMatchObject({ sha256: hex(JPEG), bytesKept: true });
    const opened = await app.inject({ method: 'GET', url: `/api/attachments/${attachmentId}`, headers: handler.headers });
    expect(opened.headers['x-content-sha256']).toBe(hex(JPEG));

    const again = await retry(attachmentId);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { message: string } }>().error.message).toMatch(/already downloaded/);
    expect(await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });

  it('asks-for-nothing-more-on-a-second-click-while-the-first-try-runs', async () => {
    const { contactId, attachmentId } = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    expect((await retry(attachmentId)).statusCode).toBe(202);
    const second = await retry(attachmentId);
    expect(second.statusCode).toBe(409);
    expect(second.json<{ error: { message: string } }>().error.message).toMatch(/already being fetched/);
    const jobs = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('jobs').select('idempotency_key').where('idempotency_key', 'like', `${attachmentId}:%`).execute());
    expect(jobs.map((job) => job.idempotency_key)).toEqual([`${attachmentId}:retry:1`]);
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried']);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored' });
  });

  it('moves-the-file-once-of-twenty-tries-at-once, one event and one job', async () => {
    const { contactId, attachmentId } = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    const answers = await Promise.all(Array.from({ length: 20 }, () => retry(attachmentId)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, ...Array.from({ length: 19 }, () => 409)]);
    const jobs = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('jobs').select('idempotency_key').where('idempotency_key', 'like', `${attachmentId}:%`).execute());
    expect(jobs.map((job) => job.idempotency_key)).toEqual([`${attachmentId}:retry:1`]);
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried']);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored' });
    expect(await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });

  it('refuses-it-again-with-a-new-event-when-the-provider-is-still-down, and may be tried once more', async () => {
    const { contactId, attachmentId } = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    graph.setDown(true);
    expect((await retry(attachmentId)).statusCode).toBe(202);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'refused', canRetry: true, refusal: expect.stringMatching(/could not be reached after 1 attempt \(/) });
    graph.setDown(false);
    expect((await retry(attachmentId)).statusCode).toBe(202);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored', sha256: hex(JPEG) });
    const events = await eventsOf(contactId, attachmentId);
    expect(events.map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried', 'attachment.refused', 'attachment.retried', 'attachment.stored']);
    expect(events.filter((e) => e.type === 'attachment.retried').map((e) => (e.data as { retry: number }).retry)).toEqual([1, 2]);
  });

  it('may-try-again-a-file-refused-because-the-account’s-token-was-revoked, once the account is mended', async () => {
    graph.setTokenRevoked(true);
    const { contactId, attachmentId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    // Refused at once (trying again on the job's own schedule would not mend a token), but not for good.
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'refused', canRetry: true, refusal: expect.stringMatching(/code 190.*reconnect the account, then try again/) });
    graph.setTokenRevoked(false);
    expect((await retry(attachmentId)).statusCode).toBe(202);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored', sha256: hex(JPEG) });
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried', 'attachment.stored']);
  });

  it('refuses-the-file-as-unreachable-when-its-job-dies-outside-the-download, once, and may try it again', async () => {
    // The account's settings no longer open (sealed under a key since rotated, say): the handler
    // throws before any download, on every attempt, and the job is given up after its sixth.
    const account = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('channel_accounts').select(['id', 'config_ciphertext']).where('label', '=', `WhatsApp ${PHONE_NUMBER_ID}`).executeTakeFirstOrThrow(),
    );
    const sealAccount = (sealed: string) => withForce(app.database.db, app.demoForceId, (tx) => tx.updateTable('channel_accounts').set({ config_ciphertext: sealed }).where('id', '=', account.id).execute());
    const { mediaId, contactId, attachmentId } = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    await sealAccount('not-sealed-settings');
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await app.runner?.runDue();
      clock.advance(60 * 60_000);
    }
    handler = await signIn(app, 'handler@demo.police.uk');
    const dead = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('jobs').select(['state', 'attempts']).where('idempotency_key', '=', attachmentId).executeTakeFirstOrThrow());
    expect(dead).toEqual({ state: 'dead', attempts: 6 });
    const refused = await attachmentOf(contactId);
    expect(refused).toMatchObject({ state: 'refused', canRetry: true, refusal: 'the download could not be completed after 6 attempts; try again' });
    // Nothing of the internal failure reaches staff.
    expect(refused.refusal).not.toMatch(/settings|sealed/);
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused']);

    // Run again by an admin (or a worker that took it over): the file is settled once.
    await withForce(app.database.db, app.demoForceId, (tx) => tx.updateTable('jobs').set({ state: 'pending', attempts: 5, run_at: clock.now() }).where('idempotency_key', '=', attachmentId).execute());
    await app.runner?.runDue();
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused']);

    // Staff's own try dies the same way (one attempt): refused again, and may be tried once more.
    expect((await retry(attachmentId)).statusCode).toBe(202);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'refused', canRetry: true, refusal: 'the download could not be completed after 1 attempt; try again' });
    await sealAccount(account.config_ciphertext);
    expect((await retry(attachmentId)).statusCode).toBe(202);
    await app.runner?.runDue();
    expect(await attachmentOf(contactId)).toMatchObject({ state: 'stored', sha256: hex(JPEG) });
    expect(downloadsOf(mediaId)).toBe(1);
    expect((await eventsOf(contactId, attachmentId)).map((e) => e.type)).toEqual(['attachment.refused', 'attachment.retried', 'attachment.refused', 'attachment.retried', 'attachment.stored']);
    expect(await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });

  it('never-tries-again-a-file-a-check-refused, saying why', async () => {
    const mismatched = await receive({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID }, createHash('sha256').update('another photo').digest('base64'));
    const tooLarge = await receive({ bytes: JPEG, mimeType: 'image/jpeg', fileSize: 16 * 1024 * 1024, owner: PHONE_NUMBER_ID });
    await app.runner?.runDue();
    for (const [refused, reason] of [
      [mismatched, /refused by a check.*SHA-256/],
      [tooLarge, /refused by a check.*larger than 10 MB/],
    ] as const) {
      expect(await attachmentOf(refused.contactId)).toMatchObject({ state: 'refused', canRetry: false });
      const response = await retry(refused.attachmentId);
      expect(response.statusCode).toBe(409);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(reason);
      expect((await eventsOf(refused.contactId, refused.attachmentId)).map((e) => e.type)).toEqual(['attachment.refused']);
    }
  });

  it('answers-404-for-another-force’s-attachment, 403 to a role that may not reply, 400 to a malformed id', async () => {
    const theirs = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: OTHER_PHONE_NUMBER_ID });
    expect((await retry(theirs.attachmentId)).statusCode).toBe(404);
    expect((await eventsOf(theirs.contactId, theirs.attachmentId, otherForceId)).map((e) => e.type)).toEqual(['attachment.refused']);

    const ours = await failForGood({ bytes: JPEG, mimeType: 'image/jpeg', owner: PHONE_NUMBER_ID });
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    expect((await retry(ours.attachmentId, investigator.headers)).statusCode).toBe(403);
    expect(await attachmentOf(ours.contactId, investigator.headers)).toMatchObject({ state: 'refused', canRetry: true });
    expect((await retry('not-an-id')).statusCode).toBe(400);
  });
});
