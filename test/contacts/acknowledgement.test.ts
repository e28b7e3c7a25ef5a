// The portal promises "we will send your reference number to this address": every new portal
// report is acknowledged, once, in the reporter's language; replies follow the same language; and
// an acknowledgement is not a response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { sql } from 'kysely';
import { withSystem } from '../../src/platform/db/database.ts';
import { requestAccessCode } from '../../src/capabilities/report-status/report-status.service.ts';
import { createRoutingWorld, type RoutingWorld } from '../routing/routing-kit.ts';

describe(`acknowledging reports in the reporter's language (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  const runJobs = async () => {
    if (!w.app.runner) throw new Error('no job runner');
    await w.app.runner.runDue();
  };
  const outboxOf = (contactId: string) =>
    withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('outbox').select(['recipient', 'subject', 'body', 'purpose']).where('contact_id', '=', contactId).orderBy('created_at').orderBy('seq').execute(),
    );

  it('sends an English reporter their reference in English, once however often the job runs', async () => {
    const id = await w.report('Someone scratched my car on Church Street', { email: 'ack-en@example.org' });
    await runJobs();
    await runJobs();
    const mails = await outboxOf(id);
    expect(mails).toHaveLength(1);
    const { contact, timeline } = await w.detail(id);
    expect(mails[0]).toMatchObject({ recipient: 'ack-en@example.org', purpose: 'acknowledgement' });
    expect(mails[0]?.subject).toBe(`We have received your report: ${contact.reference}`);
    expect(mails[0]?.body).toContain(`your reference number is ${contact.reference}`);
    expect(timeline.filter((e) => e.type === 'contact.acknowledged')).toHaveLength(1);
    // Telling someone their reference is not answering them: the first-response clock runs on.
    const first = (await w.detail(id)).routing.clocks.find((k) => k.kind === 'first_response');
    expect(first?.stoppedAt).toBeNull();
  });

  it('sends a Welsh reporter their reference in Welsh, greeting them by name, and replies in Welsh', async () => {
    const id = await w.report('Mae rhywun wedi crafu fy nghar ar Stryd yr Eglwys', { email: 'ack-cy@example.org', language: 'cy' });
    await runJobs();
    const { contact } = await w.detail(id);
    const [ack] = await outboxOf(id);
    expect(ack?.subject).toBe(`Rydym wedi cael eich adroddiad: ${contact.reference}`);
    expect(ack?.body).toMatch(/^Annwyl Person \d+,/);
    expect(ack?.body).toContain(`a’ch cyfeirnod yw ${contact.reference}`);
    expect(ack?.body).not.toMatch(/Hello|Thank you|reference number/);

    const reply = await w.post(w.supervisor, `/api/contacts/${id}/replies`, { body: 'Diolch, byddwn yn cysylltu.' });
    expect(reply.statusCode, reply.body).toBe(201);
    const replyMail = (await outboxOf(id)).find((m) => m.purpose === 'reply');
    expect(replyMail?.subject).toBe(`Ynglŷn â’ch adroddiad ${contact.reference}`);
    expect(replyMail?.body).toContain('Nodwch');
  });

  it('sends a Welsh check-my-report code in Welsh', async () => {
    const id = await w.report('Mae fy meic wedi ei ddwyn', { email: 'code-cy@example.org', language: 'cy' });
    const { contact } = await w.detail(id);
    await requestAccessCode({ ...w.app.deps, codeSecret: 'test-code-secret' }, w.forceId, contact.reference);
    const code = (await outboxOf(id)).find((m) => m.purpose === 'portal.access_code');
    expect(code?.subject).toBe(`Eich cod i wirio adroddiad ${contact.reference}`);
  });

  it('acknowledges a burst of reports together, each once, in its own language, and not one acknowledged before', async () => {
    const before = await w.report('My bike was taken from the station rack', { email: 'burst-0@example.org' });
    await runJobs();
    const ids = [before];
    for (let i = 1; i <= 6; i += 1) {
      ids.push(await w.report(`Report ${i}: someone broke a window on Mill Lane`, { email: `burst-${i}@example.org`, ...(i % 2 === 0 ? { language: 'cy' } : {}) }));
    }
    // The earlier report's acknowledgement job runs again in the same batch (a retry, say).
    await withSystem(w.app.database.db, (tx) =>
      tx.updateTable('jobs').set({ state: 'pending' }).where('type', '=', 'contact.acknowledge').where(sql<string>`payload->>'contactId'`, '=', before).execute(),
    );
    await runJobs();
    for (const [i, id] of ids.entries()) {
      const mails = (await outboxOf(id)).filter((m) => m.purpose === 'acknowledgement');
      const { contact, timeline } = await w.detail(id);
      expect(mails.map((m) => m.recipient)).toEqual([`burst-${i}@example.org`]);
      expect(mails[0]?.subject).toBe(i > 0 && i % 2 === 0 ? `Rydym wedi cael eich adroddiad: ${contact.reference}` : `We have received your report: ${contact.reference}`);
      expect(timeline.filter((e) => e.type === 'contact.acknowledged')).toHaveLength(1);
    }
  });
});
