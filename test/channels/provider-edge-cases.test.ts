import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withForce } from '../../src/platform/db/database.ts';
import { APP_SECRET, MetaSuite, PAGE_ID, fixture } from './meta-kit.ts';

// Provider requests that are signed and genuine but awkward: the same message id from two of a
// force's accounts, text PostgreSQL refuses (NUL, lone surrogates) inside a batch, and a batch
// naming more accounts than one of Meta's deliveries can hold.

const SECOND_PAGE_ID = '1000000000003';
const MID = 'mid.1457764197618:41d102a3e1ae206a38';

/** Meta's own message, as it would arrive for another Page of the force. */
function forPage(pageId: string, text: string): string {
  return fixture('facebook-message.json')
    .toString('utf8')
    .replaceAll(PAGE_ID, pageId)
    .replace('Someone has been sending me threatening messages', text);
}

describe('provider edge cases', () => {
  const suite = new MetaSuite();
  const app = () => suite.app;

  beforeAll(async () => {
    await suite.start();
    await suite.connect('Second Facebook Page', { ...suite.facebookConfig('public'), pageId: SECOND_PAGE_ID, appSecret: APP_SECRET });
  });
  afterAll(() => suite.close());

  const messagesWithMid = (mid: string) =>
    withForce(app().database.db, app().demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('channel_accounts as a', 'a.id', 'm.channel_account_id')
        .select(['m.body', 'a.account_key'])
        .where('m.provider_message_id', '=', mid)
        .orderBy('a.account_key')
        .execute(),
    );

  it('keeps-a-second-accounts-message-that-reuses-a-provider-id', async () => {
    expect((await suite.post(forPage(PAGE_ID, 'From the first Page'))).statusCode).toBe(200);
    expect((await suite.post(forPage(SECOND_PAGE_ID, 'From the second Page'))).statusCode).toBe(200);
    // A provider's retry is still one message per account.
    expect((await suite.post(forPage(PAGE_ID, 'From the first Page'))).statusCode).toBe(200);
    expect((await suite.post(forPage(SECOND_PAGE_ID, 'From the second Page'))).statusCode).toBe(200);
    expect(await messagesWithMid(MID)).toEqual([
      { body: 'From the first Page', account_key: PAGE_ID },
      { body: 'From the second Page', account_key: SECOND_PAGE_ID },
    ]);
  });

  it('stores-a-batch-whose-messages-hold-nul-and-lone-surrogates', async () => {
    // Meta escapes what is not plain ASCII: these are the escapes a client could make it send.
    const raw = fixture('facebook-batch.json')
      .toString('utf8')
      .replace('My bike was stolen from outside the station', 'My bike\\u0000 was stolen \\ud83d from outside the station')
      .replace('How do I get a crime reference number?', 'Reference \\udc00 number?\\u0000');
    const body = Buffer.from(raw, 'utf8');
    const first = await suite.post(body);
    expect(first.statusCode).toBe(200);
    const stored = async (mid: string) => (await messagesWithMid(mid)).map((m) => m.body);
    expect(await stored('mid.1570053170673:batch00000000001')).toEqual(['My bike\uFFFD was stolen \uFFFD from outside the station']);
    expect(await stored('mid.1570053170690:batch00000000002')).toEqual(['Reference \uFFFD number?\uFFFD']);
    expect(await stored('mid.1570053170801:batch00000000003')).toEqual(['There is a car parked across my drive again']);

    // Meta retries until it is answered 200: every retry is answered, and stores nothing twice.
    const retry = await suite.post(body);
    expect(retry.statusCode).toBe(200);
    expect(await suite.countMessages('mid.1570053170673:batch00000000001')).toBe(1);

    // The request is kept byte for byte, so a replay parses exactly what Meta sent.
    const kept = await withForce(app().database.db, app().demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select(['raw_body', 'status']).where('channel', '=', 'meta').orderBy('received_at', 'desc').execute(),
    );
    expect(kept.filter((r) => Buffer.compare(r.raw_body, body) === 0).map((r) => r.status)).toEqual(['processed', 'processed']);

    const { contact_id } = await withForce(app().database.db, app().demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'mid.1570053170690:batch00000000002').executeTakeFirstOrThrow(),
    );
    const detail = await suite.detail(contact_id);
    expect(detail.messages.map((m) => m.body)).toContain('Reference \uFFFD number?\uFFFD');
  });

  // Meta's times are numbers; one too large for any date (a broken or hostile client's) is not the
  // comment's time: the comment is kept, timed from when it reached us, and Meta is answered 200.
  it('keeps-a-comment-whose-time-is-beyond-any-date', async () => {
    for (const [n, time] of ['9223372036854775808', '1e300'].entries()) {
      const commentId = `901097836652708_90343899308${n}`;
      const raw = fixture('facebook-comment-add.json')
        .toString('utf8')
        .replace('"created_time": 1449135003', `"created_time": ${time}`)
        .replace('901097836652708_903438993085259', commentId);
      const response = await suite.post(Buffer.from(raw, 'utf8'));
      expect(response.statusCode, response.body).toBe(200);
      const stored = await withForce(app().database.db, app().demoForceId, (tx) =>
        tx.selectFrom('messages').select(['body', 'meta']).where('provider_message_id', '=', commentId).execute(),
      );
      expect(stored).toEqual([{ body: 'Saw a man trying car door handles on Elm Street just now', meta: expect.not.objectContaining({ commentedAt: expect.anything() }) }]);
    }
  });

  /** A batch with the demo Page's message first, then entries for `others` Pages no force connected. */
  function batchNaming(others: number, mid: string): string {
    const own = JSON.parse(forPage(PAGE_ID, 'In a crowded batch').replace(MID, mid)) as { object: string; entry: unknown[] };
    const strangers = Array.from({ length: others }, (_, i) => ({ id: String(2_000_000_000_000 + i), time: 1_700_000_000_000, messaging: [] }));
    return JSON.stringify({ ...own, entry: [...own.entry, ...strangers] });
  }

  it('refuses-a-batch-naming-more-accounts-than-a-delivery-holds-and-stores-nothing', async () => {
    // Meta batches at most 1,000 updates, so more accounts than that is no delivery of Meta's: each
    // would otherwise be looked up for anyone who posts one, before its signature is checked: the
    // refusal comes first, so even a wrongly signed one reads so.
    for (const signature of [undefined, 'sha256=' + '0'.repeat(64)]) {
      const response = await suite.post(batchNaming(1000, 'mid.crowded-1001'), signature ? { 'x-hub-signature-256': signature } : {});
      expect(response.statusCode).toBe(400);
      expect(response.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/more accounts than one delivery holds/) });
    }
    expect(await suite.countMessages('mid.crowded-1001')).toBe(0);
    const kept = await withForce(app().database.db, app().demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select('id').where('channel', '=', 'meta').where(sql<boolean>`position(${'mid.crowded-1001'}::bytea in raw_body) > 0`).execute(),
    );
    expect(kept).toEqual([]);
  });

  it('keeps-the-own-part-of-a-batch-naming-a-thousand-accounts', async () => {
    expect((await suite.post(batchNaming(999, 'mid.crowded-1000'))).statusCode).toBe(200);
    expect(await suite.countMessages('mid.crowded-1000')).toBe(1);
  });
});
