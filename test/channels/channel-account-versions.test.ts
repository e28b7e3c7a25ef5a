import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, addTestStaff, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';

type Account = { id: string; channel: string; label: string; isEnabled: boolean; version: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

/**
 * Renaming, disabling and enabling a channel account are made from the version the admin read
 * (decision 0093): each counts a version, and one made from a version older than the account's is
 * refused with the 409 every "changed since you opened it" refusal gives, instead of silently
 * replacing someone else's rename or the settings they connected it again with.
 */
describe('renaming and switching a channel account from the version read', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let secondAdmin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    await addTestStaff(app, app.demoForceId, { email: 'second.admin@demo.police.uk', name: 'Bea Second', role: 'force_admin', password: 'second-password' });
    admin = await signIn(app, 'admin@demo.police.uk');
    secondAdmin = await signIn(app, 'second.admin@demo.police.uk', 'second-password');
  });
  afterAll(() => app.close());

  const accountOf = async (channel: string) => {
    const listed = (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json<{ accounts: Account[] }>().accounts;
    const found = listed.find((account) => account.channel === channel);
    if (!found) throw new Error(`no ${channel} account`);
    return found;
  };
  const update = (id: string, payload: object, headers = admin.headers) => app.inject({ method: 'POST', url: `/api/channels/${id}`, headers, payload });
  const postApi = (token: string, messageId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, from: { externalId: 'versions-person' }, body: 'Hello' }),
    });

  it('counts-a-version-for-every-rename-disable-and-enable', async () => {
    const notify = await accountOf('sms_notify');
    const renamed = await update(notify.id, { label: 'Notify texts', version: notify.version });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<{ account: Account }>().account).toMatchObject({ label: 'Notify texts', version: notify.version + 1 });
    const disabled = await update(notify.id, { isEnabled: false, version: notify.version + 1 });
    expect(disabled.json<{ account: Account }>().account).toMatchObject({ isEnabled: false, version: notify.version + 2 });
    const enabled = await update(notify.id, { isEnabled: true, version: notify.version + 2 });
    expect(enabled.json<{ account: Account }>().account).toMatchObject({ isEnabled: true, version: notify.version + 3 });
    expect((await accountOf('sms_notify')).version).toBe(notify.version + 3);
  });

  it('refuses-a-rename-from-before-someone-else-s-rename-naming-who-and-changing-nothing', async () => {
    const twilio = await accountOf('sms_twilio');
    expect((await update(twilio.id, { label: 'Bea’s name', version: twilio.version }, secondAdmin.headers)).statusCode).toBe(200);
    const stale = await update(twilio.id, { label: 'My name', version: twilio.version });
    expect(stale.statusCode, stale.body).toBe(409);
    const { error } = stale.json<ErrorBody>();
    expect(error).toMatchObject({ code: 'conflict', fields: [{ path: 'body.version' }] });
    expect(error.message).toContain('This channel account was changed by someone else after you opened it: Bea Second changed it');
    expect(error.message).toContain(`You had version ${twilio.version}; it is now version ${twilio.version + 1}. Nothing was changed.`);
    // A switch from the same stale version is refused too.
    expect((await update(twilio.id, { isEnabled: false, version: twilio.version })).statusCode).toBe(409);
    expect(await accountOf('sms_twilio')).toMatchObject({ label: 'Bea’s name', isEnabled: true, version: twilio.version + 1 });
    // A version the account has never had is bad input, not a conflict.
    expect((await update(twilio.id, { label: 'x', version: twilio.version + 5 })).statusCode).toBe(400);
  });

  it('refuses-a-rename-from-before-the-account-was-connected-again', async () => {
    const api = await accountOf('api');
    const reconnected = await app.inject({
      method: 'POST',
      url: `/api/channels/${api.id}/reconnect`,
      headers: secondAdmin.headers,
      payload: { label: 'Partner agency', version: api.version, config: { token: 'versions-api-token-0001' } },
    });
    expect(reconnected.statusCode, reconnected.body).toBe(200);
    const stale = await update(api.id, { label: 'Old form name', version: api.version });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json<ErrorBody>().error.fields).toEqual([expect.objectContaining({ path: 'body.version' })]);
    expect((await accountOf('api')).label).toBe('Partner agency');
  });

  it('refuses-its-right-secret-with-404-while-disabled-and-a-wrong-one-with-401', async () => {
    const api = await accountOf('api');
    expect((await update(api.id, { isEnabled: false, version: api.version })).statusCode).toBe(200);
    // Only the holder of the right secret learns the account is off: anyone else is told the secret is wrong.
    const off = await postApi('versions-api-token-0001', 'while-off');
    expect(off.statusCode).toBe(404);
    expect(off.json<ErrorBody>().error.message).toBe('No such channel account');
    expect((await postApi('versions-api-token-0002', 'wrong-while-off')).statusCode).toBe(401);
    expect((await update(api.id, { isEnabled: true, version: api.version + 1 })).statusCode).toBe(200);
    expect((await postApi('versions-api-token-0001', 'back-on')).statusCode).toBe(202);
  });

  it.skipIf(ENGINE !== 'postgres')('saves-one-of-two-renames-held-together-from-the-same-version-and-refuses-the-other', async () => {
    const chat = await accountOf('chat');
    const rename = (label: string, headers: typeof admin.headers) => () => update(chat.id, { label, version: chat.version }, headers);
    const answers = await heldTogether(app, 'lock table channel_accounts in share mode', [rename('First name', admin.headers), rename('Second name', secondAdmin.headers)]);
    expect(answers.map((answer) => answer.statusCode).sort(), answers.map((answer) => answer.body).join('\n')).toEqual([200, 409]);
    const winner = answers.findIndex((answer) => answer.statusCode === 200);
    expect(answers[1 - winner]?.json()).toMatchObject({ error: { code: 'conflict', fields: [{ path: 'body.version' }] } });
    expect(await accountOf('chat')).toMatchObject({ label: winner === 0 ? 'First name' : 'Second name', version: chat.version + 1 });
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['data']).where('subject_id', '=', chat.id).where('type', '=', 'channel.account_updated').execute(),
    );
    expect(events).toHaveLength(1);
  });
});
