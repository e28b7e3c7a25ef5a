import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';

describe('people across channels: identities and operator links', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const report = (id: string, email: string) =>
    submitPublicReport(app.deps, app.demoForceId, { submissionId: id, whatHappened: `Report ${id}`, where: 'Here', when: 'Now', name: 'Jo', email });

  it('links two records of one human without merging them, shows both histories, and can undo it', async () => {
    const first = await report('link-a', 'jo.home@example.org');
    const second = await report('link-b', 'jo.work@example.org');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const personOf = async (contactId: string) =>
      (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers })).json<{
        person: { id: string; earlierContacts: { reference: string }[]; identities: { value: string; isLinked: boolean }[] };
      }>().person;
    const a = await personOf(first.contactId);
    const b = await personOf(second.contactId);
    expect(a.id).not.toBe(b.id);

    const found = await app.inject({ method: 'GET', url: '/api/people?kind=email&value=JO.WORK@example.org', headers: handler.headers });
    expect(found.json<{ people: { id: string }[] }>().people.map((p) => p.id)).toEqual([b.id]);

    const linked = await app.inject({ method: 'POST', url: `/api/people/${a.id}/links`, headers: handler.headers, payload: { personId: b.id, reason: 'Same caller, confirmed by phone' } });
    expect(linked.statusCode).toBe(201);
    const linkId = linked.json<{ link: { id: string } }>().link.id;
    const again = await app.inject({ method: 'POST', url: `/api/people/${b.id}/links`, headers: handler.headers, payload: { personId: a.id, reason: 'again' } });
    expect(again.statusCode).toBe(409);

    // The later contact's history now shows the earlier one made under the other record.
    const afterLink = await personOf(second.contactId);
    expect(afterLink.earlierContacts.map((c) => c.reference)).toContain(first.reference);
    expect(afterLink.identities).toEqual(expect.arrayContaining([{ kind: 'email', value: 'jo.home@example.org', isLinked: true, smsOptedOutAt: null, smsOptOutSource: null }]));

    const unlinked = await app.inject({ method: 'POST', url: `/api/people/${a.id}/links/${linkId}/unlink`, headers: handler.headers, payload: { reason: 'Different people after all' } });
    expect(unlinked.statusCode).toBe(204);
    expect((await personOf(second.contactId)).earlierContacts.map((c) => c.reference)).not.toContain(first.reference);

    // Both records and both identities still exist; the link and its undoing are events.
    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type']).where('subject_type', '=', 'person').where('subject_id', '=', a.id).execute(),
    );
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['person.linked', 'person.unlinked']));
    const person = await app.inject({ method: 'GET', url: `/api/people/${a.id}`, headers: handler.headers });
    expect(person.json<{ person: { links: { unlinkedAt: string | null }[] } }>().person.links[0]?.unlinkedAt).not.toBeNull();
  });

  it('refuses-linking-a-person-to-themselves-or-again-when-an-id-is-in-upper-case', async () => {
    const first = await report('link-upper-a', 'sam.home@example.org');
    const second = await report('link-upper-b', 'sam.work@example.org');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const personOf = async (contactId: string) =>
      (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers })).json<{ person: { id: string } }>().person.id;
    const [a, b] = [await personOf(first.contactId), await personOf(second.contactId)];
    const link = (from: string, to: string) => app.inject({ method: 'POST', url: `/api/people/${from}/links`, headers: handler.headers, payload: { personId: to, reason: 'Same caller' } });

    const self = await link(a, a.toUpperCase());
    expect(self.statusCode, self.body).toBe(400);
    expect(self.json<{ error: { message: string } }>().error.message).toMatch(/cannot link a person to themselves/);
    expect((await link(a, b)).statusCode).toBe(201);
    const again = await link(b.toUpperCase(), a.toUpperCase());
    expect(again.statusCode, again.body).toBe(409);
  });

  it('hides-people-of-another-force', async () => {
    const mine = await report('link-c', 'secret@example.org');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const personId = (await app.inject({ method: 'GET', url: `/api/contacts/${mine.contactId}`, headers: handler.headers })).json<{ person: { id: string } }>().person.id;
    const other = await createOtherForce(app, ['call_handler']);
    const outsider = await signIn(app, other.emails.call_handler ?? '', 'other-password');
    expect((await app.inject({ method: 'GET', url: `/api/people/${personId}`, headers: outsider.headers })).statusCode).toBe(404);
    const search = await app.inject({ method: 'GET', url: '/api/people?kind=email&value=secret%40example.org', headers: outsider.headers });
    expect(search.json<{ people: unknown[] }>().people).toEqual([]);
  });

  // Two operators linking the same two records at the same moment, each from their own side: on
  // PostgreSQL both found no link, and the second's insert met the first's on the table's unique
  // key, so its operator was told only that someone changed something.
  describe.skipIf(ENGINE !== 'postgres')('two operators linking the same people at once', () => {
    it('links-them-once-and-tells-the-other-they-are-already-linked', async () => {
      const first = await report('link-race-a', 'kit.home@example.org');
      const second = await report('link-race-b', 'kit.work@example.org');
      const handler = await signIn(app, 'handler@demo.police.uk');
      const desk = await signIn(app, 'desk@demo.police.uk');
      const personOf = async (contactId: string) =>
        (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers })).json<{ person: { id: string } }>().person.id;
      const [a, b] = [await personOf(first.contactId), await personOf(second.contactId)];

      const answers = await heldTogether(app, 'lock table person_links in share mode', [
        () => app.inject({ method: 'POST', url: `/api/people/${a}/links`, headers: handler.headers, payload: { personId: b, reason: 'Same caller' } }),
        () => app.inject({ method: 'POST', url: `/api/people/${b}/links`, headers: desk.headers, payload: { personId: a, reason: 'Same voice' } }),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort(), answers.map((answer) => answer.body).join('\n')).toEqual([201, 409]);
      const refused = answers.find((answer) => answer.statusCode === 409);
      expect(refused?.json<{ error: { message: string } }>().error.message).toBe('these people are already linked');
      const linked = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('events').select('subject_id').where('type', '=', 'person.linked').where('subject_id', 'in', [a, b]).execute(),
      );
      expect(linked).toHaveLength(1);
    });
  });
});
