// The report page showed the reporter what the force did and said, never what they themselves had
// sent: not the report's own words, nor any later message on the report. It now shows them, in
// the page's timeline, each dated by when they sent it where believed, else when it reached us
// (decision 0180's <time> and words), oldest first, the order a conversation is read in (decision
// 0186). What the public wrote stays text (a <script> is shown, never run), the channel's own notes
// and staff's closing notes stay out, and only the signed-in reporter of that report, on the
// portal of its own force, sees any of it. Without JavaScript: these are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { ForceId, StaffId } from '../../src/platform/ids.ts';
import { PORTAL_COOKIES, encodeAccess } from '../../src/portal/security.ts';
import { openReportSignIn } from '../../src/capabilities/report-status/report-sign-in.service.ts';
import { closeContact } from '../../src/capabilities/contacts/contacts.service.ts';
import { replyToContact } from '../../src/capabilities/contacts/contact-replies.service.ts';

const MINUTE = 60 * 1000;
const HOSTILE = '<script>alert("report")</script> & my <b>bike</b>';
const HOSTILE_SHOWN = '&lt;script&gt;alert(&quot;report&quot;)&lt;/script&gt; &amp; my &lt;b&gt;bike&lt;/b&gt;';

/** The report page's timeline entries, each as its kind and its HTML. */
function entriesOf(html: string): { kind: string; html: string }[] {
  return [...html.matchAll(/<li class="bl-timeline__item" data-testid="timeline-item" data-kind="([a-z_]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ kind: m[1] ?? '', html: m[2] ?? '' }));
}

describe(`the reporter's own messages on the report page (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  // British Summer Time: UK time is an hour ahead of UTC.
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));
  const at = (minutes: number) => new Date(new Date('2026-06-01T09:00:00Z').getTime() + minutes * MINUTE);

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  async function newReport(forceId: ForceId, whatHappened: string) {
    return submitPublicReport(app.deps, forceId, {
      submissionId: randomUUID(),
      whatHappened,
      where: 'Library, Demoton',
      when: 'Yesterday',
      name: 'Rep Orter',
      email: `own.messages.${randomUUID()}@example.org`,
    });
  }

  /**
   * A later message on the report's contact, as a channel stores one from the report's own person
   * (decision 0195): received at `receivedAt`, sent at `sentAt` where believed.
   */
  async function laterMessage(forceId: ForceId, contactId: string, body: string, times: { receivedAt: Date; sentAt: Date | null }, meta: Record<string, string> = {}) {
    await withForce(app.database.db, forceId, async (tx) =>
      tx
        .insertInto('messages')
        .values({
          id: randomUUID(),
          force_id: forceId,
          contact_id: contactId,
          direction: 'inbound',
          channel: 'email',
          body,
          provider_message_id: `<${randomUUID()}@example.org>`,
          author_staff_id: null,
          created_at: times.receivedAt,
          sent_at: times.sentAt,
          delivery_status: null,
          meta: JSON.stringify(meta),
          sender_person_id: (await tx.selectFrom('contacts').select('person_id').where('id', '=', contactId).executeTakeFirstOrThrow()).person_id,
        })
        .execute(),
    );
  }

  /** Signs a new visitor in to the report with a fresh code, as a browser does. */
  async function signedInTo(report: { contactId: string; reference: string }) {
    const visitor = new Visitor(app, `10.92.0.${(visitors += 1)}`);
    await visitor.open('/check');
    await visitor.post('/check', { reference: report.reference });
    await visitor.open('/check/code');
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    expect((await visitor.post('/check/code', { code: /(?:is|yw) (\d{6})/.exec(mail.body)?.[1] ?? '' })).headers.location).toBe('/check/report');
    return visitor;
  }

  it('shows-what-the-reporter-sent-oldest-first-by-when-sent-escaped-in-english-and-welsh', async () => {
    clock.set(at(0));
    const marker = randomUUID();
    const report = await newReport(app.demoForceId, `${marker} ${HOSTILE}`);
    const staff = await withSystem(app.database.db, (tx) => tx.selectFrom('staff').select('id').where('email', '=', 'desk@demo.police.uk').executeTakeFirstOrThrow());
    clock.set(at(10));
    await replyToContact(app.deps, app.demoForceId, report.contactId, staff.id as StaffId, `${marker} reply from the desk`);
    // Sent before the desk's reply, though it reached us after the next one: held back on the way.
    await laterMessage(app.demoForceId, report.contactId, `${marker} sent early, arrived late`, { receivedAt: at(30), sentAt: at(5) });
    await laterMessage(app.demoForceId, report.contactId, `${marker} no time of its own`, { receivedAt: at(20), sentAt: null });
    // The channel's own words about a message are not the reporter's.
    await laterMessage(app.demoForceId, report.contactId, `${marker} channel note`, { receivedAt: at(21), sentAt: null }, { writtenBy: 'channel' });
    clock.set(at(40));
    await closeContact(app.deps, app.demoForceId, report.contactId, staff.id as StaffId, { outcome: 'advice_given', note: `${marker} internal note` });
    const visitor = await signedInTo(report);

    const expected = {
      en: {
        reported: ['What you told us', '<time datetime="2026-06-01T09:00:00.000Z">1 June 2026 at 10:00am</time>'],
        early: ['You sent a message', '<time datetime="2026-06-01T09:05:00.000Z">1 June 2026 at 10:05am</time>'],
        untimed: ['You sent a message', '<time datetime="2026-06-01T09:20:00.000Z">1 June 2026 at 10:20am</time>'],
      },
      cy: {
        reported: ['Yr hyn a ddywedoch wrthym', '<time datetime="2026-06-01T09:00:00.000Z">1 Mehefin 2026 am 10:00yb</time>'],
        early: ['Fe wnaethoch anfon neges', '<time datetime="2026-06-01T09:05:00.000Z">1 Mehefin 2026 am 10:05yb</time>'],
        untimed: ['Fe wnaethoch anfon neges', '<time datetime="2026-06-01T09:20:00.000Z">1 Mehefin 2026 am 10:20yb</time>'],
      },
    };
    for (const lang of ['en', 'cy'] as const) {
      const page = await visitor.open(`/check/report?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<html lang="${lang}"`);
      const entries = entriesOf(page.body);
      // Oldest first, each of the reporter's messages by when they sent it.
      expect(entries.map((e) => e.kind)).toEqual(['sent', 'received', 'sent', 'reply', 'sent', 'closed']);
      const [reported, , early, reply, untimed] = entries;
      expect(reported?.html).toContain(`${marker} ${HOSTILE_SHOWN}`);
      for (const part of expected[lang].reported) expect(reported?.html).toContain(part);
      expect(early?.html).toContain(`${marker} sent early, arrived late`);
      for (const part of expected[lang].early) expect(early?.html).toContain(part);
      expect(reply?.html).toContain(`${marker} reply from the desk`);
      expect(untimed?.html).toContain(`${marker} no time of its own`);
      for (const part of expected[lang].untimed) expect(untimed?.html).toContain(part);
      // Text, never markup: the report's script is shown, not run.
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<b>bike</b>');
      expect(page.body).not.toContain(`${marker} channel note`);
      expect(page.body).not.toContain(`${marker} internal note`);
    }
  });

  it('shows-another-reporter-none-of-this-report-s-messages', async () => {
    clock.set(at(60));
    const marker = randomUUID();
    const theirs = await newReport(app.demoForceId, `${marker} their report`);
    await laterMessage(app.demoForceId, theirs.contactId, `${marker} their later message`, { receivedAt: at(61), sentAt: at(60) });
    const mine = await newReport(app.demoForceId, 'My own report of a stolen bicycle');
    const visitor = await signedInTo(mine);
    const page = await visitor.open('/check/report');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('My own report of a stolen bicycle');
    expect(page.body).not.toContain(marker);
    // Signed out, nothing of theirs or mine shows.
    const stranger = new Visitor(app, '10.92.1.1');
    const refused = await stranger.get('/check/report');
    expect(refused.statusCode).toBe(303);
    expect(refused.body).not.toContain(marker);
  });

  it('shows-nothing-of-another-force-s-report-to-a-cookie-naming-it', async () => {
    clock.set(at(90));
    const { forceId: otherForceId } = await createDemoLikeForce(app);
    const marker = randomUUID();
    const theirs = await newReport(otherForceId, `${marker} another force's report`);
    const signInId = randomUUID();
    const ends = at(110);
    await withForce(app.database.db, otherForceId, (tx) => openReportSignIn(tx, otherForceId, clock, { contactId: theirs.contactId, signInId }, ends));
    // A cookie signed by this server naming that force's report and its held sign-in.
    const visitor = new Visitor(app, '10.92.2.1');
    visitor.cookies.set(PORTAL_COOKIES.access, app.http?.signCookie(encodeAccess({ contactId: theirs.contactId, signInId }, ends)) ?? '');
    const page = await visitor.get('/check/report');
    expect(page.statusCode).toBe(303);
    expect(page.body).not.toContain(marker);
  });
});
