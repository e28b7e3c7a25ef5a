// The force's records system (Niche, Athena, Connect) keeps Bluelamp's cases up to date through
// one authenticated endpoint: create or update by its reference, once, in its own order, with the
// force's mapping from its status codes to the case's milestones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { heldTogether } from '../held-together.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type UpdateAnswer = { result: string; caseId: string; caseReference: string; status: string; moves: { move: string; event: string; implied: boolean }[]; warnings: string[]; message: string };
type CaseBody = { status: string; suspect: string; charged: boolean; crimeType: string | null; officerInCase: string | null; team: string | null; outcomeCode: string | null; closedReason: string | null; people: { name: string; role: string; enhancedRights: boolean }[]; timeline: { type: string; details: Record<string, string> }[] };

describe(`cases from the force's records system (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let investigator: Session;
  let otherAdmin: Session;
  let token: string;
  let otherToken: string;
  let otherForceId: string;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['force_admin']);
    otherForceId = other.forceId;
    otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    token = await issue(admin);
    otherToken = await issue(otherAdmin);
  });
  afterAll(() => app.close());

  async function issue(session: Session, url = '/api/integrations/records/tokens') {
    const response = await app.inject({ method: 'POST', url, headers: session.headers, payload: { label: 'Niche' } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ token: string }>().token;
  }
  const send = (payload: unknown, bearer = token) =>
    app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers: { authorization: `Bearer ${bearer}` }, payload: payload as object });
  const update = async (payload: Record<string, unknown>, status = 200) => {
    const response = await send({ system: 'niche', ...payload });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<UpdateAnswer>();
  };
  const caseOf = async (id: string) => (await app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: investigator.headers })).json<{ case: CaseBody }>().case;

  it('creates a case by the records system’s reference, with its victims, officer and team', async () => {
    const created = await update(
      {
        reference: 'NIC/24/0001',
        updatedAt: '2026-03-01T09:00:00Z',
        status: 'ALLOC',
        crimeType: 'THF-BRE',
        summary: 'Rear door forced, laptop taken',
        officerInCase: 'investigator@demo.police.uk',
        team: 'CID North',
        victims: [{ reference: 'V1', name: 'Alex Victim', email: 'alex@example.org', language: 'cy', enhancedRights: true }],
      },
      201,
    );
    expect(created).toMatchObject({ result: 'created', status: 'allocated', warnings: [] });
    expect(created.moves).toEqual([{ move: 'allocate', event: 'case.allocated', implied: false }]);
    const body = await caseOf(created.caseId);
    expect(body).toMatchObject({ status: 'allocated', crimeType: 'THF-BRE', officerInCase: investigator.user.id, team: 'CID North' });
    expect(body.people).toEqual([expect.objectContaining({ name: 'Alex Victim', role: 'victim', enhancedRights: true })]);
    const person = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['email', 'language', 'records_reference']).where('case_id', '=', created.caseId).executeTakeFirstOrThrow());
    expect(person).toEqual({ email: 'alex@example.org', language: 'cy', records_reference: 'V1' });
    const events = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type']).where('subject_id', '=', created.caseId).orderBy('seq').execute(),
    );
    expect(events.map((e) => e.type)).toEqual(['case.created', 'case.person_added', 'case.allocated', 'records.update_applied']);
    expect(events[1]?.data).toMatchObject({ source: 'records_system', role: 'victim' });
    expect(events[2]?.data).toMatchObject({ source: 'records_system' });
    expect(new Set(events.map((e) => e.actor_type))).toEqual(new Set(['system']));
  });

  it('answers a duplicate with what it did (nothing), and ignores an older update, saying so', async () => {
    const first = { reference: 'NIC/24/0002', updatedAt: '2026-03-02T10:00:00Z', status: 'ARR' };
    const created = await update(first, 201);
    expect(created.moves.map((m) => m.move)).toEqual(['suspect_arrested']);
    const again = await update(first);
    expect(again).toMatchObject({ result: 'duplicate', caseId: created.caseId, moves: [] });
    const charged = await update({ ...first, updatedAt: '2026-03-04T10:00:00Z', status: 'CHG' });
    expect(charged).toMatchObject({ result: 'updated', status: 'charged' });
    // Niche's NFA from before the charge arrives late: ignored, and the case stays charged.
    const late = await update({ ...first, updatedAt: '2026-03-03T10:00:00Z', status: 'NFA' });
    expect(late.result).toBe('out_of_order');
    expect(late.message).toContain('2026-03-04T10:00:00.000Z');
    expect(await caseOf(created.caseId)).toMatchObject({ status: 'charged', charged: true });
    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', created.caseId).where('type', 'like', 'case.%').execute());
    expect(events.map((e) => e.type)).toEqual(['case.created', 'case.suspect_arrested', 'case.charged']);
  });

  it('adds the moves a status implies (a charge names a suspect) and closes with the mapped outcome', async () => {
    const charged = await update({ reference: 'NIC/24/0003', updatedAt: '2026-03-05T10:00:00Z', status: 'CHG', courtDate: { at: '2026-04-01T10:00:00Z', place: 'Demoton Magistrates' } }, 201);
    expect(charged.moves).toEqual([
      { move: 'suspect_identified', event: 'case.suspect_identified', implied: true },
      { move: 'charged', event: 'case.charged', implied: false },
      { move: 'court_date_set', event: 'case.court_date_set', implied: false },
    ]);
    // The same court date again sets nothing; a new one is a new milestone.
    const same = await update({ reference: 'NIC/24/0003', updatedAt: '2026-03-06T10:00:00Z', status: 'CHG', courtDate: { at: '2026-04-01T10:00:00Z', place: 'Demoton Magistrates' } });
    expect(same.moves).toEqual([]);
    const moved = await update({ reference: 'NIC/24/0003', updatedAt: '2026-03-07T10:00:00Z', courtDate: { at: '2026-04-08T10:00:00Z', place: 'Demoton Magistrates' } });
    expect(moved.moves.map((m) => m.move)).toEqual(['court_date_set']);

    const nfa = await update({ reference: 'NIC/24/0004', updatedAt: '2026-03-05T10:00:00Z', status: 'NFA' }, 201);
    expect(nfa.status).toBe('closed');
    expect(await caseOf(nfa.caseId)).toMatchObject({ outcomeCode: '18', closedReason: 'The investigation is complete and no suspect has been identified' });
  });

  it('records appointments made, changed and cancelled by their reference', async () => {
    const made = await update({ reference: 'NIC/24/0005', updatedAt: '2026-03-05T10:00:00Z', appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z', place: 'Demoton station' }] }, 201);
    expect(made.moves.map((m) => m.move)).toEqual(['appointment_made']);
    const changed = await update({ reference: 'NIC/24/0005', updatedAt: '2026-03-06T10:00:00Z', appointments: [{ reference: 'A1', at: '2026-03-11T10:00:00Z', place: 'Demoton station' }] });
    expect(changed.moves.map((m) => m.move)).toEqual(['appointment_changed']);
    const cancelled = await update({ reference: 'NIC/24/0005', updatedAt: '2026-03-07T10:00:00Z', appointments: [{ reference: 'A1', at: '2026-03-11T10:00:00Z', isCancelled: true }] });
    expect(cancelled.moves.map((m) => m.move)).toEqual(['appointment_cancelled']);
  });

  it('takes-a-victim-or-appointment-given-twice-in-one-update-as-one-the-appointment-s-later-entry-winning', async () => {
    // A records system's export can repeat an entry; the update must still go through (a 500 it
    // would resend for ever), with one victim and one appointment each. A victim repeated with
    // different details is refused (test/journeys/records-fidelity.test.ts).
    const twice = (at: string, email: string) => ({
      victims: [
        { reference: 'V9', name: 'Sam Twice', email },
        { reference: 'V9', name: 'Sam Twice', email },
      ],
      appointments: [
        { reference: 'A9', at: '2026-04-01T10:00:00Z', place: 'Demoton station' },
        { reference: 'A9', at, place: 'Demoton station' },
      ],
    });
    const made = await update({ reference: 'NIC/24/0050', updatedAt: '2026-03-05T10:00:00Z', ...twice('2026-04-02T10:00:00Z', 'second@example.org') }, 201);
    expect(made.moves.map((m) => m.move)).toEqual(['appointment_made']);
    const again = await update({ reference: 'NIC/24/0050', updatedAt: '2026-03-06T10:00:00Z', ...twice('2026-04-03T10:00:00Z', 'third@example.org') });
    expect(again.moves.map((m) => m.move)).toEqual(['appointment_changed']);
    const people = await withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['email', 'records_reference']).where('case_id', '=', made.caseId).execute());
    expect(people).toEqual([{ email: 'third@example.org', records_reference: 'V9' }]);
    const appointments = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', made.caseId).where('type', 'like', 'case.appointment_%').orderBy('seq').execute(),
    );
    expect(appointments.map((e) => [e.type, (e.data as { details?: { at?: string } }).details?.at])).toEqual([
      ['case.appointment_made', '2026-04-02T10:00:00Z'],
      ['case.appointment_changed', '2026-04-03T10:00:00Z'],
    ]);
  });

  it('says what it could not map, rather than refusing the update', async () => {
    const answer = await update({ reference: 'NIC/24/0006', updatedAt: '2026-03-05T10:00:00Z', status: 'ZZZ', crimeType: 'NICHE-999', officerInCase: '1234' }, 201);
    expect(answer.moves).toEqual([]);
    expect(answer.warnings.join('\n')).toMatch(/status ZZZ has no entry/);
    expect(answer.warnings.join('\n')).toMatch(/crime type NICHE-999/);
    expect(answer.warnings.join('\n')).toMatch(/officer in case 1234/);
  });

  it('applies a changed mapping: a force code for arrest, and a crime code of its own', async () => {
    const mapping = await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: admin.headers });
    const current = mapping.json<{ isDefault: boolean; statuses: Record<string, unknown>[] }>();
    expect(current.isDefault).toBe(true);
    expect(current.statuses).toContainEqual(expect.objectContaining({ code: 'NFA', moves: ['close'], outcomeCode: '18' }));
    const statuses = [...current.statuses, { system: 'niche', code: 'CUST', label: 'In custody', moves: ['suspect_arrested'], outcomeCode: null, reason: null }];
    const saved = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: admin.headers, payload: { statuses, crimeTypes: [{ system: 'niche', code: 'BURG-DW', crimeType: 'THF-BRE' }] } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ isDefault: boolean }>().isDefault).toBe(false);
    const answer = await update({ reference: 'NIC/24/0007', updatedAt: '2026-03-05T10:00:00Z', status: 'CUST', crimeType: 'BURG-DW' }, 201);
    expect(answer.moves.map((m) => m.move)).toEqual(['suspect_arrested']);
    expect((await caseOf(answer.caseId)).crimeType).toBe('THF-BRE');
    // Another system has no entry for CUST.
    const athena = await send({ system: 'athena', reference: 'ATH-1', updatedAt: '2026-03-05T10:00:00Z', status: 'CUST' });
    expect(athena.json<UpdateAnswer>().warnings.join()).toContain('no entry');

    // A closing code without its outcome, an outcome the force does not have: refused with the entry named.
    const bad = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: admin.headers, payload: { statuses: [{ system: '*', code: 'X', moves: ['close'] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('statuses.0.outcomeCode');
    const unknown = await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: admin.headers, payload: { statuses: [{ system: '*', code: 'X', moves: ['close'], outcomeCode: '99', reason: 'r' }] } });
    expect(unknown.statusCode).toBe(400);
    expect((await app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: investigator.headers, payload: { statuses: [] } })).statusCode).toBe(403);
  });

  it('rejects-missing-wrong-and-revoked-tokens with 401, before reading the body', async () => {
    const body = { system: 'niche', reference: 'NIC/24/0100', updatedAt: '2026-03-05T10:00:00Z' };
    expect((await app.inject({ method: 'POST', url: '/api/integrations/records/cases', payload: body })).statusCode).toBe(401);
    expect((await send(body, 'blrec_not-a-real-token')).statusCode).toBe(401);
    expect((await send({ nonsense: true }, 'wrong')).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers: { cookie: investigator.cookie }, payload: body })).statusCode).toBe(401);

    const spare = await issue(admin);
    expect((await send(body, spare)).statusCode).toBe(201);
    const rotated = await app.inject({ method: 'POST', url: '/api/integrations/records/tokens/rotate', headers: admin.headers, payload: {} });
    expect(rotated.statusCode).toBe(201);
    const fresh = rotated.json<{ token: string; revoked: string[] }>();
    expect(fresh.revoked.length).toBeGreaterThanOrEqual(2);
    expect((await send({ ...body, updatedAt: '2026-03-06T10:00:00Z' }, spare)).statusCode).toBe(401);
    expect((await send({ ...body, updatedAt: '2026-03-06T10:00:00Z' }, token)).statusCode).toBe(401);
    expect((await send({ ...body, updatedAt: '2026-03-06T10:00:00Z' }, fresh.token)).statusCode).toBe(200);
    token = fresh.token;

    const list = await app.inject({ method: 'GET', url: '/api/integrations/records/tokens', headers: admin.headers });
    expect(list.body).not.toContain(fresh.token);
    const tokenId = list.json<{ tokens: { id: string; revokedAt: string | null }[] }>().tokens.find((t) => t.revokedAt === null)?.id;
    const revoked = await app.inject({ method: 'POST', url: `/api/integrations/records/tokens/${tokenId ?? ''}/revoke`, headers: admin.headers });
    expect(revoked.statusCode).toBe(204);
    expect((await send({ ...body, updatedAt: '2026-03-07T10:00:00Z' })).statusCode).toBe(401);
    token = await issue(admin);
    const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('records_integration_tokens').select('token_hash').execute());
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
  });

  it('hides-other-force-cases: the same reference from another force is another case', async () => {
    const mine = await update({ reference: 'SHARED-1', updatedAt: '2026-03-05T10:00:00Z', status: 'ARR' }, 201);
    const theirs = await send({ system: 'niche', reference: 'SHARED-1', updatedAt: '2026-03-05T10:00:00Z', status: 'REC' }, otherToken);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.json<UpdateAnswer>().caseId).not.toBe(mine.caseId);
    const seen = await app.inject({ method: 'GET', url: `/api/cases/${theirs.json<UpdateAnswer>().caseId}`, headers: investigator.headers });
    expect(seen.statusCode).toBe(404);
    expect((await caseOf(mine.caseId)).suspect).toBe('arrested');
  });

  it('refuses malformed updates with 400 and the field, never a 500', async () => {
    const bad = async (payload: unknown) => {
      const response = await send(payload);
      expect(response.statusCode, response.body).toBe(400);
      return response.body;
    };
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: 'yesterday' })).toContain('updatedAt');
    expect(await bad({ system: 'niche', updatedAt: '2026-03-05T10:00:00Z' })).toContain('reference');
    expect(await bad({ system: 'Not a system!', reference: 'X', updatedAt: '2026-03-05T10:00:00Z' })).toContain('system');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', victims: [{ reference: 'V', name: 'N', email: 'not-an-email' }] })).toContain('email');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', surprise: 1 })).toBeTruthy();
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2099-01-01T00:00:00Z' })).toContain('updatedAt');
    // Dates nobody means: year 0, or past 2099, or a court date or appointment more than five years ahead.
    const tenYearsAhead = new Date(Date.now() + 10 * 366 * 24 * 3_600_000).toISOString();
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '0000-01-01T00:00:00Z' })).toContain('updatedAt');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', courtDate: { at: '0000-06-01T10:00:00Z' } })).toContain('courtDate.at');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', courtDate: { at: tenYearsAhead } })).toContain('courtDate.at');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', appointments: [{ reference: 'A1', at: '9999-12-31T10:00:00Z' }] })).toContain('appointments.0.at');
    expect(await bad({ system: 'niche', reference: 'X', updatedAt: '2026-03-05T10:00:00Z', appointments: [{ reference: 'A1', at: '2026-03-10T10:00:00Z' }, { reference: 'A2', at: tenYearsAhead }] })).toContain('appointments.1.at');
    const outcome = await bad({ system: 'niche', reference: 'X-OUT', updatedAt: '2026-03-05T10:00:00Z', status: 'NFA', outcome: { code: '99' } });
    expect(outcome).toContain('outcome');
    const notJson = await app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"system":' });
    expect(notJson.statusCode).toBe(400);
  });

  // Two rotations at the same moment (an admin's double press, or two admins): on PostgreSQL each
  // revoked only the tokens it could see, so both new tokens stayed live, when a rotation
  // promises that its token is the only one that works.
  describe.skipIf(ENGINE !== 'postgres')('two rotations at once', () => {
    it('leaves-only-the-later-token-working', async () => {
      const body = { system: 'niche', reference: 'OTHER/ROTATE/1', updatedAt: '2026-03-08T10:00:00Z' };
      const rotate = () => app.inject({ method: 'POST', url: '/api/integrations/records/tokens/rotate', headers: otherAdmin.headers, payload: {} });
      const answers = await heldTogether(app, 'lock table records_integration_tokens in share mode', [rotate, rotate]);
      expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([201, 201]);
      const fresh = answers.map((answer) => answer.json<{ token: string; tokenInfo: { id: string }; revoked: string[] }>());
      const tokens = (await app.inject({ method: 'GET', url: '/api/integrations/records/tokens', headers: otherAdmin.headers })).json<{ tokens: { id: string; revokedAt: string | null }[] }>().tokens;
      const working = tokens.filter((t) => t.revokedAt === null).map((t) => t.id);
      expect(working).toHaveLength(1);
      // The rotation that went second revoked the first one's token.
      const later = fresh.find((f) => f.tokenInfo.id === working[0]);
      const earlier = fresh.find((f) => f.tokenInfo.id !== working[0]);
      expect(later?.revoked).toContain(earlier?.tokenInfo.id);
      expect((await send(body, earlier?.token)).statusCode).toBe(401);
      expect((await send(body, later?.token)).statusCode).toBe(201);
    });
  });

  // Two admins saving the code mapping at the same moment: on PostgreSQL each removed the entries
  // it could see and wrote its own, so the later met the earlier's on the table's key and was told
  // only that someone had changed something, though a later save replaces an earlier one.
  describe.skipIf(ENGINE !== 'postgres')('two mapping saves at once', () => {
    it('saves-both-in-turn-and-keeps-the-later', async () => {
      const mapping = (await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: otherAdmin.headers })).json<{ statuses: Record<string, unknown>[] }>();
      const withStatus = (label: string) => ({ statuses: [...mapping.statuses, { system: 'niche', code: 'CUST', label, moves: ['suspect_arrested'], outcomeCode: null, reason: null }], crimeTypes: [] });
      const save = (label: string) => () => app.inject({ method: 'PUT', url: '/api/integrations/records/mapping', headers: otherAdmin.headers, payload: withStatus(label) });
      const changes = async () => (await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('id').where('type', '=', 'records.mapping_changed').where('subject_id', '=', otherForceId).execute())).length;
      const before = await changes();
      const answers = await heldTogether(app, 'lock table records_code_mappings in share mode', [save('In custody'), save('Arrested')]);
      expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
      const saved = (await app.inject({ method: 'GET', url: '/api/integrations/records/mapping', headers: otherAdmin.headers })).json<{ statuses: { code: string; label: string }[] }>();
      expect(saved.statuses.filter((entry) => entry.code === 'CUST').map((entry) => entry.label)).toEqual(['Arrested']);
      expect(await changes()).toBe(before + 2);
    });
  });
});
