import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { journeyEventsOf, milestone, reportedCase, setPreferences, type Session } from './journey-kit.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { victimsSuppressedSince } from '../../src/capabilities/journeys/journey.repository.ts';
import { NO_REACHABLE_CHANNEL } from '../../src/capabilities/journeys/journey-decision.schema.ts';
import { AGAIN_KEY_PART } from '../../src/capabilities/journeys/reached-again.service.ts';

// A victim told only by text, whose number opted out (their STOP, or staff recording it), is told
// nothing while it stands: "no address for any allowed channel". Once the opt-out is lifted (their
// START, or staff lifting what staff recorded), what they are still owed is decided again, as a
// change of their details decides it (decisions 0137, 0143). The event names the number by its last
// four digits only; the number reaches the job alone.

describe(`a victim whose number's opt-out from texts is lifted (${ENGINE})`, () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let handler: Session;
  let investigator: Session;
  let texts = 0;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  const textUs = async (from: string, body: string) => {
    texts += 1;
    const sid = `SMlifted${texts}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
    await runAll();
  };
  /** A victim who may be told by text alone, whose number opted out by `optOut`, and the arrest they could not be told of. */
  const unreachedVictim = async (optOut: (phone: string) => Promise<void>) => {
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms'] });
    await runAll();
    await optOut(victim.phone);
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await runAll();
    expect(await arrestNews(victim.caseId)).toEqual([['journey.message_suppressed', null, 'no address for any allowed channel']]);
    return victim;
  };
  const arrestNews = async (caseId: string) =>
    (await journeyEventsOf(app, caseId))
      .filter((e) => e.data.step === 'case.suspect_arrested' && (e.type === 'journey.message_queued' || e.data.channel === null))
      .map((e) => [e.type, e.data.channel ?? null, e.data.reason ?? null]);
  const staffOptOut = async (path: '' | '/lift', number: string) => {
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const response = await app.inject({ method: 'POST', url: `/api/sms-opt-outs${path}`, headers: supervisor.headers, payload: { number, reason: path ? 'Recorded against the wrong number' : 'Asked by phone' } });
    expect(response.statusCode, response.body).toBeLessThan(300);
    await runAll();
  };

  it('tells-a-victim-what-they-are-owed-once-their-number-texts-start', async () => {
    const victim = await unreachedVictim((phone) => textUs(phone, 'STOP'));
    await textUs(victim.phone, 'START');
    expect(await arrestNews(victim.caseId)).toEqual([
      ['journey.message_suppressed', null, 'no address for any allowed channel'],
      ['journey.message_queued', 'sms', null],
    ]);
    // A START repeated lifts nothing, and tells nothing twice.
    await textUs(victim.phone, 'START');
    expect((await arrestNews(victim.caseId)).filter(([type]) => type === 'journey.message_queued')).toHaveLength(1);
  });

  it('tells-a-victim-what-they-are-owed-once-staff-lift-the-opt-out-staff-recorded', async () => {
    const victim = await unreachedVictim((phone) => staffOptOut('', phone));
    await staffOptOut('/lift', victim.phone);
    expect(await arrestNews(victim.caseId)).toEqual([
      ['journey.message_suppressed', null, 'no address for any allowed channel'],
      ['journey.message_queued', 'sms', null],
    ]);
  });

  it('does-not-tell-a-victim-whose-own-number-is-still-opted-out', async () => {
    const stays = await unreachedVictim((phone) => textUs(phone, 'STOP'));
    const lifts = await unreachedVictim((phone) => textUs(phone, 'STOP'));
    await textUs(lifts.phone, 'START');
    expect(await arrestNews(stays.caseId)).toEqual([['journey.message_suppressed', null, 'no address for any allowed channel']]);
    expect((await arrestNews(lifts.caseId)).map(([type]) => type)).toContain('journey.message_queued');
  });

  it('keeps-the-number-out-of-the-event-log', async () => {
    const victim = await unreachedVictim((phone) => textUs(phone, 'STOP'));
    await textUs(victim.phone, 'START');
    const logged = await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('events').select('data').where('type', '=', 'sms.opted_in').execute());
    expect(logged.length).toBeGreaterThan(0);
    for (const { data } of logged) expect(JSON.stringify(data)).not.toContain(victim.phone.slice(-10));
  });

  it('reads the decisions suppressed since the opt-out by reason and time, not every decision of the force', async () => {
    // A force keeps every journey decision it ever took (hundreds of thousands a year): read
    // through the index of one case, or none, each lifting walked all of them (decision 0147).
    type PlanNode = { 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    const plan = await withForce(app.database.db, app.demoForceId, async (tx) => {
      // As on a force with many decisions, where reading them all is never the cheaper way.
      await sql`set local enable_seqscan = off`.execute(tx);
      const query = victimsSuppressedSince(tx, app.demoForceId, NO_REACHABLE_CHANNEL, AGAIN_KEY_PART, new Date('2026-01-01T00:00:00Z')).compile();
      const result = await tx.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
      const raw = result.rows[0]?.['QUERY PLAN'];
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]?.Plan;
    });
    const decisionsRead = nodes(plan ?? {}).filter((node) => node['Relation Name'] === 'journey_sends' || node['Index Name']?.startsWith('journey_sends'));
    const conditions = decisionsRead.flatMap((node) => (node['Index Cond'] ? [node['Index Cond']] : []));
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) expect(condition).toMatch(/reason = .*created_at >=/s);
  });
});
