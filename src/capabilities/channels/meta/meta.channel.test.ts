import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import { APP_SECRET, IG_ID, MetaSuite, PAGE_ID, URL_PATH, fixture } from '../../../../test/channels/meta-kit.ts';
import { isValidMetaSignature, metaChannel, metaSignature } from './meta.channel.ts';

describe('Meta signature (X-Hub-Signature-256)', () => {
  it('is plain HMAC-SHA256 in hex: RFC 4231 test case 2 (Meta publishes no vector of its own)', () => {
    const body = Buffer.from('what do ya want for nothing?');
    const expected = 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(metaSignature(body, 'Jefe')).toBe(expected);
    expect(isValidMetaSignature(expected, body, 'Jefe')).toBe(true);
    expect(isValidMetaSignature(expected.toUpperCase().replace('SHA256=', 'sha256='), body, 'Jefe')).toBe(true);
  });

  it('is over the exact bytes: Meta escapes non-ASCII, and a re-serialised body no longer verifies', () => {
    const raw = Buffer.from('{"object":"page","entry":[{"id":"1000000000001","messaging":[{"message":{"text":"caf\\u00e9"}}]}]}');
    const signature = metaSignature(raw, APP_SECRET);
    expect(isValidMetaSignature(signature, raw, APP_SECRET)).toBe(true);
    expect(isValidMetaSignature(signature, Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), APP_SECRET)).toBe(false);
  });

  it('refuses missing, malformed, sha1 and wrongly keyed signatures', () => {
    const raw = fixture('facebook-message.json');
    expect(isValidMetaSignature(undefined, raw, APP_SECRET)).toBe(false);
    expect(isValidMetaSignature('', raw, APP_SECRET)).toBe(false);
    expect(isValidMetaSignature('sha256=zz', raw, APP_SECRET)).toBe(false);
    expect(isValidMetaSignature(`sha1=${createHmac('sha1', APP_SECRET).update(raw).digest('hex')}`, raw, APP_SECRET)).toBe(false);
    expect(isValidMetaSignature(metaSignature(raw, 'another-app-secret'), raw, APP_SECRET)).toBe(false);
  });
});

describe('Meta account configuration', () => {
  it('keys Pages and Instagram accounts by their Meta id, and the webhook by a hash of its verify token', () => {
    const keys = (metaChannel.demoAccounts ?? []).map((account) => metaChannel.accountKeyOf(account.config));
    expect(keys).toEqual([PAGE_ID, IG_ID, `verify:${createHash('sha256').update('demo-meta-verify-token').digest('hex')}`]);
  });

  it('refuses unknown fields, ids that are not Meta ids, and non-http API URLs', () => {
    const page = { platform: 'facebook', pageId: PAGE_ID, appSecret: APP_SECRET, pageAccessToken: 'demo-meta-page-token' };
    expect(metaChannel.configSchema.parse(page)).toMatchObject({ commentReplyMode: 'public', apiBaseUrl: 'https://graph.facebook.com/v21.0' });
    expect(metaChannel.configSchema.safeParse({ ...page, verifyToken: 'x'.repeat(20) }).success).toBe(false);
    expect(metaChannel.configSchema.safeParse({ ...page, pageId: 'my-page' }).success).toBe(false);
    expect(metaChannel.configSchema.safeParse({ ...page, apiBaseUrl: 'file:///etc/passwd' }).success).toBe(false);
    expect(metaChannel.configSchema.safeParse({ ...page, platform: 'whatsapp' }).success).toBe(false);
  });
});

describe('Meta channel (Facebook Pages and Instagram)', () => {
  const suite = new MetaSuite();
  let app: TestApp;
  beforeAll(async () => {
    await suite.start();
    app = suite.app;
  });
  afterAll(() => suite.close());

  const post = (body: Buffer | string, headers: Record<string, string> = {}) => suite.post(body, headers);
  const postFixture = (name: string) => suite.postFixture(name);
  const countMessages = (providerId: string) => suite.countMessages(providerId);
  const countMetaMessages = () => suite.countMetaMessages();
  const contactOf = (providerId: string) => suite.contactOf(providerId);
  const detail = (contactId: string) => suite.detail(contactId);

  describe('verification handshake', () => {
    it('echoes hub.challenge as text/plain for the app verify token', async () => {
      const response = await app.inject({
        method: 'GET',
        url: `${URL_PATH}?hub.mode=subscribe&hub.verify_token=demo-meta-verify-token&hub.challenge=1158201444`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toBe('1158201444');
    });

    it('refuses a wrong verify token, another mode, a strange challenge and a bare GET', async () => {
      const get = (query: string) => app.inject({ method: 'GET', url: `${URL_PATH}?${query}` });
      const wrongToken = await get('hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1');
      // A token that matches no account finds no account: nothing about any account is revealed.
      expect(wrongToken.statusCode).toBe(404);
      const unsubscribe = await get('hub.mode=unsubscribe&hub.verify_token=demo-meta-verify-token&hub.challenge=1');
      expect(unsubscribe.statusCode).toBe(403);
      expect(unsubscribe.body).toBe('Forbidden');
      expect((await get('hub.mode=subscribe&hub.verify_token=demo-meta-verify-token&hub.challenge=%3Cscript%3E')).statusCode).toBe(400);
      expect((await get('hub.mode=subscribe&hub.verify_token=demo-meta-verify-token')).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: URL_PATH })).statusCode).toBe(400);
    });

    it('never ingests a POST routed to the webhook account', async () => {
      const forged = JSON.stringify({ object: 'page', entry: [{ id: 'verify:abc', messaging: [] }] });
      expect((await post(forged)).statusCode).toBe(400);
    });
  });

  describe('signatures', () => {
    it('refuses unsigned and wrongly signed requests with 401 and stores nothing', async () => {
      const body = fixture('facebook-message.json');
      const unsigned = await app.inject({ method: 'POST', url: URL_PATH, headers: { 'content-type': 'application/json' }, payload: body });
      expect(unsigned.statusCode).toBe(401);
      expect((await post(body, { 'x-hub-signature-256': metaSignature(body, 'someone-elses-secret') })).statusCode).toBe(401);
      // The right signature over other bytes (one space added) is wrong too.
      expect((await post(body, { 'x-hub-signature-256': metaSignature(Buffer.concat([body, Buffer.from(' ')]), APP_SECRET) })).statusCode).toBe(401);
      expect(await countMessages('mid.1457764197618:41d102a3e1ae206a38')).toBe(0);
    });

    it('answers a batch for a Page no force has connected with 200, storing nothing (Meta would resend it for ever)', async () => {
      const before = await countMetaMessages();
      const body = JSON.stringify({ object: 'page', entry: [{ id: '999999', time: 1, messaging: [{ sender: { id: '1' }, message: { mid: 'm.nobody', text: 'x' } }] }] });
      expect((await post(body)).statusCode).toBe(200);
      expect(await countMetaMessages()).toBe(before);
    });
  });

  describe('inbound', () => {
    it('stores a Messenger message from a Page-scoped id as a social identity, and acknowledges it', async () => {
      const response = await postFixture('facebook-message.json');
      expect(response.statusCode).toBe(200);
      const stored = await contactOf('mid.1457764197618:41d102a3e1ae206a38');
      expect(stored.thread_key).toBe('dm:6543210987654321');
      expect(stored.meta).toMatchObject({
        platform: 'facebook',
        kind: 'message',
        accountId: PAGE_ID,
        sender: { kind: 'social', value: 'facebook:6543210987654321' },
      });
      const view = await detail(stored.id);
      expect(view.contact.channel).toBe('meta');
      expect(view.messages[0]?.body).toBe('Someone has been sending me threatening messages');
      expect(view.person?.identities).toContainEqual(expect.objectContaining({ kind: 'social', value: 'facebook:6543210987654321' }));
    });

    it('threads a second message from the same person into the open contact', async () => {
      await postFixture('facebook-message-followup.json');
      const first = await contactOf('mid.1457764197618:41d102a3e1ae206a38');
      const second = await contactOf('mid.1457764297618:52e213b4f2bf317b49');
      expect(second.id).toBe(first.id);
      expect((await detail(first.id)).messages.map((m) => m.body)).toEqual([
        'Someone has been sending me threatening messages',
        'I have screenshots of all of them',
      ]);
    });

    it('keeps a persons edit as a message of its own on the same contact, the first text as sent, once however often Meta sends it', async () => {
      const original = await contactOf('mid.1457764197618:41d102a3e1ae206a38');
      const before = await countMetaMessages();
      expect((await postFixture('facebook-message-edit.json')).statusCode).toBe(200);
      expect((await postFixture('facebook-message-edit.json')).statusCode).toBe(200);
      expect(await countMetaMessages()).toBe(before + 1);
      const edited = await contactOf('mid.1457764197618:41d102a3e1ae206a38#edit:1');
      expect(edited.id).toBe(original.id);
      const { messages } = await detail(original.id);
      const first = messages.find((m) => m.body === 'Someone has been sending me threatening messages');
      const edit = messages.find((m) => m.body.endsWith('now says he is outside my house'));
      expect(first?.editOf).toBeNull();
      expect(edit?.editOf).toEqual({ messageId: first?.id, number: 1 });
      // A second edit, its count sent as a string as Meta's reference shows it, is a message too.
      const second = fixture('facebook-message-edit.json').toString().replace('"num_edit": 1', '"num_edit": "2"').replace('outside my house', 'outside my house with a knife');
      expect((await post(second)).statusCode).toBe(200);
      expect((await detail(original.id)).messages.find((m) => m.body.endsWith('with a knife'))?.editOf).toEqual({ messageId: first?.id, number: 2 });
      // The edit is triaged as any message is: a threat it adds raises the contact's priority.
      expect((await contactOf('mid.1457764197618:41d102a3e1ae206a38')).priority).toBeLessThan(original.priority);
    });

    it('stores a message without text as what was sent, keeping the attachment link in its meta', async () => {
      await postFixture('facebook-message-sticker.json');
      const stored = await contactOf('mid.1000000000001:226a70a704');
      expect((await detail(stored.id)).messages[0]?.body).toBe('[image attachment]');
      expect(stored.message_meta).toMatchObject({ attachments: [{ type: 'image', url: 'https://scontent.xx.fbcdn.net/sticker.png' }] });
      const attachments = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx
          .selectFrom('attachments as a')
          .innerJoin('messages as m', 'm.id', 'a.message_id')
          .select(['a.declared_type'])
          .where('m.provider_message_id', '=', 'mid.1000000000001:226a70a704')
          .execute(),
      );
      expect(attachments).toEqual([{ declared_type: 'image' }]);
    });

    it('stores a new Page comment with its author and post, threaded by post', async () => {
      expect((await postFixture('facebook-comment-add.json')).statusCode).toBe(200);
      const stored = await contactOf('901097836652708_903438993085259');
      expect(stored.thread_key).toBe(`post:${PAGE_ID}_901097836652708`);
      expect(stored.meta).toMatchObject({
        platform: 'facebook',
        kind: 'comment',
        commentId: '901097836652708_903438993085259',
        postId: `${PAGE_ID}_901097836652708`,
      });
      const view = await detail(stored.id);
      expect(view.contact.personName).toBe('Jo Bloggs');
      expect(view.messages[0]?.body).toBe('Saw a man trying car door handles on Elm Street just now');
      expect(view.person?.identities).toContainEqual(expect.objectContaining({ kind: 'social', value: 'facebook:5550000000000123' }));
    });

    it('stores Instagram direct messages and comments with Instagram-scoped identities', async () => {
      await postFixture('instagram-message.json');
      const dm = await contactOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEwMDAwMDAwMDAwMDI6MQZDZD');
      expect(dm.thread_key).toBe('dm:17841400000000777');
      expect(dm.meta).toMatchObject({ platform: 'instagram', kind: 'message', accountId: IG_ID });
      expect((await detail(dm.id)).person?.identities).toContainEqual(expect.objectContaining({ value: 'instagram:17841400000000777' }));

      await postFixture('instagram-comment.json');
      const comment = await contactOf('17919697626119712');
      expect(comment.thread_key).toBe('post:18172143295349192');
      expect(comment.meta).toMatchObject({ platform: 'instagram', kind: 'comment', commentId: '17919697626119712', mediaId: '18172143295349192' });
      const view = await detail(comment.id);
      expect(view.contact.personName).toBe('concerned_neighbour');
      expect(view.messages[0]?.body).toBe('There were fireworks thrown at the bus shelter again last night');
    });

    it('stores every message of a batch for this account, and none of another Page in the same batch', async () => {
      expect((await postFixture('facebook-batch.json')).statusCode).toBe(200);
      expect(await countMessages('mid.1570053170673:batch00000000001')).toBe(1);
      expect(await countMessages('mid.1570053170690:batch00000000002')).toBe(1);
      expect(await countMessages('mid.1570053170801:batch00000000003')).toBe(1);
      expect(await countMessages('mid.1570053170901:otherpage0000001')).toBe(0);
      const raw = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx
          .selectFrom('inbound_requests')
          .select(['message_count', 'raw_body'])
          .where('channel', '=', 'meta')
          .orderBy('received_at', 'desc')
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow(),
      );
      expect(raw.message_count).toBe(3);
      expect(Buffer.from(raw.raw_body).toString()).toContain('otherpage0000001');
    });

    it('ignores echoes, its own comments, edits, removals, reactions, read watermarks and other objects, still answering 200', async () => {
      const before = await countMetaMessages();
      for (const name of [
        'facebook-message-echo.json',
        'instagram-message-echo.json',
        'facebook-comment-by-page.json',
        'instagram-comment-self.json',
        'facebook-comment-edited.json',
        'facebook-comment-remove.json',
        'facebook-reaction-add.json',
        'facebook-read.json',
      ]) {
        expect((await postFixture(name)).statusCode, name).toBe(200);
      }
      const permissions = JSON.stringify({ object: 'permissions', entry: [{ id: PAGE_ID, time: 1, changes: [{ field: 'email', value: 'granted' }] }] });
      expect((await post(permissions)).statusCode).toBe(200);
      // An Instagram payload signed for, and routed to, the Page account is not the Page's.
      const misrouted = fixture('instagram-message.json').toString().replaceAll(IG_ID, PAGE_ID);
      expect((await post(misrouted)).statusCode).toBe(200);
      expect(await countMetaMessages()).toBe(before);
    });

    it('stores one message however many times Meta retries it concurrently', async () => {
      const body = JSON.stringify({
        object: 'page',
        entry: [
          {
            id: PAGE_ID,
            time: 1700000000000,
            messaging: [
              {
                sender: { id: '6543210987650099' },
                recipient: { id: PAGE_ID },
                timestamp: 1700000000000,
                message: { mid: 'mid.retried:1', text: 'Retried many times' },
              },
            ],
          },
        ],
      });
      const responses = await Promise.all(Array.from({ length: 15 }, () => post(body)));
      expect(responses.map((r) => r.statusCode)).toEqual(Array.from({ length: 15 }, () => 200));
      expect(await countMessages('mid.retried:1')).toBe(1);
    });

    it('refuses bodies that are no batch with a 4xx, and keeps batches with unreadable events as rejected, answered 200', async () => {
      expect((await post('{"object": "page", "entry": [')).statusCode).toBe(400);
      expect((await post(JSON.stringify({ object: 'page' }))).statusCode).toBe(400);
      expect((await post(JSON.stringify([1, 2]))).statusCode).toBe(400);
      // Meta would resend these for ever: they are answered, and kept with the reason for a replay.
      const missingMid = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, messaging: [{ sender: { id: '1' }, message: { text: 'no id' } }] }] });
      expect((await post(missingMid)).statusCode).toBe(200);
      const anonymous = { item: 'comment', verb: 'add', comment_id: '1_2', post_id: '1_3', message: 'x' };
      const missingAuthor = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, changes: [{ field: 'feed', value: anonymous }] }] });
      expect((await post(missingAuthor)).statusCode).toBe(200);
      const entryNotObject = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, messaging: ['text'] }] });
      expect((await post(entryNotObject)).statusCode).toBe(200);
      const body = fixture('facebook-message.json');
      expect((await post(body, { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
      const huge = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, messaging: [], padding: 'x'.repeat(1_100_000) }] });
      expect((await post(huge)).statusCode).toBe(413);
      const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('inbound_requests').select(['error']).where('channel', '=', 'meta').where('status', '=', 'rejected').execute(),
      );
      expect(rejected.map((r) => r.error)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('entry.0.messaging.0: message.mid'),
          expect.stringContaining('names no author'),
          expect.stringContaining('entry.0.messaging.0: not an object'),
          'content type must be application/json',
        ]),
      );
    });
  });
});
