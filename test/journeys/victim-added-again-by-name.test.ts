import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';
import { listedHearing } from './journey-kit.ts';

// A victim known by name alone (no person: no email address, no phone number, told by letter) is
// the same victim as a removed row with no person and the same name, case aside (`sameVictimAs`):
// removed and added again, they are not written the same letter twice; someone else named
// otherwise, added after them at the same address, is written their own (decisions 0137, 0160).

const NEWS = 'case.court_date_set';
const TOLD_BEFORE = 'told to them before they were removed from the case';
const HOME = { lines: ['4 Heol y Bont'], town: 'Caerdydd', postcode: 'CF10 2AB' };
type Letter = { id: string; caseId: string | null; recipient: string; purpose: string };

describe(`a victim known by name alone, removed and added again (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  /** Adds a victim by name and postal address, and lets their journey decide. */
  const addVictim = async (caseId: string, name: string) => {
    const id = (await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name, postalAddress: HOME })).json<{ casePersonId: string }>().casePersonId;
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    return id;
  };
  const newsLettersOf = async (caseId: string, name: string) =>
    (await call('GET', '/api/outbox/letters')).json<{ letters: Letter[] }>().letters.filter((l) => l.caseId === caseId && l.purpose === `journey:${NEWS}` && l.recipient.startsWith(name));
  const newsDecisionsOf = (victimId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', victimId).where('template_key', '=', NEWS).execute());
  /** A case with its hearing listed and a victim known by name alone, whose letter of the hearing is printed (so it told them). */
  const toldByLetter = async (name: string) => {
    const { caseId } = await listedHearing(app, clock);
    await runAll();
    const first = await addVictim(caseId, name);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('case_people').select('person_id').where('id', '=', first).executeTakeFirstOrThrow());
    expect(rows.person_id).toBeNull();
    const [letter] = await newsLettersOf(caseId, name);
    if (!letter) throw new Error('the letter of the hearing is in the print queue');
    await call('POST', `/api/outbox/letters/${letter.id}/printed`);
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    return caseId;
  };

  it('does-not-write-a-victim-known-by-name-alone-the-same-letter-when-added-again-under-their-name-in-other-capitals', async () => {
    const caseId = await toldByLetter('Nia Posted');
    const again = await addVictim(caseId, 'NIA POSTED');
    expect(await newsDecisionsOf(again)).toEqual([{ outcome: 'suppressed', reason: TOLD_BEFORE }]);
    expect(await newsLettersOf(caseId, 'NIA POSTED')).toEqual([]);
  });

  it('writes-someone-named-otherwise-their-own-letter-though-they-live-at-the-same-address', async () => {
    const caseId = await toldByLetter('Osian Posted');
    const other = await addVictim(caseId, 'Osian Postwr');
    expect(await newsDecisionsOf(other)).toEqual([{ outcome: 'queued', reason: null }]);
    expect(await newsLettersOf(caseId, 'Osian Postwr')).toHaveLength(1);
  });
});
