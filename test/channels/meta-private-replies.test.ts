import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, signIn, type TestApp } from '../helpers.ts';
import { MetaSuite, PAGE_ID, fixtureJson } from './meta-kit.ts';

// Meta's Private Replies (Messenger Platform and Instagram docs): a Page may send one private
// reply per comment, within 7 days of the comment. Bluelamp refuses a second or a late one itself,
// before Meta (decision 0109).

type Detail = {
  contact: { privateReply: { commentedAt: string; sentAt: string | null; isSending: boolean; refusal: string | null } | null };
  messages: { body: string; deliveryStatus: string | null }[];
};

/** A person's comment on one of the Page's posts, as Meta's `feed` webhook carries it: made at `createdAt` (Meta's `created_time`, in seconds). */
function comment(commentId: string, postId: string, text: string, createdAt: Date): string {
  const payload = fixtureJson('facebook-comment-add.json') as { entry: { changes: { value: Record<string, unknown> }[] }[] };
  const value = payload.entry[0]!.changes[0]!.value;
  Object.assign(value, { comment_id: commentId, post_id: `${PAGE_ID}_${postId}`, parent_id: `${PAGE_ID}_${postId}`, message: text, created_time: Math.floor(createdAt.getTime() / 1000) });
  return JSON.stringify(payload);
}

const DAY = 24 * 3_600_000;

/** Meta's Send API refusing a message for good: "(#551) This person isn't available right now." */
const UNAVAILABLE = { error: { message: '(#551) This person isn’t available right now.', type: 'OAuthException', code: 551, error_subcode: 1545041, fbtrace_id: 'AbCdEfGhIjK' } };

describe('one private reply per Meta comment, within 7 days of it', () => {
  const suite = new MetaSuite();
  let app: TestApp;
  beforeAll(async () => {
    await suite.start();
    app = suite.app;
    await suite.connect('Demo Facebook Page', suite.facebookConfig('private'));
  });
  afterAll(() => suite.close());

  async function commentContact(commentId: string, postId: string, createdAt = app.deps.clock.now()): Promise<string> {
    expect((await suite.post(comment(commentId, postId, `Comment ${commentId}`, createdAt))).statusCode).toBe(200);
    return (await suite.contactOf(commentId)).id;
  }

  async function send(contactId: string, body: string, email = 'desk@demo.police.uk', password?: string) {
    const staff = await signIn(app, email, password);
    return app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: staff.headers, payload: { body } });
  }

  const detail = async (contactId: string) => (await suite.detail(contactId)) as unknown as Detail;
  const sentTo = (commentId: string) => suite.standIn.requests.filter((request) => request.body.includes(`"comment_id":"${commentId}"`));

  it('sends the first private reply, then refuses a second without calling Meta', async () => {
    const contactId = await commentContact('7000_1', '7000');
    expect((await detail(contactId)).contact.privateReply).toMatchObject({ sentAt: null, isSending: false, refusal: null });
    suite.standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_7000_1' });
    expect((await send(contactId, 'We have sent you a message.')).statusCode).toBe(201);
    await app.runner?.runDue();
    expect(suite.lastSent()).toMatchObject({ url: `/v21.0/${PAGE_ID}/messages`, body: { recipient: { comment_id: '7000_1' }, message: { text: 'We have sent you a message.' } } });
    const after = await detail(contactId);
    expect(after.messages.at(-1)).toMatchObject({ body: 'We have sent you a message.', deliveryStatus: 'sent' });
    expect(after.contact.privateReply?.sentAt).not.toBeNull();
    expect(after.contact.privateReply?.refusal).toMatch(/^A private reply was already sent to this comment on .+; Meta allows one\./);

    const before = suite.standIn.requests.length;
    const second = await send(contactId, 'And another thing.');
    expect(second.statusCode).toBe(409);
    expect(second.json<{ error: { message: string } }>().error.message).toMatch(/^A private reply was already sent to this comment on \d{1,2} \w+ \d{4} at \d{2}:\d{2}; Meta allows one\./);
    await app.runner?.runDue();
    expect(suite.standIn.requests.length).toBe(before);
    expect((await detail(contactId)).messages.map((m) => m.body)).not.toContain('And another thing.');
  });

  it('lets a failed first send leave the one private reply to give', async () => {
    const contactId = await commentContact('7001_1', '7001');
    suite.standIn.respondWith(400, UNAVAILABLE);
    expect((await send(contactId, 'First try.')).statusCode).toBe(201);
    await app.runner?.runDue();
    const failed = await detail(contactId);
    expect(failed.messages.at(-1)).toMatchObject({ body: 'First try.', deliveryStatus: 'failed' });
    expect(failed.contact.privateReply).toMatchObject({ sentAt: null, isSending: false, refusal: null });

    suite.standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_7001_1' });
    expect((await send(contactId, 'Second try.')).statusCode).toBe(201);
    await app.runner?.runDue();
    expect((await detail(contactId)).messages.at(-1)).toMatchObject({ body: 'Second try.', deliveryStatus: 'sent' });
    expect(sentTo('7001_1')).toHaveLength(2);
  });

  it('sends one of two private replies written at once, and refuses the other', async () => {
    const contactId = await commentContact('7002_1', '7002');
    suite.standIn.respondWith(200, { recipient_id: '5550000000000123', message_id: 'm_private_7002_1' });
    const answers = await Promise.all([send(contactId, 'From the first operator.'), send(contactId, 'From the second operator.', 'supervisor@demo.police.uk')]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    const refused = answers.find((answer) => answer.statusCode === 409);
    expect(refused?.json<{ error: { message: string } }>().error.message).toMatch(/^A private reply to this comment is already being sent; Meta allows one\./);
    await app.runner?.runDue();
    expect(sentTo('7002_1')).toHaveLength(1);
  });

  it('refuses another force’s comment (404) and a role that does not reply (403)', async () => {
    const contactId = await commentContact('7003_1', '7003');
    const other = await createOtherForce(app);
    const before = suite.standIn.requests.length;
    expect((await send(contactId, 'Not ours.', other.emails.call_handler, 'other-password')).statusCode).toBe(404);
    expect((await send(contactId, 'Not my job.', 'dispatch@demo.police.uk')).statusCode).toBe(403);
    await app.runner?.runDue();
    expect(suite.standIn.requests.length).toBe(before);
    expect((await detail(contactId)).contact.privateReply?.refusal).toBeNull();
  });

  it('counts-the-7-days-from-meta’s-created_time, not from when the comment reached us', async () => {
    const madeAt = new Date(app.deps.clock.now().getTime() - 6 * DAY - 23 * 3_600_000);
    const contactId = await commentContact('7005_1', '7005', madeAt);
    const state = (await detail(contactId)).contact.privateReply;
    expect(state?.commentedAt).toBe(new Date(Math.floor(madeAt.getTime() / 1000) * 1000).toISOString());
    expect(state?.refusal).toBeNull();
    suite.advanceClock(2 * 3_600_000);
    const before = suite.standIn.requests.length;
    const late = await send(contactId, 'Received six days ago? No: made seven days ago.');
    expect(late.statusCode).toBe(409);
    expect(late.json<{ error: { message: string } }>().error.message).toMatch(/^Meta allows private replies only within 7 days of the comment/);
    await app.runner?.runDue();
    expect(suite.standIn.requests.length).toBe(before);
  });

  it('ignores-a-created_time-in-the-future-or-before-2004, counting from receipt', async () => {
    for (const [commentId, madeAt] of [
      ['7006_1', new Date(app.deps.clock.now().getTime() + 3 * DAY)],
      ['7006_2', new Date('2003-06-01T00:00:00Z')],
    ] as const) {
      const receivedFrom = app.deps.clock.now().getTime();
      const contactId = await commentContact(commentId, '7006', madeAt);
      const state = (await detail(contactId)).contact.privateReply;
      expect(Math.abs(new Date(state?.commentedAt ?? 0).getTime() - receivedFrom)).toBeLessThan(60_000);
      expect(state?.refusal).toBeNull();
    }
  });

  it('tells staff in their words when Meta refuses the private reply, never Meta’s raw text', async () => {
    const refusals = [
      [{ code: 10, error_subcode: 2018108, message: '(#10) This message is sent outside of allowed window.' }, /^Not sent: Meta would not take a private reply to this comment\..*Meta Business Suite/],
      [{ code: 10, error_subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' }, /^Not sent: Meta no longer takes a private reply to this comment/],
      [{ code: 551, error_subcode: 1545041, message: '(#551) This person isn’t available right now.' }, /^Not sent: Meta says this person cannot be sent messages now/],
    ] as const;
    for (const [index, [error, words]] of refusals.entries()) {
      const contactId = await commentContact(`7007_${index}`, '7007');
      suite.standIn.respondWith(400, { error: { ...error, type: 'OAuthException', fbtrace_id: 'AbCdEfGhIjK' } });
      expect((await send(contactId, 'We have sent you a message.')).statusCode).toBe(201);
      await app.runner?.runDue();
      const failed = (await detail(contactId)).messages.at(-1) as { deliveryStatus: string | null; deliveryError?: string | null };
      expect(failed.deliveryStatus).toBe('failed');
      expect(failed.deliveryError).toMatch(words);
      expect(failed.deliveryError).not.toMatch(/\(#\d+\)|OAuthException/);
    }
  });

  // Last: it moves the app's clock on 7 days.
  it('refuses a private reply 7 days after the comment without calling Meta', async () => {
    const contactId = await commentContact('7004_1', '7004');
    suite.advanceClock(7 * 24 * 3_600_000 + 60_000);
    const before = suite.standIn.requests.length;
    const late = await send(contactId, 'Too late.');
    expect(late.statusCode).toBe(409);
    expect(late.json<{ error: { message: string } }>().error.message).toMatch(/^Meta allows private replies only within 7 days of the comment; it was made on \d{1,2} \w+ \d{4} at \d{2}:\d{2}\./);
    await app.runner?.runDue();
    expect(suite.standIn.requests.length).toBe(before);
    expect((await detail(contactId)).contact.privateReply?.refusal).toMatch(/^Meta allows private replies only within 7 days of the comment/);
  });
});
