// A victim with no email address or phone number is kept informed by letter (decision 0136): an
// officer (or the records system) keeps their postal address on the case, the journey writes
// their letters to the print queue in their language, and a letter printed and posted tells them
// for the Victims' Code. The address is shown to staff of the force only, and written into no
// event and no log line.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem, setPreferences, type Session } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';
import { queueMessage } from '../../src/capabilities/outbox/outbox.service.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';

type Address = { lines: string[]; town: string; postcode: string };
type Person = { id: string; role: string; name: string; postalAddress: Address | null };
type ErrorBody = { error: { code: string; fields?: { path: string; message: string; sentence?: string }[] } };
type Letter = { id: string; caseId: string | null; caseReference: string | null; recipient: string; subject: string; body: string; purpose: string; doNotPrint: string | null };
type Update = { id: string; duty: string; standing: string; satisfiedAt: string | null; how: string | null };

// Wednesday 2 December 2026, 10:00 in London (GMT).
const WEDNESDAY = new Date('2026-12-02T10:00:00Z');
/** An address with what hostile text may hold and an address may too: an apostrophe, quotes, braces, a backslash. */
const HOME: Address = { lines: ['Flat 2, St Mary’s "Court" {B}', '10 Heol y Frenhines \\ rear'], town: 'Caerdydd', postcode: 'CF10 1AA' };

describe(`letters to victims with a postal address (${ENGINE})`, () => {
  const clock = fixedClock(WEDNESDAY);
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  let app: TestApp;
  let investigator: Session;
  let otherInvestigator: Session;
  let otherEmail = '';
  let cases = 0;

  const api = async <T>(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: (response.body ? response.json<T>() : null) as T, raw: response.body };
  };
  const runJobs = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  /** A case recorded by the investigator with one victim named only (no email address, no phone number), allocated to them. */
  const namedVictimCase = async (name: string) => {
    cases += 1;
    const created = await api<{ case: { id: string; people: Person[] } }>(investigator, 'POST', '/api/cases', { crimeType: 'VAP-VWI', summary: `Assault outside a pub ${cases}`, victims: [{ name }] });
    expect(created.status, created.raw).toBe(201);
    const caseId = created.body.case.id;
    await milestone(caseId, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North' });
    return { caseId, victimId: created.body.case.people[0]?.id ?? '' };
  };
  const milestone = async (caseId: string, payload: object) => {
    const response = await api(investigator, 'POST', `/api/cases/${caseId}/milestones`, payload);
    expect(response.status, response.raw).toBe(200);
  };
  const setAddress = (caseId: string, victimId: string, postalAddress: unknown, session = investigator) =>
    api<{ case: { people: Person[] } } & ErrorBody>(session, 'PATCH', `/api/cases/${caseId}/people/${victimId}`, { postalAddress });
  const lettersOf = async (caseId: string, session = investigator) => {
    const listed = await api<{ letters: Letter[] }>(session, 'GET', '/api/outbox/letters');
    expect(listed.status, listed.raw).toBe(200);
    return listed.body.letters.filter((letter) => letter.caseId === caseId);
  };
  const outboxOf = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['channel', 'channels', 'status', 'purpose']).where('case_id', '=', caseId).orderBy('created_at').orderBy('seq').execute());
  const eventsOf = (caseId: string, type: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['data']).where('subject_id', '=', caseId).where('type', '=', type).orderBy('seq').execute());
  const arrestUpdate = async (caseId: string) => {
    const listed = await api<{ updates: Update[] }>(investigator, 'GET', `/api/cases/${caseId}/victim-updates`);
    expect(listed.status, listed.raw).toBe(200);
    return listed.body.updates.find((u) => u.duty === 'arrest');
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock, logger: createLogger('info', logStream) } });
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherEmail = other.emails.investigator ?? '';
    otherInvestigator = await signIn(app, otherEmail, 'other-password');
  });
  afterAll(() => app.close());

  it('refuses-an-address-that-is-not-one-with-the-field-and-the-reason', async () => {
    const { caseId, victimId } = await namedVictimCase('Gwen Refused');
    const fieldsOf = (body: ErrorBody) => (body.error.fields ?? []).map((f) => [f.path.replace(/^body\./, ''), f.sentence ?? f.message]);
    const refusals: [unknown, string, RegExp][] = [
      [{ ...HOME, postcode: 'CF10 1A' }, 'postalAddress.postcode', /UK postcode/],
      [{ ...HOME, postcode: '12345' }, 'postalAddress.postcode', /UK postcode/],
      [{ ...HOME, lines: ['10 High Street\nLondon'] }, 'postalAddress.lines.0', /control characters/],
      [{ ...HOME, lines: ['10 High Street\u202e'] }, 'postalAddress.lines.0', /control characters/],
      [{ ...HOME, town: 'x'.repeat(101) }, 'postalAddress.town', /100/],
      [{ ...HOME, town: '   ' }, 'postalAddress.town', /empty|1/],
      [{ ...HOME, lines: [] }, 'postalAddress.lines', /at least 1/],
      [{ ...HOME, lines: ['1', '2', '3', '4'] }, 'postalAddress.lines', /at most 3/],
      [{ ...HOME, county: 'Glamorgan' }, 'postalAddress', /county/i],
    ];
    for (const [postalAddress, path, reason] of refusals) {
      const refused = await setAddress(caseId, victimId, postalAddress);
      expect(refused.status, JSON.stringify(postalAddress)).toBe(400);
      const field = fieldsOf(refused.body).find(([p]) => p === path);
      expect(field, `${JSON.stringify(postalAddress)}: ${refused.raw}`).toBeDefined();
      expect(field?.[1]).toMatch(reason);
    }
    // An address is a victim's: a witness's is refused, with the field.
    const witness = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'witness', name: 'Wyn Witness', postalAddress: HOME });
    expect(witness.status).toBe(400);
    expect(fieldsOf(witness.body as unknown as ErrorBody).map(([p]) => p)).toContain('postalAddress');
    const row = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['postal_lines', 'postal_town', 'postal_postcode']).where('id', '=', victimId).executeTakeFirstOrThrow());
    expect(row).toEqual({ postal_lines: null, postal_town: null, postal_postcode: null });
  });

  it('keeps, changes and clears an address, each change one event that does not hold it', async () => {
    const { caseId, victimId } = await namedVictimCase('Gwen Kept');
    const set = await setAddress(caseId, victimId, { lines: ['  Flat 2 ', HOME.lines[1]], town: ' Caerdydd ', postcode: ' cf101aa ' });
    expect(set.status, set.raw).toBe(200);
    expect(set.body.case.people.find((p) => p.id === victimId)?.postalAddress).toEqual({ lines: ['Flat 2', HOME.lines[1]], town: 'Caerdydd', postcode: 'CF10 1AA' });
    // The same address again changes nothing and says nothing.
    expect((await setAddress(caseId, victimId, { lines: ['Flat 2', HOME.lines[1]], town: 'Caerdydd', postcode: 'CF10 1AA' })).status).toBe(200);
    const moved = await setAddress(caseId, victimId, { lines: ['7 Ffordd y Bont'], town: 'Abertawe', postcode: 'SA1 1AA' });
    expect(moved.body.case.people.find((p) => p.id === victimId)?.postalAddress).toEqual({ lines: ['7 Ffordd y Bont'], town: 'Abertawe', postcode: 'SA1 1AA' });
    const cleared = await setAddress(caseId, victimId, null);
    expect(cleared.status, cleared.raw).toBe(200);
    expect(cleared.body.case.people.find((p) => p.id === victimId)?.postalAddress).toBeNull();
    const changes = await eventsOf(caseId, 'case.person_changed');
    const each: unknown = expect.objectContaining({ casePersonId: victimId, changed: ['postalAddress'], from: {}, to: {} });
    expect(changes.map((e) => e.data)).toEqual([each, each, each]);
    const logged = JSON.stringify(await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('data').where('subject_id', '=', caseId).execute()));
    for (const personal of ['Flat 2', 'Frenhines', 'Caerdydd', 'CF10', 'Ffordd', 'Abertawe', 'SA1']) expect(logged).not.toContain(personal);
  });

  it('writes a Welsh victim with only a postal address a letter in Welsh, to the print queue', async () => {
    const records = await connectRecordsSystem(app, clock, WEDNESDAY);
    const sent = await records.send('NIC/26/9001', { status: 'ARR', victims: [{ reference: 'V1', name: 'Mair Jones', language: 'cy', postalAddress: { ...HOME, postcode: 'cf10 1aa' } }] });
    const [letter, ...others] = (await lettersOf(sent.caseId)).filter((l) => l.purpose === 'journey:case.suspect_arrested');
    expect(others).toEqual([]);
    expect(letter?.recipient).toBe(['Mair Jones', ...HOME.lines, 'CAERDYDD', 'CF10 1AA'].join('\n'));
    // The print queue names the case as staff know it.
    expect(letter?.caseReference).toMatch(/^DEMO-C-\d{4}-\d{6}$/);
    expect(letter?.subject).toBe('Mae rhywun wedi cael ei arestio');
    expect(letter?.body).toContain('Rydym wedi arestio rhywun mewn cysylltiad â’ch achos');
    // A records update that no longer gives the address clears it, as it would an email address.
    await records.send('NIC/26/9001', { victims: [{ reference: 'V1', name: 'Mair Jones', language: 'cy' }] });
    const row = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['postal_lines']).where('case_id', '=', sent.caseId).executeTakeFirstOrThrow());
    expect(row.postal_lines).toBeNull();
    const refused = await records.post('NIC/26/9002', { victims: [{ reference: 'V1', name: 'Mair Jones', postalAddress: { ...HOME, postcode: 'not one' } }] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.fields?.map((f) => f.path.replace(/^body\./, ''))).toContain('victims.0.postalAddress.postcode');
    clock.set(WEDNESDAY);
    investigator = await signIn(app, 'investigator@demo.police.uk', 'demo-password', '10.77.0.1');
  });

  it('sends a victim with an email address and a postal address email only, unless they prefer letters', async () => {
    const { caseId, victimId } = await namedVictimCase('Eli Both');
    const both = await api(investigator, 'PATCH', `/api/cases/${caseId}/people/${victimId}`, { email: 'eli.both@example.org', postalAddress: HOME });
    expect(both.status, both.raw).toBe(200);
    await milestone(caseId, { type: 'suspect_arrested' });
    await runJobs();
    const arrest = (await outboxOf(caseId)).filter((m) => m.purpose === 'journey:case.suspect_arrested');
    // Email first, the portal behind it; no letter waits behind them as a fallback: a letter goes
    // only as the first channel that can take a message.
    // (Channels with no recipient are the text kept for sending again by them later.)
    expect(arrest.map((m) => m.channels.filter((c) => c.recipient !== '').map((c) => c.channel))).toEqual([['email', 'portal']]);
    expect(await lettersOf(caseId)).toEqual([]);

    await setPreferences(app, investigator, caseId, victimId, { channels: ['letter', 'email', 'sms', 'portal'] });
    await milestone(caseId, { type: 'bailed' });
    await runJobs();
    expect((await lettersOf(caseId)).map((l) => l.purpose)).toEqual(['journey:case.bailed']);
  });

  it('writes-no-letter-to-a-victim-who-ruled-letters-out', async () => {
    const { caseId, victimId } = await namedVictimCase('Ned Noletters');
    expect((await setAddress(caseId, victimId, HOME)).status).toBe(200);
    await setPreferences(app, investigator, caseId, victimId, { channels: ['email', 'sms', 'portal'] });
    await milestone(caseId, { type: 'suspect_arrested' });
    await runJobs();
    expect(await lettersOf(caseId)).toEqual([]);
    expect((await outboxOf(caseId)).filter((m) => m.channel === 'letter')).toEqual([]);
    const suppressed = (await eventsOf(caseId, 'journey.message_suppressed')).map((e) => e.data).filter((d) => d.milestone === 'case.suspect_arrested' && d.channel === null);
    expect(suppressed).toEqual([expect.objectContaining({ channel: null, reason: 'no address for any allowed channel' })]);
  });

  it('counts a letter as telling the victim once it is printed, not while it waits', async () => {
    const { caseId, victimId } = await namedVictimCase('Pat Posted');
    expect((await setAddress(caseId, victimId, HOME)).status).toBe(200);
    await milestone(caseId, { type: 'suspect_arrested' });
    await runJobs();
    const sweep = () => withForce(app.database.db, app.demoForceId, (tx) => sweepVictimUpdates(tx, app.demoForceId, clock));
    // A letter queued and not yet held for printing (its delivery has not run) tells nobody yet.
    await withForce(app.database.db, app.demoForceId, (tx) =>
      queueMessage(tx, app.demoForceId, clock, {
        channels: [{ channel: 'letter', recipient: 'Pat Posted\n1 Lane\nTOWN\nCF10 1AA', subject: 'Update', body: 'Someone has been arrested' }],
        purpose: 'journey:case.suspect_arrested',
        // Written to this victim: the key ends with their id, as a journey message's does.
        idempotencyKey: `test:${caseId}:pending-letter:${victimId}`,
        caseId,
      }),
    );
    await sweep();
    expect(await arrestUpdate(caseId)).toMatchObject({ standing: 'open', satisfiedAt: null });
    const [letter] = (await lettersOf(caseId)).filter((l) => l.purpose === 'journey:case.suspect_arrested');
    if (!letter) throw new Error('the arrest letter is in the print queue');

    clock.set(new Date('2026-12-03T11:30:00Z'));
    investigator = await signIn(app, 'investigator@demo.police.uk', 'demo-password', '10.77.0.2');
    const printed = await api(investigator, 'POST', `/api/outbox/letters/${letter.id}/printed`);
    expect(printed.status, printed.raw).toBe(204);
    await sweep();
    expect(await arrestUpdate(caseId)).toMatchObject({ how: 'journey', standing: 'on_time', satisfiedAt: '2026-12-03T11:30:00.000Z' });
    clock.set(WEDNESDAY);
  });

  it('does-not-post-a-letter-to-an-address-corrected-since-or-to-a-victim-removed-since', async () => {
    const printedOrRefused = async (letterId: string) => (await api<ErrorBody>(investigator, 'POST', `/api/outbox/letters/${letterId}/printed`)).status;
    const arrestLetter = async (name: string) => {
      const { caseId, victimId } = await namedVictimCase(name);
      expect((await setAddress(caseId, victimId, HOME)).status).toBe(200);
      await milestone(caseId, { type: 'suspect_arrested' });
      await runJobs();
      const [letter] = (await lettersOf(caseId)).filter((l) => l.purpose === 'journey:case.suspect_arrested');
      if (!letter) throw new Error('the arrest letter is in the print queue');
      expect(letter).toMatchObject({ doNotPrint: null });
      return { caseId, victimId, letter };
    };
    // The officer finds the address was wrong and corrects it: the letter waiting is to the old one.
    const moved = await arrestLetter('Cai Corrected');
    expect((await setAddress(moved.caseId, moved.victimId, { lines: ['3 Stryd y Castell'], town: 'Abertawe', postcode: 'SA1 1AA' })).status).toBe(200);
    expect((await lettersOf(moved.caseId)).find((l) => l.id === moved.letter.id)).toMatchObject({ doNotPrint: expect.stringContaining('postal address') });
    expect(await printedOrRefused(moved.letter.id)).toBe(409);
    // Cleared, likewise.
    const cleared = await arrestLetter('Cai Cleared');
    expect((await setAddress(cleared.caseId, cleared.victimId, null)).status).toBe(200);
    expect((await lettersOf(cleared.caseId)).find((l) => l.id === cleared.letter.id)).toMatchObject({ doNotPrint: expect.stringContaining('postal address') });
    // The person was added to the case in error and removed: nothing more goes to them.
    const removed = await arrestLetter('Cai Removed');
    expect((await app.inject({ method: 'DELETE', url: `/api/cases/${removed.caseId}/people/${removed.victimId}`, headers: investigator.headers })).statusCode).toBeLessThan(300);
    expect((await lettersOf(removed.caseId)).find((l) => l.id === removed.letter.id)).toMatchObject({ doNotPrint: expect.stringContaining('removed') });
    expect(await printedOrRefused(removed.letter.id)).toBe(409);
  });

  it('does-not-count-a-letter-to-one-victim-as-telling-another-known-only-by-address', async () => {
    cases += 1;
    const created = await api<{ case: { id: string; people: Person[] } }>(investigator, 'POST', '/api/cases', {
      crimeType: 'VAP-VWI',
      summary: `Two victims of one assault ${cases}`,
      victims: [{ name: 'Ann Posted' }, { name: 'Bob Posted' }],
    });
    expect(created.status, created.raw).toBe(201);
    const caseId = created.body.case.id;
    const [ann, bob] = created.body.case.people;
    if (!ann || !bob) throw new Error('both victims are on the case');
    await milestone(caseId, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North' });
    // Neither has a person record: each is known by the address on the case alone.
    expect((await setAddress(caseId, ann.id, HOME)).status).toBe(200);
    expect((await setAddress(caseId, bob.id, { ...HOME, lines: ['Flat 3, St Mary’s Court'] })).status).toBe(200);
    await milestone(caseId, { type: 'suspect_arrested' });
    await runJobs();
    const arrestLetters = (await lettersOf(caseId)).filter((l) => l.purpose === 'journey:case.suspect_arrested');
    const annLetter = arrestLetters.find((l) => l.recipient.startsWith('Ann Posted'));
    expect(arrestLetters).toHaveLength(2);
    if (!annLetter) throw new Error('Ann has an arrest letter to print');
    expect((await api(investigator, 'POST', `/api/outbox/letters/${annLetter.id}/printed`)).status).toBe(204);
    await withForce(app.database.db, app.demoForceId, (tx) => sweepVictimUpdates(tx, app.demoForceId, clock));
    const listed = await api<{ updates: (Update & { victimName: string | null })[] }>(investigator, 'GET', `/api/cases/${caseId}/victim-updates`);
    const arrest = (name: string) => listed.body.updates.find((u) => u.duty === 'arrest' && u.victimName === name);
    // Ann's printed letter told Ann; Bob's still waits in the print queue, so Bob is still owed his update.
    expect(arrest('Ann Posted')).toMatchObject({ how: 'journey', standing: 'on_time' });
    expect(arrest('Bob Posted')).toMatchObject({ standing: 'open', satisfiedAt: null, how: null });
  });

  it('hides-a-victims-address-from-another-force-and-refuses-to-set-it', async () => {
    const { caseId, victimId } = await namedVictimCase('Ola Ours');
    expect((await setAddress(caseId, victimId, HOME)).status).toBe(200);
    otherInvestigator = await signIn(app, otherEmail, 'other-password', '10.77.0.3');
    const read = await api(otherInvestigator, 'GET', `/api/cases/${caseId}`);
    expect(read.status).toBe(404);
    expect(read.raw).not.toContain('Frenhines');
    const set = await setAddress(caseId, victimId, { lines: ['1 Elsewhere Road'], town: 'Leeds', postcode: 'LS1 1AA' }, otherInvestigator);
    expect(set.status).toBe(404);
    const cleared = await setAddress(caseId, victimId, null, otherInvestigator);
    expect(cleared.status).toBe(404);
    const row = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['postal_town']).where('id', '=', victimId).executeTakeFirstOrThrow());
    expect(row.postal_town).toBe('Caerdydd');
  });

  it('keeps-addresses-out-of-the-product-log', () => {
    expect(lines.length).toBeGreaterThan(0);
    // Ids and hashes are random hex and may hold "cf10"; take them out so only what the product wrote is searched.
    const log = lines.join('\n').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}/g, '<id>');
    for (const personal of ['Frenhines', 'Caerdydd', 'CAERDYDD', 'CF10', 'cf10', 'Abertawe', 'Ffordd y Bont', 'Elsewhere Road']) expect(log).not.toContain(personal);
  });
});
