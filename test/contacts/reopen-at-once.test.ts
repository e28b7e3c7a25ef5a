// A closed contact re-opened twice at one moment: by the person writing again on its thread and by a
// member of staff. The contact opens once: one `contact.reopened`, one place back in its queue (one
// `contact.requeued`, one routing wake-up), one running clock of each kind; whoever comes second
// finds it open. Staff asking second are told so (409); a message arriving second is a further
// message on an open contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { MINUTE, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

let shared: RoutingApp;
let w: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

type Answer = Awaited<ReturnType<RoutingWorld['app']['inject']>>;

let sent = 0;
/** A message from the public on the generic API channel, on one sender's thread; not awaited for its answer. */
const send = (sender: string, body: string) => {
  sent += 1;
  return w.app.inject({
    method: 'POST',
    url: '/api/channels/api/messages',
    headers: { authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ messageId: `reopen-at-once-${sent}`, threadId: 'thread', from: { email: sender, name: 'Robin' }, body }),
  });
};
const contactOfMessage = async (body: string) =>
  (await withSystem(w.app.database.db, (tx) => tx.selectFrom('messages').select('contact_id').where('body', '=', body).executeTakeFirstOrThrow())).contact_id;

/** A contact begun by a message from `sender`, then closed by the call handler. */
async function closedConversation(sender: string): Promise<string> {
  const first = await send(sender, `First message from ${sender}`);
  expect(first.statusCode, first.body).toBe(202);
  const id = await contactOfMessage(`First message from ${sender}`);
  const closed = await w.post(w.handler, `/api/contacts/${id}/close`, { outcome: 'advice_given' });
  expect(closed.statusCode, closed.body).toBe(200);
  w.clock.advance(10 * MINUTE);
  return id;
}

const reopenByStaff = (id: string) => w.post(w.handler, `/api/contacts/${id}/reopen`, { reason: 'They rang about it' });

/** What opening the contact again left: who opened it (`contact.reopened`), its places back in its queue (`contact.requeued`, each a routing wake-up), its running clocks. */
async function openedOnce(id: string) {
  const events = await w.events(id);
  const running = await withSystem(w.app.database.db, (tx) =>
    tx.selectFrom('sla_clocks').select('kind').where('contact_id', '=', id).where('stopped_at', 'is', null).orderBy('kind').execute(),
  );
  const status = (await w.detail(id)).contact.status;
  return {
    status,
    reopenedBy: events.filter((e) => e.type === 'contact.reopened').map((e) => e.actor_type),
    requeued: events.filter((e) => e.type === 'contact.requeued').map((e) => e.data.reason),
    running: running.map((k) => k.kind),
  };
}

/** Someone holding the contact's row (as a close or an assignment would) while the moves under test arrive. */
const holdContact = (id: string) => `select id from contacts where id = '${id}' for update`;

describe(`a contact reopened by a message and by staff at once (${ENGINE})`, () => {
  it('staff-reopening-after-a-message-reopened-it-is-refused-as-already-open', async () => {
    const id = await closedConversation('first@example.org');
    expect((await send('first@example.org', 'One more thing')).statusCode).toBe(202);
    expect(await contactOfMessage('One more thing')).toBe(id);
    const staff = await reopenByStaff(id);
    expect(staff.statusCode).toBe(409);
    expect(staff.json<ErrorBody>().error).toMatchObject({ code: 'conflict', message: 'this contact is already open' });
    expect(await openedOnce(id)).toEqual({ status: 'open', reopenedBy: ['public'], requeued: ['reopened'], running: ['first_response', 'resolution'] });
  });

  it('a-message-after-staff-reopened-it-is-a-further-message-not-a-second-reopening', async () => {
    const id = await closedConversation('second@example.org');
    const staff = await reopenByStaff(id);
    expect(staff.statusCode, staff.body).toBe(200);
    expect((await send('second@example.org', 'Me again')).statusCode).toBe(202);
    expect(await contactOfMessage('Me again')).toBe(id);
    expect(await openedOnce(id)).toEqual({ status: 'open', reopenedBy: ['staff'], requeued: ['reopened'], running: ['first_response', 'resolution'] });
  });

  it.skipIf(ENGINE !== 'postgres')('opens-once-when-staff-and-a-message-reopen-it-at-the-same-moment', async () => {
    const id = await closedConversation('third@example.org');
    // Staff first, then the message, each once the one before waits on the contact's row.
    const [staffAnswer, messageAnswer] = (await heldTogether(w.app, holdContact(id), [() => reopenByStaff(id), () => send('third@example.org', 'Are you still there?')])) as [Answer, Answer];
    expect(staffAnswer.statusCode, staffAnswer.body).toBe(200);
    expect(messageAnswer.statusCode, messageAnswer.body).toBe(202);
    expect(await contactOfMessage('Are you still there?')).toBe(id);
    expect(await openedOnce(id)).toEqual({ status: 'open', reopenedBy: ['staff'], requeued: ['reopened'], running: ['first_response', 'resolution'] });
  });

  it.skipIf(ENGINE !== 'postgres')('a-message-arriving-as-staff-close-the-contact-reopens-it', async () => {
    const first = await send('fourth@example.org', 'Hello from fourth');
    expect(first.statusCode, first.body).toBe(202);
    const id = await contactOfMessage('Hello from fourth');
    const [closeAnswer, messageAnswer] = (await heldTogether(w.app, holdContact(id), [
      () => w.post(w.handler, `/api/contacts/${id}/close`, { outcome: 'advice_given' }),
      () => send('fourth@example.org', 'Wait, there is more'),
    ])) as [Answer, Answer];
    expect(closeAnswer.statusCode, closeAnswer.body).toBe(200);
    expect(messageAnswer.statusCode, messageAnswer.body).toBe(202);
    expect(await contactOfMessage('Wait, there is more')).toBe(id);
    // Closed first, then the message: it is not left on a closed contact nobody looks at.
    expect(await openedOnce(id)).toEqual({ status: 'open', reopenedBy: ['public'], requeued: ['reopened'], running: ['first_response', 'resolution'] });
  });
});
