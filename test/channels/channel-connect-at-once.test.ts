import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { sql } from 'kysely';
import { withSystem } from '../../src/platform/db/database.ts';

// Two forces' admins connecting the same provider account at the same moment: each checked that no
// other force had it before either had written it, so the later one's write met the earlier's row,
// which row-level security keeps from it, and failed with a 500. The later is now told the account
// is connected elsewhere, and the earlier's account is as it saved it. PGlite runs one transaction
// at a time, so only PostgreSQL can hold them together.

const TWILIO_SID = `AC${'5e'.repeat(16)}`;

describe.skipIf(ENGINE !== 'postgres')('one provider account connected by two forces at once', () => {
  let app: TestApp;
  let ours: Awaited<ReturnType<typeof signIn>>;
  let theirs: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    ours = await signIn(app, 'admin@demo.police.uk');
    const other = await createOtherForce(app, ['force_admin']);
    theirs = await signIn(app, other.emails.force_admin ?? '', 'other-password');
  });
  afterAll(() => app.close());

  const connect = (session: typeof ours, label: string, authToken: string) => () =>
    app.inject({
      method: 'POST',
      url: '/api/channels',
      headers: session.headers,
      payload: { channel: 'sms_twilio', label, config: { accountSid: TWILIO_SID, authToken, phoneNumber: '+447700900881' } },
    });

  it('connects-it-for-one-and-tells-the-other-it-is-connected-elsewhere', async () => {
    const answers = await heldTogether(app, 'lock table channel_accounts in share mode', [
      connect(ours, 'Our text line', 'our-auth-token-1234'),
      connect(theirs, 'Their text line', 'their-auth-token-5678'),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort(), answers.map((answer) => answer.body).join('\n')).toEqual([201, 409]);
    const refused = answers.find((answer) => answer.statusCode === 409);
    expect(refused?.json()).toEqual({ error: { code: 'conflict', message: 'This provider account is already connected elsewhere' } });

    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('channel_accounts').select(['force_id', 'label']).where('channel', '=', 'sms_twilio').where('account_key', '=', '+447700900881').execute(),
    );
    const winner = answers.findIndex((answer) => answer.statusCode === 201);
    expect(rows).toEqual([{ force_id: winner === 0 ? app.demoForceId : expect.not.stringMatching(app.demoForceId), label: winner === 0 ? 'Our text line' : 'Their text line' }]);
    const connectedEvents = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('force_id').where('type', '=', 'channel.connected').where(sql<string>`data->>'label'`, '=', winner === 0 ? 'Their text line' : 'Our text line').execute(),
    );
    expect(connectedEvents).toEqual([]);
  });
});
