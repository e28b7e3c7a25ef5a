// A victim's secure message from their case page, posted while the database cannot take it or
// while public requests are shed: the victim gets the message form back with what they wrote and
// its submission id (503, Retry-After), as the report form does (report-form-outage.test.ts,
// test/api/load-shedding.test.ts), instead of a generic page that loses it; sent again, it is
// stored once, even when the first attempt was stored and only its answer was lost.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { watchEngineCalls } from '../engine-calls.ts';
import { type Visitor, hidden, victimOnCasePage as victimOnOwnCasePage } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { AdmissionTicket } from '../../src/platform/http/admission.ts';

/** A terminated backend, as a failover or a restart of PostgreSQL ends a connection. */
const connectionLost = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
/** A full disk (SQLSTATE class 53, out of resources). */
const diskFull = () => Object.assign(new Error('could not extend file "base/16384/16385": No space left on device'), { code: '53100' });

const HOSTILE = (marker: string) => `Has anyone looked at the <script>alert("${marker}")</script> CCTV & the "side" door?`;
const HOSTILE_ESCAPED = (marker: string) => `Has anyone looked at the &lt;script&gt;alert(&quot;${marker}&quot;)&lt;/script&gt; CCTV &amp; the &quot;side&quot; door?</textarea>`;

describe('a case page message posted while the database cannot take it or the portal is shedding', () => {
  let app: TestApp;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let restoreEngine: (() => void) | null = null;
  let held: AdmissionTicket | null = null;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));

  beforeAll(async () => {
    // One public request at a time and none queued, so a test sheds a post by holding the turn.
    app = await createTestApp({
      env: { SHED_CONCURRENCY: '1', SHED_MAX_WAIT_MS: '0', SHED_EVENT_LOOP_DELAY_MS: '0', SHED_RETRY_AFTER: '45' },
      overrides: { clock },
    });
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterEach(() => {
    restoreEngine?.();
    restoreEngine = null;
    held?.release();
    held = null;
  });
  afterAll(() => app.close());

  /** A victim signed in to a case of their own, on the case page in `lang`. */
  const victimOnCasePage = (lang: 'en' | 'cy' = 'en') => {
    visitors += 1;
    return victimOnOwnCasePage(app, handler, { ip: `10.7.0.${visitors}`, email: `kept.victim.${visitors}@example.org`, lang });
  };

  const storedMessages = (marker: string) =>
    withSystem(app.database.db, async (tx) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from messages where channel = 'portal' and body like ${`%${marker}%`}`.execute(tx)).rows[0]?.n),
    );
  const messagesSentOnCase = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select('id').where('subject_id', '=', caseId).where('type', '=', 'portal.case_message_sent').execute());

  /** Every statement storing an inbound message fails with `failure`, as the engine would answer it. */
  function failStoringMessages(failure: () => Error): void {
    restoreEngine = watchEngineCalls((text, call) => (/insert into "messages"/i.test(text) ? Promise.reject(failure()) : call()));
  }
  function restoreDatabase(): void {
    restoreEngine?.();
    restoreEngine = null;
  }
  async function occupyPublicTurn(): Promise<void> {
    held = (await app.admission?.admit()) ?? null;
    if (!held) throw new Error('the public turn was already taken');
  }
  function freePublicTurn(): void {
    held?.release();
    held = null;
  }

  /** The kept message form: 503 in the visitor's language, their words escaped, the same submission id and token. */
  function expectKeptMessage(response: Awaited<ReturnType<Visitor['post']>>, visitor: Visitor, expected: { lang: 'en' | 'cy'; retryAfter: string; text: string; submissionId: string }) {
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['retry-after']).toBe(expected.retryAfter);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain(`<html lang="${expected.lang}"`);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#message"');
    expect(response.body).toContain(expected.text);
    expect(response.body).toContain('action="/check/case/message"');
    // The way back is the case page, in either language: the form's own address takes only posts.
    expect(response.body).toContain('href="/check/case" class="govuk-back-link"');
    expect(response.body).toContain(`href="/check/case?lang=${expected.lang === 'en' ? 'cy' : 'en'}"`);
    expect(hidden(response.body, 'submissionId')).toBe(expected.submissionId);
    expect(hidden(response.body, 'csrfToken')).toBe(visitor.csrfFrom);
  }

  it('gives-the-message-back-escaped-with-its-submission-id-when-the-connection-is-lost', async () => {
    const { visitor, submissionId } = await victimOnCasePage();
    const marker = `cctv-${randomUUID()}`;

    failStoringMessages(connectionLost);
    const refused = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
    restoreDatabase();

    expectKeptMessage(refused, visitor, {
      lang: 'en',
      retryAfter: '5',
      text: 'Sorry, we could not send your message. We have kept what you wrote: try sending it again in a minute.',
      submissionId,
    });
    expect(refused.body).toContain('<title>Error: Send a secure message to your officer');
    expect(refused.body).toContain(HOSTILE_ESCAPED(marker));
    expect(refused.body).not.toContain('<script>alert');
    expect(await storedMessages(marker)).toBe(0);

    // Sent again once the database is back: stored, once.
    const sent = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('gives-the-message-back-in-welsh-when-the-disk-is-full', async () => {
    const { visitor, submissionId } = await victimOnCasePage('cy');
    const marker = `teledu-${randomUUID()}`;

    failStoringMessages(diskFull);
    const refused = await visitor.post('/check/case/message', { message: `A oes rhywun wedi edrych ar y teledu cylch cyfyng? ${marker}`, submissionId });
    restoreDatabase();

    expectKeptMessage(refused, visitor, {
      lang: 'cy',
      retryAfter: '5',
      text: 'Mae’n ddrwg gennym, nid oeddem yn gallu anfon eich neges. Rydym wedi cadw’r hyn a ysgrifennoch chi: ceisiwch ei hanfon eto mewn munud.',
      submissionId,
    });
    expect(refused.body).toContain('Mae yna broblem');
    expect(refused.body).toContain(`A oes rhywun wedi edrych ar y teledu cylch cyfyng? ${marker}</textarea>`);
    expect(await storedMessages(marker)).toBe(0);
  });

  it('stores-a-message-once-when-its-first-attempt-was-stored-but-the-answer-was-lost', async () => {
    const { visitor, caseId, submissionId } = await victimOnCasePage();
    const marker = `lost-answer-${randomUUID()}`;

    // The connection is lost as COMMIT is answered: the message is stored, the victim is told it was not.
    let storing: unknown = null;
    restoreEngine = watchEngineCalls((text, call, engine) => {
      if (/insert into "messages"/i.test(text)) storing = engine;
      if (storing !== null && engine === storing && /^\s*commit\b/i.test(text)) {
        storing = null;
        return Promise.resolve(call()).then(() => Promise.reject(connectionLost()));
      }
      return call();
    });
    const refused = await visitor.post('/check/case/message', { message: `Any news? ${marker}`, submissionId });
    restoreDatabase();

    expect(refused.statusCode, refused.body).toBe(503);
    expect(hidden(refused.body, 'submissionId')).toBe(submissionId);
    expect(refused.body).toContain(`Any news? ${marker}</textarea>`);
    expect(await storedMessages(marker)).toBe(1);

    // The victim sends the kept form again: the same submission id, so still one message, one link to the case.
    const again = await visitor.post('/check/case/message', { message: `Any news? ${marker}`, submissionId: hidden(refused.body, 'submissionId') });
    expect(again.statusCode, again.body).toBe(303);
    expect(again.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
    expect(await messagesSentOnCase(caseId)).toHaveLength(1);
  });

  it('gives-a-shed-message-back-escaped-and-stores-it-once-when-sent-again', async () => {
    const { visitor, submissionId } = await victimOnCasePage();
    const marker = `shed-${randomUUID()}`;

    await occupyPublicTurn();
    const shed = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
    freePublicTurn();

    expectKeptMessage(shed, visitor, {
      lang: 'en',
      retryAfter: '45',
      text: 'Sorry, we could not send your message. We have kept what you wrote: try sending it again in a minute.',
      submissionId,
    });
    expect(shed.body).toContain(HOSTILE_ESCAPED(marker));
    expect(shed.body).not.toContain('<script>alert');
    expect(await storedMessages(marker)).toBe(0);

    // The next victim shed sees their own words only.
    const other = await victimOnCasePage();
    await occupyPublicTurn();
    const otherShed = await other.visitor.post('/check/case/message', { message: 'Someone else entirely', submissionId: other.submissionId });
    freePublicTurn();
    expect(otherShed.statusCode).toBe(503);
    expect(otherShed.body).toContain('Someone else entirely</textarea>');
    expect(otherShed.body).not.toContain(marker);

    const sent = await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
    expect(sent.statusCode, sent.body).toBe(303);
    await visitor.post('/check/case/message', { message: HOSTILE(marker), submissionId });
    expect(await storedMessages(marker)).toBe(1);
  });

  it('gives-a-shed-message-back-in-welsh', async () => {
    const { visitor, submissionId } = await victimOnCasePage('cy');
    const marker = `brysur-${randomUUID()}`;

    await occupyPublicTurn();
    const shed = await visitor.post('/check/case/message', { message: `Diolch am ffonio ${marker}`, submissionId });
    freePublicTurn();

    expectKeptMessage(shed, visitor, {
      lang: 'cy',
      retryAfter: '45',
      text: 'Mae’n ddrwg gennym, nid oeddem yn gallu anfon eich neges. Rydym wedi cadw’r hyn a ysgrifennoch chi: ceisiwch ei hanfon eto mewn munud.',
      submissionId,
    });
    expect(shed.body).toContain(`Diolch am ffonio ${marker}</textarea>`);
    expect(await storedMessages(marker)).toBe(0);
  });

  it('does-not-show-back-a-message-posted-without-its-own-csrf-token', async () => {
    const { visitor, submissionId } = await victimOnCasePage();
    await occupyPublicTurn();
    const shed = await visitor.post('/check/case/message', { message: 'planted text from another site', submissionId }, { csrf: 'x'.repeat(43) });
    freePublicTurn();
    expect(shed.statusCode).toBe(503);
    expect(shed.body).toContain('Sorry, the service is busy');
    expect(shed.body).not.toContain('planted text from another site');
  });

  it('leads-a-shed-or-failed-survey-back-to-the-case-page-not-to-an-address-that-takes-only-posts', async () => {
    const { visitor } = await victimOnCasePage('cy');
    await occupyPublicTurn();
    const shed = await visitor.post('/check/case/survey', { score: '4' });
    freePublicTurn();
    expect(shed.statusCode).toBe(503);
    // "Try again" and the language links open the case page; `/check/case/survey` is 404 to a GET.
    expect(shed.body).toContain('href="/check/case?lang=en"');
    expect(shed.body).not.toContain('href="/check/case/survey');
    expect(shed.body).toMatch(/href="\/check\/case"/);
    expect((await visitor.open('/check/case/survey')).statusCode).toBe(404);

    // The database gone for the whole post: the error page, not a kept form (a survey has no text).
    restoreEngine = watchEngineCalls(() => Promise.reject(connectionLost()));
    const failed = await visitor.post('/check/case/survey', { score: '4' });
    restoreDatabase();
    expect(failed.statusCode).toBe(503);
    expect(failed.body).toContain('href="/check/case?lang=en"');
    expect(failed.body).not.toContain('href="/check/case/survey');
  });

  it('refuses-a-message-field-given-twice-rather-than-joining-the-two', async () => {
    const { visitor, submissionId } = await victimOnCasePage();
    const marker = randomUUID().slice(0, 8);
    const twice = await visitor.post('/check/case/message', { message: [`first ${marker}`, `second ${marker}`], submissionId });
    expect(twice.statusCode, twice.body).toBe(400);
    expect(twice.body).toContain('govuk-error-summary');
    expect(await storedMessages(marker)).toBe(0);
  });

  // Last: moving the clock on ends every victim's session in this app.
  it('does-not-show-back-a-message-once-the-case-session-has-ended', async () => {
    const { visitor, submissionId } = await victimOnCasePage();
    clock.advance(31 * 60 * 1000);
    await occupyPublicTurn();
    const shed = await visitor.post('/check/case/message', { message: 'written after the session ended', submissionId });
    freePublicTurn();
    expect(shed.statusCode).toBe(503);
    expect(shed.body).toContain('Sorry, the service is busy');
    expect(shed.body).not.toContain('written after the session ended');
  });
});
