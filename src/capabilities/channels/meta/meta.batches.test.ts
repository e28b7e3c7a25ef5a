import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../../platform/db/database.ts';
import type { ForceId } from '../../../platform/ids.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import { createOtherForce } from '../../../../test/helpers.ts';
import { APP_SECRET, IG_ID, MetaSuite, PAGE_ID } from '../../../../test/channels/meta-kit.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { metaChannel, metaSignature } from './meta.channel.ts';

// Meta batches events, and resends a batch it was not answered 200 for, the same bytes each time:
// one event in it that we cannot read must not cost the others, or cost them on every resend.

const OTHER_FORCE_PAGE_ID = '1000000000005';
const UNKNOWN_PAGE_ID = '1000000000999';

/** One Messenger message to a Page, as Meta puts it in a batch's entry. */
const entryFor = (pageId: string, mid: string, text: string) => ({
  id: pageId,
  time: 1767225600000,
  messaging: [{ sender: { id: '7000000000000003' }, recipient: { id: pageId }, timestamp: 1767225600000, message: { mid, text } }],
});

describe('Meta batches', () => {
  const suite = new MetaSuite();
  let otherForceId: ForceId;
  beforeAll(async () => {
    await suite.start();
    // Another force's Page, served by the same Meta app.
    otherForceId = (await createOtherForce(suite.app)).forceId;
    await connectChannelAccount({ ...suite.app.deps, secrets: new SecretBox(suite.app.config.secretsKey) }, otherForceId, metaChannel as AnyChannelAdapter, {
      label: 'Other force Page',
      config: { ...suite.facebookConfig('public'), pageId: OTHER_FORCE_PAGE_ID, appSecret: APP_SECRET },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(() => suite.close());

  const messagesIn = (forceId: ForceId, mid: string) =>
    withForce(suite.app.database.db, forceId, (tx) => tx.selectFrom('messages').select('body').where('force_id', '=', forceId).where('provider_message_id', '=', mid).execute());

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

  it('stores-our-entry-of-a-batch-whose-first-entry-is-a-page-not-connected', async () => {
    const batch = JSON.stringify({ object: 'page', entry: [entryFor(UNKNOWN_PAGE_ID, 'm_other', 'for other page'), entryFor(PAGE_ID, 'm_M4ours', 'Stolen bike reported via page')] });
    expect((await suite.post(batch)).statusCode).toBe(200);
    expect(await suite.countMessages('m_M4ours')).toBe(1);
    expect(await suite.countMessages('m_other')).toBe(0);
  });

  it('answers-200-and-stores-nothing-for-a-batch-of-pages-not-connected', async () => {
    const batch = JSON.stringify({ object: 'page', entry: [entryFor(UNKNOWN_PAGE_ID, 'm_nobodys', 'for no force here')] });
    expect((await suite.post(batch)).statusCode).toBe(200);
    expect(await suite.countMessages('m_nobodys')).toBe(0);
    expect(await storedRequests('m_nobodys')).toEqual([]);
  });

  it('stores-each-entry-of-a-batch-in-the-force-of-its-page', async () => {
    const batch = JSON.stringify({
      object: 'page',
      entry: [entryFor(OTHER_FORCE_PAGE_ID, 'm_theirs', 'For the other force'), entryFor(PAGE_ID, 'm_ours', 'For the demo force')],
    });
    expect((await suite.post(batch)).statusCode).toBe(200);
    // Meta's resend stores nothing twice in either force.
    expect((await suite.post(batch)).statusCode).toBe(200);
    const demo = suite.app.demoForceId;
    expect(await messagesIn(demo, 'm_ours')).toEqual([{ body: 'For the demo force' }]);
    expect(await messagesIn(demo, 'm_theirs')).toEqual([]);
    expect(await messagesIn(otherForceId, 'm_theirs')).toEqual([{ body: 'For the other force' }]);
    expect(await messagesIn(otherForceId, 'm_ours')).toEqual([]);
    // Each force's copy of the request (kept for replay, shown to its admins) holds its own entry only.
    const keptBy = (forceId: ForceId) =>
      withForce(suite.app.database.db, forceId, async (tx) =>
        (await tx.selectFrom('inbound_requests').select('raw_body').where('force_id', '=', forceId).where('channel', '=', 'meta').execute()).map((r) => Buffer.from(r.raw_body).toString('utf8')).filter((body) => body.includes('m_ours') || body.includes('m_theirs')),
      );
    const demoKept = await keptBy(demo);
    const otherKept = await keptBy(otherForceId);
    expect(demoKept.length).toBeGreaterThan(0);
    expect(otherKept.length).toBeGreaterThan(0);
    for (const body of demoKept) expect(body).not.toContain('For the other force');
    for (const body of otherKept) expect(body).not.toContain('For the demo force');
  });

  it('refuses-a-batch-signed-with-another-secret-for-any-of-its-pages', async () => {
    const batch = JSON.stringify({ object: 'page', entry: [entryFor(UNKNOWN_PAGE_ID, 'm_forged1', 'x'), entryFor(PAGE_ID, 'm_forged2', 'y')] });
    expect((await suite.post(batch, { 'x-hub-signature-256': metaSignature(Buffer.from(batch), 'not-the-app-secret') })).statusCode).toBe(401);
    expect(await suite.countMessages('m_forged2')).toBe(0);
  });
});
