import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/helpers.ts';
import { MetaSuite, PAGE_ID, fixtureJson } from '../../../../test/channels/meta-kit.ts';
import { withForce } from '../../../platform/db/database.ts';

describe('Meta channel replies (Facebook Pages and Instagram)', () => {
  const suite = new MetaSuite();
  let app: TestApp;
  let standIn: MetaSuite['standIn'];
  beforeAll(async () => {
    await suite.start();
    app = suite.app;
    standIn = suite.standIn;
    // The conversations and comments the replies answer.
    for (const name of ['facebook-message.json', 'instagram-message.json', 'facebook-comment-add.json', 'instagram-comment.json', 'facebook-batch.json']) {
      expect((await suite.postFixture(name)).statusCode).toBe(200);
    }
  });
  afterAll(() => suite.close());

  const postFixture = (name: string) => suite.postFixture(name);
  const contactOf = (providerId: string) => suite.contactOf(providerId);
  const detail = (contactId: string) => suite.detail(contactId);
  const reply = (contactId: string, body: string) => suite.reply(contactId, body);
  const lastSent = () => suite.lastSent();
  const connect = (label: string, config: unknown) => suite.connect(label, config);
  const facebookConfig = (mode: 'public' | 'private') => suite.facebookConfig(mode);

  it('answers a Messenger conversation through the Send API, and takes the delivery receipt', async () => {
    const { id: contactId } = await contactOf('mid.1457764197618:41d102a3e1ae206a38');
    standIn.respondWith(200, { recipient_id: '6543210987654321', message_id: 'mid.1458668856218:ed81099e15d3f4f233' });
    await reply(contactId, 'Please call 101 and quote this conversation.');
    expect(lastSent()).toEqual({
      method: 'POST',
      url: `/v21.0/${PAGE_ID}/messages`,
      authorization: 'Bearer demo-meta-page-token',
      contentType: 'application/json',
      body: { recipient: { id: '6543210987654321' }, messaging_type: 'RESPONSE', message: { text: 'Please call 101 and quote this conversation.' } },
    });
    expect((await detail(contactId)).messages.at(-1)).toMatchObject({ direction: 'outbound', deliveryStatus: 'sent' });

    expect((await postFixture('facebook-delivery.json')).statusCode).toBe(200);
    expect((await detail(contactId)).messages.at(-1)?.deliveryStatus).toBe('delivered');
  });

  it('answers an Instagram conversation as the account, and takes the seen receipt', async () => {
    const { id: contactId } = await contactOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEwMDAwMDAwMDAwMDI6MQZDZD');
    standIn.respondWith(200, { recipient_id: '17841400000000777', message_id: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEwMDAwMDAwMDAwMDI6cmVwbHkZDZD' });
    await reply(contactId, 'Thank you. Do you know the time it happened?');
    expect(lastSent()).toEqual({
      method: 'POST',
      url: '/v21.0/me/messages',
      authorization: 'Bearer demo-meta-page-token',
      contentType: 'application/json',
      body: { recipient: { id: '17841400000000777' }, messaging_type: 'RESPONSE', message: { text: 'Thank you. Do you know the time it happened?' } },
    });
    await postFixture('instagram-seen.json');
    expect((await detail(contactId)).messages.at(-1)?.deliveryStatus).toBe('read');
  });

  it('replies publicly under a Facebook comment and an Instagram comment', async () => {
    const facebook = await contactOf('901097836652708_903438993085259');
    standIn.respondWith(200, { id: '901097836652708_903438993099999' });
    await reply(facebook.id, 'Thank you, please send us a private message with the details.');
    expect(lastSent()).toEqual({
      method: 'POST',
      url: '/v21.0/901097836652708_903438993085259/comments',
      authorization: 'Bearer demo-meta-page-token',
      contentType: 'application/json',
      body: { message: 'Thank you, please send us a private message with the details.' },
    });

    const instagram = await contactOf('17919697626119712');
    standIn.respondWith(200, { id: '17873440459141021' });
    await reply(instagram.id, 'Thanks, we have passed this to the local team.');
    expect(lastSent()).toEqual({
      method: 'POST',
      url: '/v21.0/17919697626119712/replies',
      authorization: 'Bearer demo-meta-page-token',
      contentType: 'application/json',
      body: { message: 'Thanks, we have passed this to the local team.' },
    });
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('delivery_status').where('provider_message_id', '=', '17873440459141021').executeTakeFirstOrThrow(),
    );
    expect(stored.delivery_status).toBe('sent');
  });

  it('sends a private reply to the comment instead when the account is set to', async () => {
    await connect('Demo Facebook Page', facebookConfig('private'));
    try {
      const facebook = await contactOf('901097836652708_903438993085259');
      standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_reply_1' });
      await reply(facebook.id, 'We have sent you a message.');
      expect(lastSent()).toEqual({
        method: 'POST',
        url: `/v21.0/${PAGE_ID}/messages`,
        authorization: 'Bearer demo-meta-page-token',
        contentType: 'application/json',
        body: {
          recipient: { comment_id: '901097836652708_903438993085259' },
          messaging_type: 'RESPONSE',
          message: { text: 'We have sent you a message.' },
        },
      });
    } finally {
      await connect('Demo Facebook Page', facebookConfig('public'));
    }
  });

  it('retries a Meta outage or throttling, and shows a refusal to the operator as failed', async () => {
    const { id: contactId } = await contactOf('mid.1570053170673:batch00000000001');
    const before = standIn.requests.length;
    standIn.respondWith(500, fixtureJson('graph-error-transient.json'));
    await reply(contactId, 'First attempt hits an outage');
    expect((await detail(contactId)).messages.at(-1)).toMatchObject({ deliveryStatus: 'retrying' });

    standIn.respondWith(400, fixtureJson('graph-error-rate-limit.json'));
    suite.advanceClock(150); // past the first retry's 100 ms backoff
    await app.runner?.runDue();
    expect((await detail(contactId)).messages.at(-1)).toMatchObject({
      deliveryStatus: 'retrying',
      deliveryError: expect.stringContaining('code 613'),
    });

    standIn.respondWith(200, { recipient_id: '6543210987650011', message_id: 'mid.after-retry' });
    suite.advanceClock(250); // past the second retry's 200 ms backoff
    await app.runner?.runDue();
    expect((await detail(contactId)).messages.at(-1)).toMatchObject({ deliveryStatus: 'sent' });
    // Counted by its text: a follow-up of another contact (an acknowledgement a busy machine ran
    // late) may reach the stand-in in between, and is not this reply's retry.
    const attempts = standIn.requests.slice(before).filter((sent) => sent.body.includes('First attempt hits an outage'));
    expect(attempts).toHaveLength(3);

    standIn.respondWith(400, fixtureJson('graph-error-outside-window.json'));
    await reply(contactId, 'Too late for Messenger');
    const failed = (await detail(contactId)).messages.at(-1);
    expect(failed).toMatchObject({ body: 'Too late for Messenger', deliveryStatus: 'failed' });
    // Meta's window, said as staff can act on it, and never retried.
    expect(failed?.deliveryError).toMatch(/^Not delivered: Meta’s messaging window had closed \(Meta error 10\/2018278\); the person last wrote more than 24 hours ago/);
    expect(failed?.deliveryError).not.toContain('demo-meta-page-token');
    const tooLate = standIn.requests.slice(before).filter((sent) => sent.body.includes('Too late for Messenger'));
    suite.advanceClock(60_000);
    await app.runner?.runDue();
    expect(standIn.requests.slice(before).filter((sent) => sent.body.includes('Too late for Messenger'))).toHaveLength(tooLate.length);
  });

  it('tags direct replies as a person’s (HUMAN_AGENT) when the Page’s app has the Human Agent permission, and never a comment’s private reply', async () => {
    await connect('Demo Facebook Page', { ...facebookConfig('private'), directReplies: 'human_agent' });
    try {
      const { id: contactId } = await contactOf('mid.1457764197618:41d102a3e1ae206a38');
      standIn.respondWith(200, { recipient_id: '6543210987654321', message_id: 'mid.human-agent-1' });
      await reply(contactId, 'An officer will call you tomorrow.');
      expect(lastSent()?.body).toEqual({
        recipient: { id: '6543210987654321' },
        messaging_type: 'MESSAGE_TAG',
        tag: 'HUMAN_AGENT',
        message: { text: 'An officer will call you tomorrow.' },
      });
      // A new comment: the earlier one has had its one private reply.
      const added = fixtureJson('facebook-comment-add.json') as { entry: { changes: { value: Record<string, unknown> }[] }[] };
      Object.assign(added.entry[0]!.changes[0]!.value, { comment_id: '901097836652708_903438993085260', message: 'And a second man with him', created_time: Math.floor(app.deps.clock.now().getTime() / 1000) });
      expect((await suite.post(JSON.stringify(added))).statusCode).toBe(200);
      const comment = await contactOf('901097836652708_903438993085260');
      standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_reply_2' });
      await reply(comment.id, 'We have sent you a message.');
      expect(lastSent()?.body).toMatchObject({ recipient: { comment_id: '901097836652708_903438993085260' }, messaging_type: 'RESPONSE' });
      expect(lastSent()?.body).not.toHaveProperty('tag');
    } finally {
      await connect('Demo Facebook Page', facebookConfig('public'));
    }
  });
});
