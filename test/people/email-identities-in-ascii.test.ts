import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, signIn } from '../helpers.ts';
import { type MailApp, MAILBOX, compose, deliver, openMailApp } from '../channels/email-kit.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { findContactHandles, normaliseEmail } from '../../src/capabilities/people/people.service.ts';

// An email identity stored before decision 0146 kept its domain in Unicode; every lookup now
// converts the address it is given to ASCII (punycode), so the next mail from the same address
// made a second person. Migration 0072 rewrites such identities once; where the force already has
// the ASCII form on another person, both records stay and are linked, never merged, and no other
// force's rows are touched (decision 0154).

const MIGRATION = readFileSync(new URL('../../src/platform/db/migrations/0072_email_identities_in_ascii.sql', import.meta.url), 'utf8');

describe(`email identities stored with a Unicode domain (${ENGINE})`, () => {
  let mail: MailApp;
  let messages = 0;

  beforeAll(async () => {
    mail = await openMailApp();
  });
  afterAll(() => mail.close());

  const db = () => mail.app.database.db;
  /** Runs migration 0072 again, as the migrator does, over the rows written since. */
  const migrate = () => db().connection().execute((conn) => mail.app.database.runScript(conn, `select set_config('bluelamp.system', 'on', true);\n${MIGRATION}`));
  /** A mail from this address; the person its contact was filed under. */
  async function mailFrom(address: string): Promise<{ personId: string; contactId: string }> {
    messages += 1;
    const messageId = `idn-identity-${messages}@example.org`;
    await compose(mail.port, { from: address, subject: `Message ${messages}`, text: 'Someone keeps ringing my doorbell at night.', messageId: `<${messageId}>` });
    return personOf(messageId);
  }
  const personOf = (providerId: string) =>
    withSystem(db(), async (tx) => {
      const message = await tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', providerId).executeTakeFirstOrThrow();
      const contact = await tx.selectFrom('contacts').select(['id', 'person_id']).where('id', '=', message.contact_id).executeTakeFirstOrThrow();
      return { personId: contact.person_id ?? '', contactId: contact.id };
    });
  /** A person with these email identities, as they were stored (before decision 0146, any domain as it came). */
  async function storedPerson(forceId: string, values: string[], createdAt = new Date()): Promise<string> {
    const personId = newId();
    await withSystem(db(), async (tx) => {
      await tx.insertInto('people').values({ id: personId, force_id: forceId, display_name: null, created_at: createdAt }).execute();
      for (const value of values) {
        await tx.insertInto('identities').values({ id: newId(), force_id: forceId, person_id: personId, kind: 'email', value, created_at: createdAt }).execute();
      }
    });
    return personId;
  }
  const identitiesOf = (forceId: string, personId: string) =>
    withSystem(db(), async (tx) =>
      (await tx.selectFrom('identities').select('value').where('force_id', '=', forceId).where('person_id', '=', personId).orderBy('value').execute()).map((row) => row.value),
    );
  const linksOf = (forceId: string) =>
    withSystem(db(), (tx) =>
      tx.selectFrom('person_links').select(['person_id', 'linked_person_id', 'linked_by', 'reason', 'unlinked_at']).where('force_id', '=', forceId).execute(),
    );

  it('files-mail-from-the-ascii-form-under-the-person-stored-with-the-unicode-domain-after-migration-0072', async () => {
    const forceId = mail.app.demoForceId;
    const kim = await storedPerson(forceId, ['kim@bücher.example']);
    await migrate();
    expect(await identitiesOf(forceId, kim)).toEqual(['kim@xn--bcher-kva.example']);
    expect((await mailFrom('kim@xn--bcher-kva.example')).personId).toBe(kim);
    // Written in its script, as a client with SMTPUTF8 sends it, it is the same person.
    const raw = ['From: Kim <kim@bücher.example>', `To: ${MAILBOX}`, 'Subject: Again', 'Message-ID: <idn-identity-raw@example.org>', 'Content-Type: text/plain; charset=utf-8', '', 'Still happening.', ''].join('\r\n');
    await deliver(mail.port, Buffer.from(raw, 'utf8'));
    expect((await personOf('idn-identity-raw@example.org')).personId).toBe(kim);
  });

  it('files-mail-in-the-unicode-form-under-the-person-stored-in-ascii', async () => {
    const forceId = mail.app.demoForceId;
    const lee = await storedPerson(forceId, ['lee@xn--gyl-b2a.cymru']);
    const raw = ['From: Lee <lee@gŵyl.cymru>', `To: ${MAILBOX}`, 'Subject: Gŵyl', 'Message-ID: <idn-identity-reverse@example.org>', 'Content-Type: text/plain; charset=utf-8', '', 'Mae rhywun yn dwyn beiciau.', ''].join('\r\n');
    await deliver(mail.port, Buffer.from(raw, 'utf8'));
    expect((await personOf('idn-identity-reverse@example.org')).personId).toBe(lee);
  });

  it('links-the-two-records-of-one-address-keeps-both-histories-and-leaves-other-forces-alone', async () => {
    const forceId = mail.app.demoForceId;
    const other = await createDemoLikeForce(mail.app);
    const earlier = new Date(Date.now() - 86_400_000);

    // Bo wrote before 0146 (stored in Unicode) and since (a second person under the ASCII form).
    const boFirst = await mailFrom('bo@xn--gyl-b2a.cymru');
    await withSystem(db(), (tx) => tx.updateTable('identities').set({ value: 'bo@gŵyl.cymru' }).where('person_id', '=', boFirst.personId).execute());
    const boSecond = await mailFrom('bo@xn--gyl-b2a.cymru');
    expect(boSecond.personId).not.toBe(boFirst.personId);
    // One person holding both spellings; two Unicode spellings and no ASCII one; one not sure enough to rewrite.
    const dee = await storedPerson(forceId, ['dee@xn--bcher-kva.example', 'dee@bücher.example']);
    const eveOld = await storedPerson(forceId, ['eve@bücher.example'], earlier);
    const eveNew = await storedPerson(forceId, ['eve@bücher。example']);
    const snow = await storedPerson(forceId, ['fay@☃.example']);
    // The other force holds Bo's address in both forms, on two people, and one only in Unicode.
    const otherBoAscii = await storedPerson(other.forceId, ['bo@xn--gyl-b2a.cymru']);
    const otherBoUnicode = await storedPerson(other.forceId, ['bo@gŵyl.cymru']);
    const otherAnn = await storedPerson(other.forceId, ['ann@bücher.example']);
    const otherLinksBefore = await linksOf(other.forceId);

    await migrate();

    // Neither of Bo's records lost anything; they are linked, by no member of staff, saying why.
    expect(await identitiesOf(forceId, boFirst.personId)).toEqual(['bo@gŵyl.cymru']);
    expect(await identitiesOf(forceId, boSecond.personId)).toEqual(['bo@xn--gyl-b2a.cymru']);
    const links = await linksOf(forceId);
    const boLinks = links.filter((l) => [l.person_id, l.linked_person_id].includes(boFirst.personId));
    expect(boLinks).toEqual([
      { person_id: boSecond.personId, linked_person_id: boFirst.personId, linked_by: null, reason: expect.stringContaining('bo@xn--gyl-b2a.cymru'), unlinked_at: null },
    ]);
    // Bo's next mail is the ASCII record's, and the operator sees the other record's contact with it.
    const boThird = await mailFrom('bo@xn--gyl-b2a.cymru');
    expect(boThird.personId).toBe(boSecond.personId);
    const handler = await signIn(mail.app, 'handler@demo.police.uk');
    const view = await mail.app.inject({ method: 'GET', url: `/api/contacts/${boThird.contactId}`, headers: handler.headers });
    expect(view.statusCode, view.body).toBe(200);
    const person = view.json<{ person: { identities: { value: string; isLinked: boolean }[]; earlierContacts: { id: string }[] } }>().person;
    expect(person.identities).toContainEqual(expect.objectContaining({ kind: 'email', value: 'bo@gŵyl.cymru', isLinked: true }));
    expect(person.earlierContacts.map((c) => c.id)).toEqual(expect.arrayContaining([boFirst.contactId, boSecond.contactId]));
    // Staff searching for the address as the person writes it find the contact filed under it in ASCII.
    const found = await mail.app.inject({ method: 'GET', url: `/api/contacts/search?status=any&q=${encodeURIComponent('BO@GŴYL.cymru')}`, headers: handler.headers });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json<{ contacts: { id: string }[] }>().contacts.map((c) => c.id)).toContain(boThird.contactId);
    // A message to the linked record goes to the address our senders take.
    expect((await withSystem(db(), (tx) => findContactHandles(tx, forceId, [boFirst.personId]))).get(boFirst.personId)?.email).toBe('bo@xn--gyl-b2a.cymru');

    // One person with both spellings is left as they are, with no link to themselves.
    expect(await identitiesOf(forceId, dee)).toEqual(['dee@bücher.example', 'dee@xn--bcher-kva.example']);
    // Of two Unicode spellings, the older takes the ASCII form and the other record is linked to it.
    expect(await identitiesOf(forceId, eveOld)).toEqual(['eve@xn--bcher-kva.example']);
    expect(await identitiesOf(forceId, eveNew)).toEqual(['eve@bücher。example']);
    expect(links.filter((l) => [l.person_id, l.linked_person_id].includes(eveNew))).toMatchObject([{ person_id: eveOld, linked_person_id: eveNew }]);
    expect(links.some((l) => [l.person_id, l.linked_person_id].includes(dee))).toBe(false);
    // A domain the application would not convert either is left as stored, still found as it comes.
    expect(await identitiesOf(forceId, snow)).toEqual(['fay@☃.example']);
    expect(normaliseEmail('fay@☃.example')).toBe('fay@☃.example');

    // The other force's rows were compared only with its own: its ASCII holder is untouched, its
    // own two records are linked to each other, and nothing links across forces.
    expect(await identitiesOf(other.forceId, otherBoAscii)).toEqual(['bo@xn--gyl-b2a.cymru']);
    expect(await identitiesOf(other.forceId, otherBoUnicode)).toEqual(['bo@gŵyl.cymru']);
    expect(await identitiesOf(other.forceId, otherAnn)).toEqual(['ann@xn--bcher-kva.example']);
    const otherLinks = await linksOf(other.forceId);
    expect(otherLinks.length).toBe(otherLinksBefore.length + 1);
    expect(otherLinks).toContainEqual(expect.objectContaining({ person_id: otherBoAscii, linked_person_id: otherBoUnicode }));
    const allLinks = await withSystem(db(), (tx) => tx.selectFrom('person_links as l').innerJoin('people as p', 'p.id', 'l.linked_person_id').innerJoin('people as q', 'q.id', 'l.person_id').select(['p.force_id as a', 'q.force_id as b', 'l.force_id']).execute());
    expect(allLinks.every((l) => l.a === l.force_id && l.b === l.force_id)).toBe(true);

    // Run again, it changes nothing.
    await migrate();
    expect(await linksOf(forceId)).toHaveLength(links.length);
    expect(await identitiesOf(forceId, boFirst.personId)).toEqual(['bo@gŵyl.cymru']);
  });

  it('converts-as-the-application-does-or-leaves-the-address-as-stored', async () => {
    // The migration's conversion, checked against `normaliseEmail` on the database it runs on.
    const conversion = MIGRATION.slice(MIGRATION.indexOf('create function'), MIGRATION.indexOf('create temporary table'));
    const samples = [
      'name@bücher.example',
      'info5@普遍接受-测试.世界',
      'uasg.tech@डाटामेल.भारत',
      'a@ไทย.ไทย',
      'a@пример.рф',
      'a@مثال.مصر',
      'a@שלום.ישראל',
      'a@faß.de',
      'a@ελληνικά.ελ',
      'a@münchen-ü.de',
      'a@১২৩.বাংলা',
      'a@bücher。example',
      'a@bücher.xn--p1ai',
      // Left as stored: not a domain, a symbol, mixed directions, Cherokee, not lower case, full width, a combining mark.
      'a@bücher',
      'a@-bücher.example',
      'a@☃.com',
      'a@مثالabc.com',
      'a@ꭰꭱ.com',
      'a@Bücher.example',
      'a@ｂücher.example',
      'a@இந்தியா.இந்தியா',
      'a@example.com',
    ];
    const converted = await db()
      .connection()
      .execute(async (conn) => {
        const results: (string | null)[] = [];
        await mail.app.database.runScript(conn, conversion);
        for (const sample of samples) results.push((await conn.selectNoFrom((eb) => eb.fn<string | null>('idn_0072_ascii_email', [eb.val(sample)]).as('ascii')).executeTakeFirstOrThrow()).ascii);
        await mail.app.database.runScript(conn, 'drop function idn_0072_ascii_email(text); drop function idn_0072_punycode(text);');
        return results;
      });
    samples.forEach((sample, index) => {
      const ascii = converted[index];
      // Never a form the application would not look up; only now and then left as it was.
      if (ascii !== null) expect(ascii, sample).toBe(normaliseEmail(sample));
    });
    expect(converted.slice(0, 13).every((ascii) => ascii !== null)).toBe(true);
    expect(converted.slice(13).every((ascii) => ascii === null)).toBe(true);
  });
});
