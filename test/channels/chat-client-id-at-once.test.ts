// A chat visitor's two tabs (or a misbehaving client) sending two different texts under one client
// id at the same moment: each looked for the id before either was stored, so both were stored and
// acknowledged, though a client id names one message (the widget shows the conversation by it, so
// one of the two would never be seen after a reload). Sent in turn, the second is refused; at once,
// it now is too. PGlite runs one transaction at a time, so only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { ChatVisitors, closeChatApp, openChatApp, type Frame, type Visitor } from './chat-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';

/** The first acknowledgement or error the visitor gets about this client id. */
function answerTo(visitor: Visitor, clientId: string): Promise<Frame> {
  return new Promise((resolve) => {
    const check = () => {
      const frame = visitor.frames.find((f) => (f.type === 'ack' || f.type === 'error') && f.clientId === clientId);
      if (!frame) return;
      visitor.ws.off('message', check);
      resolve(frame);
    };
    visitor.ws.on('message', check);
    check();
  });
}

describe.skipIf(ENGINE !== 'postgres')('two texts under one chat client id at once', () => {
  let app: TestApp;
  const visitors = new ChatVisitors('demo-chat');

  beforeAll(async () => {
    app = await openChatApp(visitors);
  });
  afterAll(() => closeChatApp(visitors, app));

  it('stores-the-first-and-refuses-the-other-as-when-sent-in-turn', async () => {
    const first = await visitors.signedIn();
    const second = await visitors.signedIn(first.session);
    const send = (visitor: Visitor, text: string) => () => {
      visitor.send({ type: 'message', clientId: 'tab-clash', text });
      return answerTo(visitor, 'tab-clash');
    };
    // Both wait to keep their frame as a request, each having found the id unused.
    const answers = await heldTogether(app, 'lock table inbound_requests in share mode', [send(first.visitor, 'The first text'), send(second.visitor, 'The second text')]);
    expect(answers.map((frame) => frame.type).sort()).toEqual(['ack', 'error']);
    expect(answers.find((frame) => frame.type === 'error')).toEqual({ type: 'error', clientId: 'tab-clash', reason: 'this clientId was used for a different message; send it with a new clientId' });
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('body').where('provider_message_id', '=', `${first.session.sessionId}:tab-clash`).execute(),
    );
    expect(stored).toEqual([{ body: answers[0]?.type === 'ack' ? 'The first text' : 'The second text' }]);
  });
});
