import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { permissionToHear } from '../../src/platform/realtime/live.routes.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';
import { createForceWithCase, queueWithDelivery } from './outbox-kit.ts';

// An open print queue follows its letters from the live stream (decision 0145): a letter held for
// printing, marked printed and posted, or withdrawn is told, with who did it, to the force's staff
// who may read the print queue, and to no one else: not staff without cases:read, not another
// force. Two staff at one printer cannot both mark one letter: the second is refused, saying why.

type Session = Awaited<ReturnType<typeof signIn>>;
type Heard = { type: string; letterId?: string; change?: string; byStaffId?: string };

describe(`the print queue's live messages (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let forceId: ForceId;
  let caseId: string;
  let slug: string;
  let base: string;
  let investigator: Session;
  let supervisor: Session;
  const heard: LiveMessage[] = [];
  const otherForceHeard: LiveMessage[] = [];

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, mailer: null } });
    ({ forceId, caseId, slug } = await createForceWithCase(app));
    await app.runner?.runDue();
    investigator = await signIn(app, `investigator@${slug}.police.uk`);
    supervisor = await signIn(app, `supervisor@${slug}.police.uk`);
    app.hub.subscribe(forceId, (message) => heard.push(message));
    app.hub.subscribe(app.demoForceId, (message) => otherForceHeard.push(message));
    base = await listenForSockets(app);
  });
  afterAll(() => app.close());

  const queueLetter = (name: string) => queueWithDelivery(app, forceId, [{ channel: 'letter', recipient: `${name}\n1 High Street\nANYTOWN\nAB1 2CD`, subject: 'Update', body: `Dear ${name}` }], { caseId });
  const printQueueHeard = (messages: readonly Heard[]) => messages.filter((m) => m.type === 'print_queue.changed');
  const markPrinted = (id: string, session: Session) => app.inject({ method: 'POST', url: `/api/outbox/letters/${id}/printed`, headers: session.headers });

  it('tells the force’s print queue readers of a letter queued, printed and withdrawn, naming who, and no one else', async () => {
    const readerSocket = await openLiveSocket<Heard>(base, investigator);
    // A call handler (no cases:read) is on the stream but may not read the print queue.
    const handlerSocket = await openLiveSocket<Heard>(base, await signIn(app, `handler@${slug}.police.uk`));
    // Another force's reader of its print queue.
    const otherSocket = await openLiveSocket<Heard>(base, await signIn(app, 'investigator@demo.police.uk'));
    heard.length = 0;

    const printed = await queueLetter('Ann Example');
    const withdrawn = await queueLetter('Bob Example');
    // A message on another channel is nothing to the print queue.
    await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: caseId, subject: 'Update', body: 'Hello' }], { caseId });
    await app.runner?.runDue();
    expect((await markPrinted(printed, supervisor)).statusCode).toBe(204);
    const withdraw = await app.inject({ method: 'POST', url: `/api/outbox/${withdrawn}/withdraw`, headers: investigator.headers, payload: { reason: 'The victim moved house' } });
    expect(withdraw.statusCode, withdraw.body).toBe(200);

    const expected = [
      { type: 'print_queue.changed', letterId: printed, change: 'queued' },
      { type: 'print_queue.changed', letterId: withdrawn, change: 'queued' },
      { type: 'print_queue.changed', letterId: printed, change: 'printed', byStaffId: supervisor.user.id },
      { type: 'print_queue.changed', letterId: withdrawn, change: 'withdrawn', byStaffId: investigator.user.id },
    ];
    await expect.poll(() => printQueueHeard(readerSocket.messages).length, { timeout: 20_000 }).toBe(4);
    expect(printQueueHeard(readerSocket.messages)).toEqual(expect.arrayContaining(expected));
    expect(printQueueHeard(heard as Heard[])).toHaveLength(4);
    // A message every console hears, sent after all of these: once it arrives, nothing earlier is on its way.
    for (const force of [forceId, app.demoForceId]) app.hub.deliver(JSON.stringify({ forceId: force, type: 'routing.changed' }));
    for (const socket of [handlerSocket, otherSocket]) await expect.poll(() => socket.messages.some((m) => m.type === 'routing.changed'), { timeout: 20_000 }).toBe(true);
    expect(printQueueHeard(handlerSocket.messages)).toEqual([]);
    expect(printQueueHeard(otherSocket.messages)).toEqual([]);
    expect(printQueueHeard(otherForceHeard as Heard[])).toEqual([]);
    expect(permissionToHear({ type: 'print_queue.changed', letterId: printed, change: 'printed' })).toBe('cases:read');
    for (const socket of [readerSocket, handlerSocket, otherSocket]) socket.close();
  });

  it('refuses the second of two staff marking one letter printed, with why, and tells nothing more', async () => {
    const letter = await queueLetter('Cai Example');
    await app.runner?.runDue();
    heard.length = 0;
    // Both at once: one marks it, the other is refused (the row is locked while the first commits).
    const both = await Promise.all([markPrinted(letter, investigator), markPrinted(letter, supervisor)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([204, 409]);
    const refused = both.find((r) => r.statusCode === 409);
    expect(refused?.json<{ error: { code: string; message: string } }>().error.message).toBe('This letter was already marked printed and posted. Do not post it again.');
    // Asked again later, the same answer.
    const again = await markPrinted(letter, supervisor);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string; message: string } }>().error.message).toBe('This letter was already marked printed and posted. Do not post it again.');
    await expect.poll(() => printQueueHeard(heard as Heard[]).length, { timeout: 20_000 }).toBe(1);
    expect(printQueueHeard(heard as Heard[])).toEqual([expect.objectContaining({ letterId: letter, change: 'printed' })]);

    // A letter withdrawn while it was open: marking it says so.
    const gone = await queueLetter('Dai Example');
    await app.runner?.runDue();
    expect((await app.inject({ method: 'POST', url: `/api/outbox/${gone}/withdraw`, headers: supervisor.headers, payload: { reason: 'Wrong address' } })).statusCode).toBe(200);
    const late = await markPrinted(gone, investigator);
    expect(late.statusCode).toBe(409);
    expect(late.json<{ error: { code: string; message: string } }>().error.message).toBe('This letter was withdrawn. Do not post it.');
  });
});
