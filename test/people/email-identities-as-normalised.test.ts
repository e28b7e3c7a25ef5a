import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { runDataRepairs } from '../../src/platform/db/data-repairs.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';
import { convertEmail, findOrCreatePerson, normaliseEmail } from '../../src/capabilities/people/people.service.ts';
import { repairEmailIdentities } from '../../src/capabilities/people/email-identity-repair.service.ts';

// Migration 0072 rewrote in SQL only the email identities it was sure of; a domain needing UTS 46's
// mapping (full-width letters and dots, Cherokee, Tamil and other scripts), or an address not stored
// lower-cased, was left, so its person was found twice or never. Migration 0073 asks for a repair
// the application runs at start with `normaliseEmail` itself (decision 0161), by 0072's rule: the
// oldest spelling takes the form, other records are linked, nothing crosses forces.

const REPAIR = 'email-identities-as-normalised';

// Real addresses, stored the old way (as they came, or only lower-cased). Each is its own person.
const CONVERTED = [
  'jo@ｅｘａｍｐｌｅ．ｃｏｍ', // full-width letters and dot
  'Kim@ＥＸＡＭＰＬＥ．ＯＲＧ', // full-width capitals
  'mo@bücher．example', // full-width dot
  'ai@例え。テスト', // ideographic full stop
  'li@中国｡中国', // half-width ideographic full stop
  'ravi@இந்தியா.இந்தியா', // Tamil, with its virama
  'dev@हिन्दी.भारत', // Devanagari
  'uasg.tech@डाटामेल.भारत',
  'sequoyah@ᏣᎳᎩ.com', // Cherokee capitals, which UTS 46 keeps and lower() does not fold the same way
  'nvya@ꮳꮃꭹ.com', // Cherokee small letters, mapped to the capitals
  'hans@straße.de', // German sharp s, kept (not "ss")
  'Greta@STRAẞE.de', // capital sharp s
  'eleni@σίσυφος.ελ', // Greek final sigma, kept
  'NIKOS@ΣΊΣΥΦΟΣ.ΕΛ', // Greek capitals
  'ΝΙΚΟΣ@example.gr', // a final sigma before the @, which lower() in SQL makes a medial one
  'Bo@GŴYL.cymru', // Welsh, in capitals
  'x@ﬁnance.com', // a ligature
  'Sam.Jones@Example.ORG', // mixed-case ASCII
  'Lee@XN--GYL-B2A.Cymru', // punycode in capitals
  '  pad@example.net ', // spaces
];
// Already as `normaliseEmail` gives them (lower-case ASCII is, converted or not): left alone.
const ALREADY = ['ann@xn--gyl-b2a.cymru', 'bö@example.com', 'bob@localhost'];
// Domains `normaliseEmail` does not convert (a symbol, an emoji, no domain), already as it gives
// them (lower-cased and trimmed): left as stored, counted.
const REFUSED = ['pat@💩.la', 'tea@☕.example', 'née-no-domain'];
// Domains it does not convert, not lower-cased: it looks them up lower-cased all the same, so that
// is the form they are given, or the next contact from one is another person.
const LOWER_CASED = ['Viv@I❤.ws', 'No-At-Sign', ' Root@LOCALHOST'];

describe(`email identities made the form normaliseEmail gives (${ENGINE})`, () => {
  let app: TestApp;
  let forceId: ForceId;
  let otherForceId: ForceId;

  beforeAll(async () => {
    app = await createTestApp();
    forceId = app.demoForceId;
    otherForceId = (await createOtherForce(app)).forceId;
  });
  afterAll(() => app?.close());

  const db = () => app.database.db;
  /** A later start, after a migration asked for the repair again. */
  async function startAgain(): Promise<{ [key: string]: unknown }> {
    await withSystem(db(), (tx) => tx.updateTable('data_repairs').set({ done_at: null }).where('name', '=', REPAIR).execute());
    await runDataRepairs(db(), app.deps.clock, app.deps.logger, { [REPAIR]: (database) => repairEmailIdentities(database, app.deps.clock) });
    const row = await withSystem(db(), (tx) => tx.selectFrom('data_repairs').select(['done_at', 'report']).where('name', '=', REPAIR).executeTakeFirstOrThrow());
    expect(row.done_at).not.toBeNull();
    return row.report ?? {};
  }
  async function storedPerson(force: string, values: string[], createdAt = new Date()): Promise<string> {
    const personId = newId();
    await withSystem(db(), async (tx) => {
      await tx.insertInto('people').values({ id: personId, force_id: force, display_name: null, created_at: createdAt }).execute();
      for (const value of values) {
        await tx.insertInto('identities').values({ id: newId(), force_id: force, person_id: personId, kind: 'email', value, created_at: createdAt }).execute();
      }
    });
    return personId;
  }
  const identitiesOf = (force: string, personId: string) =>
    withSystem(db(), async (tx) =>
      (await tx.selectFrom('identities').select('value').where('force_id', '=', force).where('person_id', '=', personId).orderBy('value').execute()).map((row) => row.value),
    );
  const linksOf = (force: string) =>
    withSystem(db(), (tx) => tx.selectFrom('person_links').select(['person_id', 'linked_person_id', 'linked_by', 'reason']).where('force_id', '=', force).where('unlinked_at', 'is', null).execute());

  it('was-asked-for-by-migration-0073-and-run-by-the-start', async () => {
    const row = await withSystem(db(), (tx) => tx.selectFrom('data_repairs').select(['done_at', 'report']).where('name', '=', REPAIR).executeTakeFirstOrThrow());
    expect(row.done_at).not.toBeNull();
    expect(row.report).toEqual({ rewritten: expect.any(Number), linked: expect.any(Number), leftAsStored: expect.any(Number) });
  });

  it('rewrites-every-address-normaliseEmail-converts-to-its-form-and-leaves-the-rest-as-stored', async () => {
    const forms = CONVERTED.map(normaliseEmail);
    // Every sample is a different address, each stored under a spelling no look-up finds.
    expect(new Set(forms).size).toBe(CONVERTED.length);
    CONVERTED.forEach((typed, index) => expect(forms[index], typed).not.toBe(typed));
    const before = await startAgain();
    const people = new Map<string, string>();
    for (const value of [...CONVERTED, ...LOWER_CASED, ...ALREADY, ...REFUSED]) people.set(value, await storedPerson(forceId, [value]));

    const report = await startAgain();

    for (const typed of [...CONVERTED, ...LOWER_CASED]) expect(await identitiesOf(forceId, people.get(typed) ?? ''), typed).toEqual([normaliseEmail(typed)]);
    for (const typed of [...ALREADY, ...REFUSED]) expect(await identitiesOf(forceId, people.get(typed) ?? ''), typed).toEqual([typed]);
    expect(report).toEqual({ rewritten: CONVERTED.length + LOWER_CASED.length, linked: 0, leftAsStored: Number(before.leftAsStored) + REFUSED.length });
    // Every stored address is now in the form the application looks it up by.
    const all = await withSystem(db(), (tx) => tx.selectFrom('identities').select('value').where('kind', '=', 'email').execute());
    expect(all.filter((row) => normaliseEmail(row.value) !== row.value)).toEqual([]);
    expect(LOWER_CASED.filter((typed) => convertEmail(typed) !== null)).toEqual([]);
    // The next contact from each address, however written, is the person already known.
    for (const typed of [...CONVERTED, ...LOWER_CASED]) {
      const found = await withForce(db(), forceId, (tx) => findOrCreatePerson(tx, forceId, app.deps.clock, { kind: 'email', value: typed, name: null }));
      expect(found, typed).toEqual({ personId: people.get(typed), isNew: false });
    }
  });

  it('links-the-records-of-one-address-in-a-force-and-leaves-another-force-alone', async () => {
    const earlier = new Date(Date.now() - 86_400_000);
    // The form already held: the other spelling's person is linked to its holder.
    const kaiAscii = await storedPerson(forceId, ['kai@example.co.uk']);
    const kaiWide = await storedPerson(forceId, ['kai@ｅｘａｍｐｌｅ．ｃｏ．ｕｋ']);
    // No record holds the form: the oldest spelling takes it, the other record is linked to it.
    const rinOld = await storedPerson(forceId, ['rin@ᏣᎳᎩ.example'], earlier);
    const rinNew = await storedPerson(forceId, ['Rin@ꮳꮃꭹ.Example']);
    // One person with two spellings: one takes the form, no link to themselves.
    const una = await storedPerson(forceId, ['una@டாட்டா.example', 'UNA@டாட்டா.example']);
    // Already linked by an operator: not linked twice.
    const ivoAscii = await storedPerson(forceId, ['ivo@example.com']);
    const ivoUpper = await storedPerson(forceId, ['Ivo@Example.com']);
    await withSystem(db(), (tx) =>
      tx.insertInto('person_links').values({ id: newId(), force_id: forceId, person_id: ivoUpper, linked_person_id: ivoAscii, reason: 'Same caller', linked_by: null, linked_at: new Date() }).execute(),
    );
    // The other force holds the forms of this force's spellings, and its own Unicode one.
    const otherKai = await storedPerson(otherForceId, ['kai@example.co.uk']);
    const otherRin = await storedPerson(otherForceId, ['rin@xn--f9dt7l.example']);
    const otherIdentitiesBefore = await withSystem(db(), (tx) => tx.selectFrom('identities').select(['id', 'person_id', 'value']).where('force_id', '=', otherForceId).orderBy('id').execute());
    const otherLinksBefore = await linksOf(otherForceId);
    const linksBefore = await linksOf(forceId);

    const report = await startAgain();

    expect(await identitiesOf(forceId, kaiAscii)).toEqual(['kai@example.co.uk']);
    expect(await identitiesOf(forceId, kaiWide)).toEqual(['kai@ｅｘａｍｐｌｅ．ｃｏ．ｕｋ']);
    expect(await identitiesOf(forceId, rinOld)).toEqual(['rin@xn--f9dt7l.example']);
    expect(await identitiesOf(forceId, rinNew)).toEqual(['Rin@ꮳꮃꭹ.Example']);
    expect(await identitiesOf(forceId, una)).toHaveLength(2);
    expect((await identitiesOf(forceId, una)).filter((value) => value === normaliseEmail('una@டாட்டா.example'))).toHaveLength(1);
    const links = await linksOf(forceId);
    const added = links.filter((link) => !linksBefore.some((b) => b.person_id === link.person_id && b.linked_person_id === link.linked_person_id));
    expect(added).toEqual(
      expect.arrayContaining([
        { person_id: kaiAscii, linked_person_id: kaiWide, linked_by: null, reason: expect.stringContaining('kai@example.co.uk') },
        { person_id: rinOld, linked_person_id: rinNew, linked_by: null, reason: expect.stringContaining('rin@xn--f9dt7l.example') },
      ]),
    );
    expect(added).toHaveLength(2);
    expect(report).toMatchObject({ rewritten: 2, linked: 2 });
    // Each link made is on the holder's timeline, made by the system, naming the other record.
    const linkEvents = await withSystem(db(), (tx) =>
      tx.selectFrom('events').select(['actor_type', 'actor_id', 'subject_id', 'data']).where('force_id', '=', forceId).where('type', '=', 'person.linked').execute(),
    );
    expect(linkEvents.map((event) => [event.actor_type, event.actor_id, event.subject_id, (event.data as { otherPersonId: string }).otherPersonId]).sort()).toEqual(
      [
        ['system', null, kaiAscii, kaiWide],
        ['system', null, rinOld, rinNew],
      ].sort(),
    );
    // The next mail from the second spelling is filed under the holder, whose record shows the other.
    const rin = await withForce(db(), forceId, (tx) => findOrCreatePerson(tx, forceId, app.deps.clock, { kind: 'email', value: 'Rin@ꮳꮃꭹ.Example', name: null }));
    expect(rin.personId).toBe(rinOld);

    // The other force: not a row changed, no link made, and no link anywhere crosses forces.
    expect(await withSystem(db(), (tx) => tx.selectFrom('identities').select(['id', 'person_id', 'value']).where('force_id', '=', otherForceId).orderBy('id').execute())).toEqual(
      otherIdentitiesBefore,
    );
    expect(await linksOf(otherForceId)).toEqual(otherLinksBefore);
    expect(await identitiesOf(otherForceId, otherKai)).toEqual(['kai@example.co.uk']);
    expect(await identitiesOf(otherForceId, otherRin)).toEqual(['rin@xn--f9dt7l.example']);
    const crossing = await withSystem(db(), (tx) =>
      tx
        .selectFrom('person_links as l')
        .innerJoin('people as p', 'p.id', 'l.person_id')
        .innerJoin('people as q', 'q.id', 'l.linked_person_id')
        .select('l.id')
        .where((eb) => eb.or([eb('p.force_id', '!=', eb.ref('l.force_id')), eb('q.force_id', '!=', eb.ref('l.force_id'))]))
        .execute(),
    );
    expect(crossing).toEqual([]);

    // Run again, it changes nothing.
    expect(await startAgain()).toMatchObject({ rewritten: 0, linked: 0 });
    expect(await linksOf(forceId)).toHaveLength(links.length);
  });
});
