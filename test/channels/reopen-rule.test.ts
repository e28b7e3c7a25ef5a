import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

describe('the force decides whether a message re-opens a closed contact', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const post = (messageId: string, body: string) =>
    app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, from: { email: 'rule@example.org' }, body }),
    });
  const contactOf = async (messageId: string) =>
    (await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow())).contact_id;

  it('starts-a-new-contact-after-closing-when-the-force-sets-no-re-open-window', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const refused = await app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload: { reopenClosedWithinHours: -1 } });
    expect(refused.statusCode).toBe(400);
    const set = await app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload: { reopenClosedWithinHours: 0 } });
    expect(set.json<{ settings: { reopenClosedWithinHours: number } }>().settings.reopenClosedWithinHours).toBe(0);

    await post('rule-1', 'First');
    const first = await contactOf('rule-1');
    await app.inject({ method: 'POST', url: `/api/contacts/${first}/close`, headers: handler.headers, payload: { outcome: 'advice_given' } });
    await post('rule-2', 'Back again');
    expect(await contactOf('rule-2')).not.toBe(first);

    await app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload: { reopenClosedWithinHours: 72 } });
    const second = await contactOf('rule-2');
    await app.inject({ method: 'POST', url: `/api/contacts/${second}/close`, headers: handler.headers, payload: { outcome: 'advice_given' } });
    await post('rule-3', 'And again');
    expect(await contactOf('rule-3')).toBe(second);
  });
});
