// The chat socket acknowledged a visitor's message with its reference alone, so the widget could
// date the line only once the history was read again (decision 0180). The acknowledgement now
// carries the time stored for the message, the one the history gives it: a message sent again
// under the same client id (after a dropped connection) is acknowledged with its first time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { ChatVisitors, closeChatApp, openChatApp } from './chat-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';

describe(`the time in a chat acknowledgement (${ENGINE})`, () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));
  const visitors = new ChatVisitors('demo-chat');

  beforeAll(async () => {
    app = await openChatApp(visitors, { overrides: { clock } });
  });
  afterAll(() => closeChatApp(visitors, app));

  it('acknowledges-a-message-with-the-time-stored-for-it-as-the-history-gives-it', async () => {
    const { visitor, session } = await visitors.signedIn();
    clock.advance(3 * 60 * 1000);
    visitor.send({ type: 'message', clientId: 'first', text: 'Someone is following me' });
    const ack = await visitor.next('ack');
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['created_at', 'sent_at']).where('provider_message_id', '=', `${session.sessionId}:first`).executeTakeFirstOrThrow(),
    );
    const at = (stored.sent_at ?? stored.created_at).toISOString();
    expect(at).toBe('2026-06-01T09:03:00.000Z');
    expect(ack).toEqual({ type: 'ack', clientId: 'first', reference: expect.stringMatching(/^DEMO-/), at });

    // Sent again later under the same id (its acknowledgement was lost): the first time, not now.
    clock.advance(5 * 60 * 1000);
    const again = await visitors.signedIn(session);
    expect(again.messages).toEqual([{ from: 'visitor', clientId: 'first', body: 'Someone is following me', at }]);
    again.visitor.send({ type: 'message', clientId: 'first', text: 'Someone is following me' });
    expect(await again.visitor.next('ack')).toEqual({ ...ack, at });
  });
});
