import { describe, expect, it } from 'vitest';
import { cliHere, scratchEnv } from '../cli-kit.ts';
import { sealFirstFormat } from '../fixtures/sealed-first-format.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { resealChannelAccounts } from '../../src/capabilities/channels/channel-accounts.service.ts';

const SESSION_SECRET = 's'.repeat(40);
const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);

/** A message to the demo API channel, whose token lives only in its sealed configuration. */
function postToApiChannel(app: App, messageId: string) {
  return app.http?.inject({
    method: 'POST',
    url: '/api/channels/api/messages',
    headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
    payload: JSON.stringify({ messageId, from: { email: 'pat@example.org' }, body: 'My bike was stolen' }),
  });
}

describe('credentials from the command line', () => {
  it('rotates-the-secrets-key-so-channels-work-with-only-the-new-key-and-resets-a-password', async () => {
    const { env: base, cleanup } = await scratchEnv('cred');
    const env = { ...base, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    try {
      // An install sealed with key A, one of whose accounts is still in the first format, sealed
      // with the key earlier versions derived from SESSION_SECRET (as an upgraded install has).
      const before = await buildApp(loadConfig({ ...env, SESSION_SECRET, SECRETS_KEY: KEY_A }), { startWorker: false });
      let accounts: number;
      try {
        const rows = await withSystem(before.database.db, (tx) => tx.selectFrom('channel_accounts').select(['id', 'channel', 'config_ciphertext']).execute());
        accounts = rows.length;
        expect(accounts).toBeGreaterThan(1);
        const api = rows.find((row) => row.channel === 'api');
        if (!api) throw new Error('no demo API account');
        const plaintext = new SecretBox(KEY_A).open(api.config_ciphertext);
        await withSystem(before.database.db, (tx) =>
          tx.updateTable('channel_accounts').set({ config_ciphertext: sealFirstFormat(`secrets:${SESSION_SECRET}`, plaintext) }).where('id', '=', api.id).execute(),
        );
        expect((await postToApiChannel(before, 'before-rotation'))?.statusCode).toBe(202);
      } finally {
        await before.close();
      }

      // The commands run in this process, as `bluelamp` runs them (test/cli-kit.ts).
      const rotateEnv = { ...env, SESSION_SECRET, SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A };
      const first = await cliHere(['secrets', 'rotate'], rotateEnv);
      expect(first.stdout).toContain(`Channel credentials: ${accounts} re-sealed, 0 already under the current key (${new SecretBox(KEY_B).currentKeyId}), 0 unreadable`);
      expect(first.code).toBe(0);

      const reset = await cliHere(['staff', 'reset-password', '--force=demo', '--email=Handler@demo.police.uk'], rotateEnv);
      expect(reset.code).toBe(0);
      const oneTimePassword = /One-time password \(shown once, not stored\): (\S+)\nIt must be changed at next sign-in\./.exec(reset.stdout)?.[1] ?? '';
      expect(oneTimePassword.length).toBeGreaterThanOrEqual(20);

      // Key A is dropped, and SESSION_SECRET rotated too: nothing sealed depends on either any more.
      const after = await buildApp(loadConfig({ ...env, SESSION_SECRET: 't'.repeat(40), SECRETS_KEY: KEY_B }), { startWorker: false });
      try {
        expect((await postToApiChannel(after, 'after-rotation'))?.statusCode).toBe(202);
        // Running the rotation again changes nothing.
        const again = await resealChannelAccounts(after.database.db, after.deps.clock, new SecretBox(KEY_B, [KEY_A]));
        expect(again).toEqual({ resealed: 0, alreadyCurrent: accounts, unreadable: [] });
        // And a value no configured key opens is reported, never overwritten.
        const unknown = await resealChannelAccounts(after.database.db, after.deps.clock, new SecretBox('c'.repeat(40)));
        expect(unknown.resealed).toBe(0);
        expect(unknown.unreadable).toHaveLength(accounts);
        expect(unknown.unreadable[0]?.reason).toMatch(/neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/);
        const sealed = await withSystem(after.database.db, (tx) => tx.selectFrom('channel_accounts').select('config_ciphertext').execute());
        expect(sealed.every((row) => row.config_ciphertext.startsWith(`v2.${new SecretBox(KEY_B).currentKeyId}.`))).toBe(true);
        const events = await withSystem(after.database.db, (tx) =>
          tx.selectFrom('events').select(['type', 'data', 'actor_type']).where('type', 'in', ['channel.credentials_resealed', 'staff.password_reset']).orderBy('seq').execute(),
        );
        expect(events.map((e) => [e.type, e.actor_type])).toEqual([
          ['channel.credentials_resealed', 'system'],
          ['staff.password_reset', 'system'],
        ]);
        expect(events[0]?.data).toEqual({ accounts, keyId: new SecretBox(KEY_B).currentKeyId });
        expect(JSON.stringify(events)).not.toContain(oneTimePassword);

        const login = await after.http?.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'handler@demo.police.uk', password: oneTimePassword } });
        expect(login?.statusCode).toBe(200);
        expect(login?.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
        const old = await after.http?.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'handler@demo.police.uk', password: 'demo-password' } });
        expect(old?.statusCode).toBe(401);
      } finally {
        await after.close();
      }
    } finally {
      await cleanup();
    }
  });
});
