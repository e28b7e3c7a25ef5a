// A chat's history is the latest lines of the conversation in the order stored: by time, then
// `seq` (decision 0157). A message stored before `seq` (migration 0074) has none, and was stored
// before any message that has one, so of two sent at one time it is the earlier. The history is
// read newest first and turned round; PostgreSQL sorts a missing value first going down, so the
// old message came back as the newest, below the one sent after it, on both engines.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { ChatVisitors, closeChatApp, openChatApp } from './chat-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';

describe(`a chat's history with a message stored before seq (${ENGINE})`, () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));
  const visitors = new ChatVisitors('demo-chat');

  beforeAll(async () => {
    app = await openChatApp(visitors, { overrides: { clock } });
  });
  afterAll(() => closeChatApp(visitors, app));

  it('gives-the-message-stored-before-seq-above-one-sent-since-at-the-same-time', async () => {
    const { visitor, session } = await visitors.signedIn();
    visitor.send({ type: 'message', clientId: 'before', text: 'Someone is following me' });
    await visitor.next('ack');
    visitor.send({ type: 'message', clientId: 'since', text: 'They are still behind me' });
    await visitor.next('ack');
    await withForce(app.database.db, app.demoForceId, (tx) =>
      sql`update messages set seq = null where provider_message_id = ${`${session.sessionId}:before`}`.execute(tx),
    );

    const again = await visitors.signedIn(session);
    expect(again.messages.map((m) => (m as { clientId?: string }).clientId)).toEqual(['before', 'since']);
  });
});
