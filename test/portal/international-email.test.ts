// People whose email address has a domain in their own script (bücher.example, a Welsh name under
// .cymru, the UASG's test mailboxes) could not give it on the report form: it was refused as not an
// email address. It is accepted now and kept as our senders need it, its domain in punycode, while
// the form shows back what was typed. An address whose part before the @ is not ASCII is refused
// with the true reason, in English and Welsh, because neither GOV.UK Notify nor a relay without
// SMTPUTF8 could deliver to it; a malformed one is refused as before (decision 0146).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, hidden } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';

describe(`email addresses with international domains (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  async function postReport(email: string, lang: 'en' | 'cy' = 'en') {
    visitors += 1;
    const visitor = new Visitor(app, `10.46.0.${visitors}`);
    const form = await visitor.open(`/report/details?lang=${lang}`);
    const answer = await visitor.post('/report/details', {
      submissionId: hidden(form.body, 'submissionId'),
      whatHappened: 'My bike was stolen from outside the library',
      where: 'Library, Demoton',
      when: 'Yesterday about 3pm',
      email,
    });
    return { visitor, answer };
  }
  const referenceOn = (body: string) => /data-testid="reference">([^<]+)</.exec(body)?.[1] ?? '';
  const identityOf = (reference: string) =>
    withSystem(app.database.db, async (tx) => {
      const contact = await tx.selectFrom('contacts').select('person_id').where('reference', '=', reference).executeTakeFirstOrThrow();
      return (await tx.selectFrom('identities').select('value').where('person_id', '=', contact.person_id ?? '').where('kind', '=', 'email').execute()).map((row) => row.value);
    });
  const codeRecipients = (reference: string) =>
    withSystem(app.database.db, async (tx) =>
      (
        await tx
          .selectFrom('outbox as o')
          .innerJoin('contacts as c', 'c.id', 'o.contact_id')
          .select('o.recipient')
          .where('c.reference', '=', reference)
          .where('o.purpose', '=', 'portal.access_code')
          .execute()
      ).map((row) => row.recipient),
    );

  it('accepts-a-report-from-an-idn-address-and-sends-its-code-to-the-ascii-form', async () => {
    const samples: [string, string][] = [
      ['name@bücher.example', 'name@xn--bcher-kva.example'],
      ['post@gŵyl.cymru', 'post@xn--gyl-b2a.cymru'],
      // UASG 004's test mailboxes, which exist to be written to.
      ['info5@普遍接受-测试.世界', 'info5@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g'],
      ['uasg.tech@डाटामेल.भारत', 'uasg.tech@xn--c2bd4bq1db8d.xn--h2brj9c'],
    ];
    for (const [typed, ascii] of samples) {
      const { answer } = await postReport(typed);
      expect(answer.statusCode, `${typed}: ${answer.body}`).toBe(200);
      const reference = referenceOn(answer.body);
      expect(reference).not.toBe('');
      await app.reports.settled();
      expect(await identityOf(reference)).toEqual([ascii]);
      // The code to check on the report goes to an address every sender takes.
      const checker = new Visitor(app, `10.46.1.${visitors}`);
      await checker.open('/check');
      expect((await checker.post('/check', { reference })).headers.location).toBe('/check/code');
      expect(await codeRecipients(reference)).toEqual([ascii]);
    }
  });

  it('refuses-an-address-needing-smtputf8-saying-why-in-english-and-welsh', async () => {
    for (const typed of ['测试1@ua-test.link', 'Dörte@Sörensen.example.com']) {
      const { answer } = await postReport(typed);
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('We cannot send email to an address with letters other than a to z before the @. Enter a different email address or a phone number');
      // What was typed is shown back as typed.
      expect(answer.body).toContain(`value="${typed}"`);
    }
    const { answer } = await postReport('siân@example.cymru', 'cy');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('Ni allwn anfon e-bost i gyfeiriad sydd â llythrennau heblaw a i z cyn yr @.');
  });

  it('refuses-malformed-addresses-as-before', async () => {
    for (const typed of ['name@bücher', 'name@@bücher.example', 'name@bücher..example', 'name@192.0.2.1', '"name"@example.com']) {
      const { answer } = await postReport(typed);
      expect(answer.statusCode, typed).toBe(400);
      expect(answer.body).toContain('Enter an email address in the correct format, like name@example.com');
    }
  });

  it('lets-an-officer-give-a-victim-an-idn-address-and-refuses-one-needing-smtputf8', async () => {
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const { answer } = await postReport(`victim.${randomUUID()}@example.org`);
    await app.reports.settled();
    const contact = await withSystem(app.database.db, (tx) => tx.selectFrom('contacts').select('id').where('reference', '=', referenceOn(answer.body)).executeTakeFirstOrThrow());
    const created = await app.inject({ method: 'POST', url: `/api/contacts/${contact.id}/case`, headers: handler.headers, payload: {} });
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json<{ case: { id: string } }>().case.id;
    const added = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/people`, headers: investigator.headers, payload: { role: 'victim', name: 'Dafydd', email: 'Dafydd@GŴYL.cymru' } });
    expect(added.statusCode, added.body).toBe(201);
    const people = added.json<{ case: { people: { name: string | null; email: string | null }[] } }>().case.people;
    expect(people.find((person) => person.name === 'Dafydd')?.email).toBe('dafydd@xn--gyl-b2a.cymru');
    const refused = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/people`, headers: investigator.headers, payload: { role: 'victim', name: 'Dörte', email: 'dörte@example.com' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('SMTPUTF8');
  });
});
