import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import type { OutgoingMail } from '../../src/platform/mail/mailer.ts';
import { seededEnv } from '../cli-kit.ts';
import { outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// Email queued while no mail server was set is held; once the server starts with one, it goes.

describe('email held for want of a mail server', () => {
  it('is-sent-when-the-server-next-starts-with-a-mail-server, once', async () => {
    const { env, cleanup } = await seededEnv('held');
    const config = loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    try {
      const before = await buildApp(config, { mailer: null, startWorker: false });
      const forceId = (await withSystem(before.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
      const outboxId = await queueWithDelivery(before, forceId, [{ channel: 'email', recipient: 'waiting@example.org', subject: 'About your report', body: 'An officer will call you.' }]);
      await before.runner?.runDue();
      expect(await outboxRow(before, forceId, outboxId)).toMatchObject({ status: 'held', last_error: 'no outbound mail server is configured (SMTP_URL)' });
      await before.close();

      const sent: OutgoingMail[] = [];
      const after = await buildApp(config, { mailer: { send: async (mail) => void sent.push(mail), close: () => undefined }, startWorker: false });
      try {
        await after.runner?.runDue();
        expect(sent.map((mail) => [mail.to, mail.subject])).toEqual([['waiting@example.org', 'About your report']]);
        expect((await outboxRow(after, forceId, outboxId)).status).toBe('sent');
        expect((await outboxEvents(after, forceId, outboxId)).map((e) => e.type)).toEqual(['outbox.held', 'outbox.released', 'outbox.sent']);
      } finally {
        await after.close();
      }
      // A third start finds nothing held and sends nothing again.
      const again = await buildApp(config, { mailer: { send: async (mail) => void sent.push(mail), close: () => undefined }, startWorker: false });
      await again.runner?.runDue();
      await again.close();
      expect(sent).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});
