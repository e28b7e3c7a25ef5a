import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../../platform/db/database.ts';
import { IG_ID, MetaSuite, PAGE_ID } from '../../../../test/channels/meta-kit.ts';

// Meta batches events, and resends a batch it was not answered 200 for, the same bytes each time:
// one event in it that we cannot read must not cost the others, or cost them on every resend.

describe('Meta batches', () => {
  const suite = new MetaSuite();
  beforeAll(() => suite.start());
  afterAll(() => suite.close());

  const storedRequests = (needle: string) =>
    withForce(suite.app.database.db, suite.app.demoForceId, async (tx) =>
      (await tx.selectFrom('inbound_requests').select(['status', 'error', 'raw_body', 'message_count']).where('channel', '=', 'meta').orderBy('received_at').execute()).filter((r) =>
        Buffer.from(r.raw_body).toString('utf8').includes(needle),
      ),
    );

  it('stores-the-good-events-of-a-batch-with-an-unreadable-one-and-keeps-it-for-replay', async () => {
    // A Messenger message, and a Page comment whose author Meta left out.
    const batch = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1767225600000,
          messaging: [{ sender: { id: '7000000000000004' }, recipient: { id: PAGE_ID }, timestamp: 1767225600000, message: { mid: 'm_M5good', text: 'My house has been burgled' } }],
          changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: '111_222', post_id: '1000000000001_333', created_time: 1767225600, message: 'nice post' } }],
        },
      ],
    });
    const first = await suite.post(batch);
    expect(first.statusCode).toBe(200);
    // Meta's resend of the same batch is answered the same, and stores nothing twice.
    expect((await suite.post(batch)).statusCode).toBe(200);
    expect(await suite.countMessages('m_M5good')).toBe(1);
    expect(await suite.countMessages('111_222')).toBe(0);
    const kept = await storedRequests('m_M5good');
    expect(kept.map((r) => ({ status: r.status, messages: r.message_count }))).toEqual([
      { status: 'rejected', messages: 1 },
      { status: 'rejected', messages: 1 },
    ]);
    expect(kept[0]?.error).toContain('entry.0.changes.0.value: the comment names no author');
  });

  it('answers-200-for-an-instagram-comment-in-the-older-shape-and-keeps-it-for-replay', async () => {
    const body = JSON.stringify({ object: 'instagram', entry: [{ id: IG_ID, time: 1767225660, changes: [{ field: 'comments', value: { id: '17865799348089039', text: 'This is an example.' } }] }] });
    expect((await suite.post(body)).statusCode).toBe(200);
    const [kept] = await storedRequests('17865799348089039');
    expect(kept?.status).toBe('rejected');
    expect(kept?.error).toContain('entry.0.changes.0.value: from');
  });
});
