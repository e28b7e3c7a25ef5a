// The contact screen shows where the person is: the place of the last message that gave one, in
// the order the thread is read (decision 0191: what a person wrote by when they sent it, else when
// it reached us; then when it reached us; then the order stored, decision 0157). Messages stored
// before that order had a column of its own (migration 0074) have no `seq`, and were all stored
// before any message that has one: among messages that share their time they come first, so a
// place given since is the latest, and among themselves they stand by id, as other readers keep
// such rows (decision 0168). PostgreSQL sorts a missing value last, so the old place read as the
// newest on both engines.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { contactDetail } from '../../src/capabilities/contacts/contacts.schema.ts';
import { createRoutingWorld, type RoutingWorld } from '../routing/routing-kit.ts';

type Detail = z.infer<typeof contactDetail>;

describe(`the latest place on the contact screen (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  /** The latitude the contact screen shows the person at (the test's places differ in it only). */
  const shownLat = async (contactId: string) => {
    const response = await w.get(w.supervisor, `/api/contacts/${contactId}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Detail>().contact.place?.lat ?? null;
  };

  /**
   * Stores an inbound message that shares a place, as a channel stores one: at `receivedAt`, sent
   * at `sentAt` where the provider said, with `id` where the test needs its own, and without a
   * `seq` when `isBeforeSeq` (a message stored before the column was added).
   */
  const storePlace = async (
    contactId: string,
    lat: number,
    at: { receivedAt: Date; sentAt?: Date; id?: string; isBeforeSeq?: boolean },
  ) => {
    const id = at.id ?? newId();
    await withSystem(w.app.database.db, async (tx) => {
      await tx
        .insertInto('messages')
        .values({
          id,
          force_id: w.app.demoForceId,
          contact_id: contactId,
          direction: 'inbound',
          channel: 'web',
          body: `[shared location] ${lat}`,
          provider_message_id: null,
          author_staff_id: null,
          created_at: at.receivedAt,
          sent_at: at.sentAt ?? null,
          delivery_status: null,
          meta: JSON.stringify({ place: { lat, lon: -3.1791, radiusMetres: null, source: 'shared', at: null } }),
        })
        .execute();
      if (at.isBeforeSeq) await sql`update messages set seq = null where id = ${id}`.execute(tx);
    });
  };

  it('shows-the-place-stored-last-of-places-that-share-their-time', async () => {
    const contactId = await w.report('Someone is following me, I will send where I am');
    const now = w.clock.now();
    await storePlace(contactId, 51.1, { receivedAt: now, sentAt: now });
    await storePlace(contactId, 51.2, { receivedAt: now, sentAt: now });
    await storePlace(contactId, 51.3, { receivedAt: now, sentAt: now });
    expect(await shownLat(contactId)).toBe(51.3);
  });

  it('shows-the-place-sent-last-when-an-earlier-one-arrives-after-it', async () => {
    const contactId = await w.report('My car has broken down on the moor road');
    const now = w.clock.now();
    await storePlace(contactId, 52.2, { receivedAt: new Date(now.getTime() + 1_000), sentAt: new Date(now.getTime() + 1_000) });
    // Held back on the way: sent before the place above, received after it.
    await storePlace(contactId, 52.1, { receivedAt: new Date(now.getTime() + 5_000), sentAt: now });
    expect(await shownLat(contactId)).toBe(52.2);
  });

  it('shows-a-place-given-since-over-one-stored-before-seq-at-the-same-time', async () => {
    const contactId = await w.report('Lost on the hill path');
    const now = w.clock.now();
    await storePlace(contactId, 53.1, { receivedAt: now, sentAt: now, isBeforeSeq: true });
    await storePlace(contactId, 53.2, { receivedAt: now, sentAt: now });
    expect(await shownLat(contactId)).toBe(53.2);
  });

  it('shows-of-places-stored-before-seq-at-the-same-time-the-one-last-by-id', async () => {
    const contactId = await w.report('Stuck in a lift at the station');
    const now = w.clock.now();
    // Stored higher id first, so the order stored and the order by id differ.
    await storePlace(contactId, 54.2, { receivedAt: now, sentAt: now, id: 'ffffffff-0000-4000-8000-000000000001', isBeforeSeq: true });
    await storePlace(contactId, 54.1, { receivedAt: now, sentAt: now, id: '00000000-0000-4000-8000-000000000001', isBeforeSeq: true });
    expect(await shownLat(contactId)).toBe(54.2);
  });
});
