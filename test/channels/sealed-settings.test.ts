import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';

type Account = { id: string; channel: string; label: string; version: number };
type ErrorBody = { error: { code: string; message: string } };

/**
 * An account's stored settings that the server cannot use: sealed with a key it no longer has, or
 * no longer ones its channel accepts. Staff are told, as a 409, to connect the account again; a
 * provider or a visitor is answered 503 (a provider retries once it is mended); nothing answers 500.
 */
describe('stored settings the server cannot use', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  const lostKey = new SecretBox('a-secrets-key-this-server-no-longer-has-0002');

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
  });

  const accountOf = async (channel: string) => {
    const response = await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    const found = response.json<{ accounts: Account[] }>().accounts.find((account) => account.channel === channel);
    if (!found) throw new Error(`no ${channel} account`);
    return found;
  };
  const storeSealed = (accountId: string, sealed: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.updateTable('channel_accounts').set({ config_ciphertext: sealed }).where('id', '=', accountId).execute());
  const postApi = (body: string) =>
    app.inject({ method: 'POST', url: '/api/channels/api/messages', headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' }, payload: body });

  it('tells-staff-replaying-a-request-of-an-account-sealed-with-a-lost-key-to-connect-it-again', async () => {
    expect((await postApi('{"messageId": ')).statusCode).toBe(400);
    const rejected = await app.inject({ method: 'GET', url: '/api/channels/inbound?status=rejected', headers: admin.headers });
    const request = rejected.json<{ requests: { id: string; channel: string }[] }>().requests.find((each) => each.channel === 'api');
    if (!request) throw new Error('the malformed request was not kept');
    const api = await accountOf('api');
    await storeSealed(api.id, lostKey.seal(JSON.stringify({ token: 'demo-api-token', callbackUrl: null })));

    const replay = await app.inject({ method: 'POST', url: `/api/channels/inbound/${request.id}/replay`, headers: admin.headers });
    expect(replay.statusCode, replay.body).toBe(409);
    expect(replay.json<ErrorBody>().error.message).toContain('Connect it again with all of its settings');
    // The list still answers, and the provider is asked to try again later rather than refused.
    expect((await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).statusCode).toBe(200);
    const delivered = await postApi(JSON.stringify({ messageId: 'lost-key-1', from: { externalId: 'p-1' }, body: 'Hello' }));
    expect(delivered.statusCode, delivered.body).toBe(503);
    expect(delivered.headers['retry-after']).toBeDefined();
  });

  it('asks-a-chat-visitor-to-try-later-when-the-chat-s-stored-settings-are-no-longer-valid', async () => {
    const chat = await accountOf('chat');
    await storeSealed(chat.id, new SecretBox(app.config.secretsKey).seal(JSON.stringify({ widgetKey: 'demo-chat', allowedOrigins: 'not a list' })));
    const opened = await app.inject({ method: 'POST', url: '/chat/sessions', headers: { 'content-type': 'application/json' }, payload: { widgetKey: 'demo-chat' } });
    expect(opened.statusCode, opened.body).toBe(503);
    expect(opened.json<ErrorBody>().error.message).toBe('A stored credential cannot be read; try again later');
  });
});
