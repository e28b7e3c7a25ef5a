// Two batches from one provider at the same moment, each with a message from the same two people
// in the other order (a busy Facebook Page: Meta sends a page's messages in batches). Each batch
// locked the first sender's handle, then waited for the second's, which the other held: PostgreSQL
// broke the deadlock by failing one batch with 503, to be sent again later. A batch now takes all
// its senders' handles at once, in one order, so the two take turns. PGlite runs one transaction
// at a time, so only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { APP_SECRET, PAGE_ID, URL_PATH } from './meta-kit.ts';

const PAT = '7100000000000001';
const SAM = '7100000000000002';

describe.skipIf(ENGINE !== 'postgres')('two batches with the same senders in the other order at once', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const message = (sender: string, mid: string) => ({ sender: { id: sender }, recipient: { id: PAGE_ID }, timestamp: 1457764197627, message: { mid, text: `Message ${mid}` } });
  const post = (messaging: object[]) => () => {
    const body = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: 1457764198246, messaging }] });
    return app.inject({ method: 'POST', url: URL_PATH, headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(body), APP_SECRET) }, payload: body });
  };
  const threadOf = (sender: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('identities as i')
        .innerJoin('contacts as c', 'c.person_id', 'i.person_id')
        .innerJoin('messages as m', 'm.contact_id', 'c.id')
        .select(['c.id as contactId', 'm.provider_message_id as providerId'])
        .where('i.kind', '=', 'social')
        .where('i.value', '=', `facebook:${sender}`)
        .orderBy('m.provider_message_id')
        .execute(),
    );

  it('stores-both-batches-each-person-once-with-one-contact', async () => {
    // Both batches wait to write the first new person, each holding the handle of its first sender.
    const answers = await heldTogether(app, 'lock table identities in share mode', [
      post([message(PAT, 'mid.crossed-pat-1'), message(SAM, 'mid.crossed-sam-1')]),
      post([message(SAM, 'mid.crossed-sam-2'), message(PAT, 'mid.crossed-pat-2')]),
    ]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    for (const [sender, name] of [[PAT, 'pat'], [SAM, 'sam']] as const) {
      const thread = await threadOf(sender);
      expect(thread.map((row) => row.providerId)).toEqual([`mid.crossed-${name}-1`, `mid.crossed-${name}-2`]);
      expect(new Set(thread.map((row) => row.contactId)).size).toBe(1);
    }
  });
});
