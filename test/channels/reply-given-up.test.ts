import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { MetaSuite } from './meta-kit.ts';

// A reply's send job given up for a failure outside the send (decision 0116): the Facebook Page's
// settings no longer open, so every attempt throws before Meta is asked. The reply is failed, in
// staff's words, rather than shown "sending" for ever. The Graph API is a local stand-in.

describe(`a reply whose send job is given up (${ENGINE})`, () => {
  const suite = new MetaSuite();
  let app: TestApp;
  beforeAll(async () => {
    await suite.start();
    app = suite.app;
    expect((await suite.postFixture('facebook-message.json')).statusCode).toBe(200);
  });
  afterAll(() => suite.close());

  const inDemo = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app.database.db, app.demoForceId, work);
  const eventsOf = (messageId: string) =>
    inDemo((tx) => tx.selectFrom('events').select('type').where('type', 'like', 'message.%').where(sql<string>`data->>'messageId'`, '=', messageId).orderBy('seq').execute());

  it('fails-the-reply-in-staff’s-words-when-its-send-job-dies-before-the-send, once', async () => {
    const { id: contactId } = await suite.contactOf('mid.1457764197618:41d102a3e1ae206a38');
    const page = await inDemo((tx) => tx.selectFrom('channel_accounts').select(['id', 'config_ciphertext']).where('label', '=', 'Demo Facebook Page').executeTakeFirstOrThrow());
    await inDemo((tx) => tx.updateTable('channel_accounts').set({ config_ciphertext: 'not-sealed-settings' }).where('id', '=', page.id).execute());
    const handler = await signIn(app, 'handler@demo.police.uk');
    const written = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'Please call 101 and quote this conversation.' } });
    expect(written.statusCode).toBe(201);
    const message = await inDemo((tx) => tx.selectFrom('messages').select('id').where('contact_id', '=', contactId).where('direction', '=', 'outbound').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow());
    const jobOf = () => inDemo((tx) => tx.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('idempotency_key', '=', message.id).executeTakeFirstOrThrow());
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await app.runner?.runDue();
      suite.advanceClock(60 * 60_000);
    }
    const job = await jobOf();
    expect(job).toMatchObject({ state: 'dead', attempts: 6 });
    const reply = (await suite.detail(contactId)).messages.at(-1);
    expect(reply).toMatchObject({ direction: 'outbound', deliveryStatus: 'failed', deliveryError: 'the message could not be sent after 6 attempts; write it again' });
    // The internal failure stays on the job, for an admin, never in what staff read.
    expect(job.last_error).toMatch(/settings/);
    expect(suite.standIn.requests).toHaveLength(0);
    expect((await eventsOf(message.id)).map((e) => e.type)).toEqual(['message.failed']);

    // The settings mended and the dead job retried by an admin: staff were told the reply failed and
    // to write it again, so it is not sent behind their backs (they may have written it again).
    await inDemo((tx) => tx.updateTable('channel_accounts').set({ config_ciphertext: page.config_ciphertext }).where('id', '=', page.id).execute());
    const jobId = (await inDemo((tx) => tx.selectFrom('jobs').select('id').where('idempotency_key', '=', message.id).executeTakeFirstOrThrow())).id;
    const admin = await signIn(app, 'admin@demo.police.uk');
    expect((await app.inject({ method: 'POST', url: `/api/jobs/${jobId}/retry`, headers: admin.headers })).statusCode).toBe(200);
    await app.runner?.runDue();
    expect(await jobOf()).toMatchObject({ state: 'done' });
    expect(suite.standIn.requests).toHaveLength(0);
    expect((await suite.detail(contactId)).messages.at(-1)).toMatchObject({ deliveryStatus: 'failed' });
    expect((await eventsOf(message.id)).map((e) => e.type)).toEqual(['message.failed']);
    // Run again by a worker that took the job over, its last attempt not yet recorded: settled once.
    await inDemo((tx) => tx.updateTable('jobs').set({ state: 'pending', attempts: 5, run_at: app.deps.clock.now() }).where('idempotency_key', '=', message.id).execute());
    await app.runner?.runDue();
    expect((await eventsOf(message.id)).map((e) => e.type)).toEqual(['message.failed']);
    expect(suite.standIn.requests).toHaveLength(0);
    expect(await inDemo((tx) => verifyChain(tx, app.demoForceId))).toMatchObject({ ok: true });
  });
});
