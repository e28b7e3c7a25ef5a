import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { MetaSuite, PAGE_ID } from './meta-kit.ts';

// A provider's batch is stored in the order the provider gave it: Meta's message ids are opaque
// and do not sort as the messages were sent.

describe('messages in one provider batch', () => {
  const suite = new MetaSuite();
  beforeAll(() => suite.start());
  afterAll(() => suite.close());

  it('keeps-the-providers-order-when-its-ids-sort-otherwise', async () => {
    // A reviewer's Messenger batch: the report, then a link ("m_M1fallback" sorts before "m_M1text").
    const sender = { id: '7000000000000001' };
    const recipient = { id: PAGE_ID };
    const batch = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1767225600000,
          messaging: [
            { sender, recipient, timestamp: 1767225600000, message: { mid: 'm_M1text', text: 'Car on fire on Elm St' } },
            {
              sender,
              recipient,
              timestamp: 1767225600004,
              message: {
                mid: 'm_M1fallback',
                text: 'https://example.com/thing',
                attachments: [{ type: 'fallback', title: 'thing', url: 'https://example.com/thing', payload: null }],
              },
            },
          ],
        },
      ],
    };
    expect((await suite.post(JSON.stringify(batch))).statusCode).toBe(200);

    const contact = await suite.contactOf('m_M1text');
    expect((await suite.contactOf('m_M1fallback')).id).toBe(contact.id);
    const { summary } = await withForce(suite.app.database.db, suite.app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select('summary').where('id', '=', contact.id).executeTakeFirstOrThrow(),
    );
    expect(summary).toBe('Car on fire on Elm St');
    const detail = await suite.detail(contact.id);
    expect(detail.messages.map((m) => m.body)).toEqual(['Car on fire on Elm St', 'https://example.com/thing']);
  });
});
