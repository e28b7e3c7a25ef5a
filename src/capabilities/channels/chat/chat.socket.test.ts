import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers.ts';
import { ChatVisitors } from '../../../../test/channels/chat-kit.ts';
import { fixedClock } from '../../../platform/clock.ts';
import { withForce } from '../../../platform/db/database.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import { chatChannel } from './chat.channel.ts';

// What a visitor's socket keeps and refuses: frames stored after a close, and the limits that keep
// one visitor from wearing down the server.

/** Stands still unless moved, but ticks a millisecond each reading, so stored messages keep their order. */
function steppingClock() {
  const clock = fixedClock(new Date());
  return {
    now: () => {
      clock.advance(1);
      return clock.now();
    },
    advance: (ms: number) => clock.advance(ms),
  };
}

describe('chat socket', () => {
  let app: TestApp;
  const clock = steppingClock();
  const visitors = new ChatVisitors('demo-chat');

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, chatChannel as AnyChannelAdapter, {
      label: 'Demo website chat',
      config: { widgetKey: 'demo-chat', allowedOrigins: [], welcomeMessage: 'Hello from the demo force.' },
      actor: { type: 'system', id: null },
    });
    if (!app.http) throw new Error('test app has no HTTP server');
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    visitors.listenOn((app.http.server.address() as AddressInfo).port);
  });
  afterAll(async () => {
    visitors.terminateAll();
    await app.close();
  });
  // Every test starts with fresh frame budgets (all visitors share one address).
  beforeEach(() => clock.advance(60_000));

  const storedOf = async (sessionId: string) =>
    (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select('provider_message_id').where('provider_message_id', 'like', `${sessionId}:%`).execute(),
      )
    ).map((row) => row.provider_message_id);

  it('stores every message received before the visitor closed the socket (the quick exit)', async () => {
    const { visitor, session } = await visitors.signedIn();
    for (let i = 0; i < 5; i += 1) visitor.send({ type: 'message', clientId: `last-${i}`, text: `Last words ${i}` });
    visitor.ws.close();
    await visitor.closed;
    await vi.waitFor(async () => expect(await storedOf(session.sessionId)).toHaveLength(5), { timeout: 20_000, interval: 100 });
  });

  it('stores the frames under the limit when it closes a flooding socket (4429)', async () => {
    const { visitor, session } = await visitors.signedIn();
    // The auth frame was the first of 20.
    for (let i = 0; i < 25; i += 1) visitor.send({ type: 'message', clientId: `flood-${i}`, text: `Message ${i}` });
    expect((await visitor.closed).code).toBe(4429);
    await vi.waitFor(async () => expect(await storedOf(session.sessionId)).toHaveLength(19), { timeout: 20_000, interval: 100 });
  });
});
