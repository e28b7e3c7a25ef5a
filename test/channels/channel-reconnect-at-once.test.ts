import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Two admins connecting the same account again at the same moment, each with a new API token,
// from the same version of its settings: had both been saved, one would have been told its token
// works while the other's had replaced it. One is saved; the other is told the account was
// connected again since it opened it, and its token works nowhere. PGlite runs one transaction at
// a time, so only PostgreSQL can hold them together.

type Account = { id: string; label: string; version: number };

describe.skipIf(ENGINE !== 'postgres')('one account connected again by two admins at once', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const postWith = (token: string) =>
    app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId: `m-${token}`, from: { externalId: 'partner-person-2' }, body: 'Hello' }),
    });

  it('saves-one-and-refuses-the-other-from-the-version-it-opened', async () => {
    const listed = (await app.inject({ method: 'GET', url: '/api/channels', headers: admin.headers })).json<{ accounts: Account[] }>().accounts;
    const api = listed.find((account) => account.label === 'Demo API integration');
    if (!api) throw new Error('no demo API account');
    const reconnect = (label: string, token: string) => () =>
      app.inject({ method: 'POST', url: `/api/channels/${api.id}/reconnect`, headers: admin.headers, payload: { label, version: api.version, config: { token } } });
    const answers = await heldTogether(app, 'lock table channel_accounts in share mode', [reconnect('First admin', 'first-admin-token-0001'), reconnect('Second admin', 'second-admin-token-0002')]);
    expect(answers.map((answer) => answer.statusCode).sort(), answers.map((answer) => answer.body).join('\n')).toEqual([200, 409]);
    const winner = answers.findIndex((answer) => answer.statusCode === 200);
    const [kept, lost] = winner === 0 ? ['first-admin-token-0001', 'second-admin-token-0002'] : ['second-admin-token-0002', 'first-admin-token-0001'];
    expect(answers[1 - winner]?.json()).toMatchObject({ error: { code: 'conflict', fields: [{ path: 'body.version' }] } });

    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', api.id).where('type', '=', 'channel.reconnected').execute(),
    );
    expect(events).toEqual([{ type: 'channel.reconnected', data: { channel: 'api', label: winner === 0 ? 'First admin' : 'Second admin' } }]);
    expect((await postWith(kept)).statusCode).toBe(202);
    expect((await postWith(lost)).statusCode).toBe(401);
    expect((await postWith('demo-api-token')).statusCode).toBe(401);
  });
});
