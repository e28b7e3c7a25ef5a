// Someone the reporter copied in on their email who answers our reply joins the report's thread (a
// reply to a mail we sent may come from whoever holds it). Their words were shown on the reporter's
// page as "You sent a message": the page read every inbound public message of the contact as the
// reporter's. Each inbound message now keeps the person its sender resolved to, and the page shows
// only the report's own person's (decision 0195); a message stored before senders were is shown only
// where its hash proves it came from one of the person's handles (or it is a portal report's own words).
// Mail arrives over SMTP as another server would send it; the force's reply leaves through a
// stand-in mail server. Without JavaScript: these are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, signIn, startSmtpServer, submitPublicReport } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';
import { Visitor } from '../portal-visitor.ts';
import { type MailApp, compose, openMailApp } from '../channels/email-kit.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { PORTAL_COOKIES, encodeAccess } from '../../src/portal/security.ts';
import { openReportSignIn } from '../../src/capabilities/report-status/report-sign-in.service.ts';

/** The report page's timeline entries, each as its kind and its HTML. */
function entriesOf(html: string): { kind: string; html: string }[] {
  return [...html.matchAll(/<li class="bl-timeline__item" data-testid="timeline-item" data-kind="([a-z_]+)">([\s\S]*?)<\/li>/g)].map((m) => ({ kind: m[1] ?? '', html: m[2] ?? '' }));
}

describe(`the report page shows only the reporter's own messages (${ENGINE})`, () => {
  let mail: MailApp;
  let outgoing: Awaited<ReturnType<typeof startSmtpServer>>;
  let visitors = 0;

  beforeAll(async () => {
    mail = await openMailApp();
    outgoing = await startSmtpServer();
    await mail.kit.connectMailbox({ smtpUrl: outgoing.url });
  });
  afterAll(async () => {
    await outgoing.close();
    await mail.close();
  });

  const db = () => mail.app.database.db;
  const forceId = () => mail.app.demoForceId;

  /** A report by email, the force's emailed reply to it, and the Message-ID that reply went out with. */
  async function reportAnswered(marker: string, reporter: string) {
    await compose(mail.port, { from: `Rep Orter <${reporter}>`, subject: 'Bike stolen', text: `${marker} my bike was stolen`, messageId: `<${marker}-first@example.org>` });
    const contact = await mail.kit.contactOfMessage(`${marker}-first@example.org`);
    const handler = await signIn(mail.app, 'handler@demo.police.uk');
    const replied = await mail.app.inject({ method: 'POST', url: `/api/contacts/${contact.id}/replies`, headers: handler.headers, payload: { body: `${marker} reply from the desk` } });
    expect(replied.statusCode).toBe(201);
    await mail.app.runner?.runDue();
    const sent = await withForce(db(), forceId(), (tx) =>
      tx.selectFrom('messages').select('provider_message_id').where('contact_id', '=', contact.id).where('direction', '=', 'outbound').executeTakeFirstOrThrow(),
    );
    if (!sent.provider_message_id) throw new Error('the reply was not sent');
    return { contact, ourMessageId: sent.provider_message_id };
  }

  /** A stranger the reporter copied in answers the force's reply to all: it joins the report's thread. */
  async function strangerAnswers(marker: string, ourMessageId: string, contactId: string) {
    await compose(mail.port, {
      from: `Alex Stranger <stranger.${marker}@example.net>`,
      subject: 'Re: Bike stolen',
      text: `${marker} stranger's words`,
      messageId: `<${marker}-stranger@example.net>`,
      inReplyTo: `<${ourMessageId}>`,
      references: [`<${ourMessageId}>`],
    });
    const [joined] = await mail.kit.messagesWithId(`${marker}-stranger@example.net`);
    // The premise: the stranger's reply is on the report's own thread.
    expect(joined?.contact_id).toBe(contactId);
  }

  /** Signs a new visitor in to the report with a fresh code, as a browser does. */
  async function signedInTo(report: { id: string; reference: string }) {
    const visitor = new Visitor(mail.app, `10.93.0.${(visitors += 1)}`);
    await visitor.open('/check');
    await visitor.post('/check', { reference: report.reference });
    await visitor.open('/check/code');
    const code = await withSystem(db(), (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.id).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    expect((await visitor.post('/check/code', { code: /(?:is|yw) (\d{6})/.exec(code.body)?.[1] ?? '' })).headers.location).toBe('/check/report');
    return visitor;
  }

  it('hides-a-copied-in-stranger-s-reply-from-the-reporter-and-shows-the-reporter-s-own-later-message-in-english-and-welsh', async () => {
    const marker = randomUUID();
    const reporter = `reporter.${marker}@example.org`;
    const { contact, ourMessageId } = await reportAnswered(marker, reporter);
    await strangerAnswers(marker, ourMessageId, contact.id);
    await compose(mail.port, {
      from: `Rep Orter <${reporter}>`,
      subject: 'Re: Bike stolen',
      text: `${marker} reporter's later <b>words</b>`,
      messageId: `<${marker}-later@example.org>`,
      inReplyTo: `<${ourMessageId}>`,
    });
    expect((await mail.kit.messagesWithId(`${marker}-later@example.org`))[0]?.contact_id).toBe(contact.id);

    const visitor = await signedInTo(contact);
    const sentTitle = { en: 'You sent a message', cy: 'Fe wnaethoch anfon neges' };
    for (const lang of ['en', 'cy'] as const) {
      const page = await visitor.open(`/check/report?lang=${lang}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<html lang="${lang}"`);
      const sent = entriesOf(page.body).filter((entry) => entry.kind === 'sent');
      expect(sent).toHaveLength(2);
      expect(sent[0]?.html).toContain(`${marker} my bike was stolen`);
      expect(sent[1]?.html).toContain(sentTitle[lang]);
      expect(sent[1]?.html).toContain(`${marker} reporter&#39;s later &lt;b&gt;words&lt;/b&gt;`);
      expect(page.body).not.toContain(`${marker} stranger`);
    }

    // Another reporter's page, in the same force, shows none of this thread.
    const other = randomUUID();
    await compose(mail.port, { from: `other.${other}@example.org`, subject: 'Shed', text: `${other} my shed was broken into`, messageId: `<${other}@example.org>` });
    const theirs = await mail.kit.contactOfMessage(`${other}@example.org`);
    const theirPage = await (await signedInTo(theirs)).open('/check/report');
    expect(theirPage.body).toContain(`${other} my shed was broken into`);
    expect(theirPage.body).not.toContain(marker);
    // Signed out, nothing shows.
    const refused = await new Visitor(mail.app, '10.93.1.1').get('/check/report');
    expect(refused.statusCode).toBe(303);
    expect(refused.body).not.toContain(marker);

    // A cookie naming another force's report, with a stranger's words on it, is refused here.
    const { forceId: otherForceId } = await createDemoLikeForce(mail.app);
    const elsewhere = await submitPublicReport(mail.app.deps, otherForceId, {
      submissionId: randomUUID(),
      whatHappened: `${marker} another force's report`,
      where: 'Library',
      when: 'Yesterday',
      name: 'Rep Orter',
      email: reporter,
    });
    const signInId = randomUUID();
    const ends = new Date(Date.now() + 10 * 60 * 1000);
    await withForce(db(), otherForceId, (tx) => openReportSignIn(tx, otherForceId, mail.app.deps.clock, { contactId: elsewhere.contactId, signInId }, ends));
    const holder = new Visitor(mail.app, '10.93.2.1');
    holder.cookies.set(PORTAL_COOKIES.access, mail.app.http?.signCookie(encodeAccess({ contactId: elsewhere.contactId, signInId }, ends)) ?? '');
    const otherForcePage = await holder.get('/check/report');
    expect(otherForcePage.statusCode).toBe(303);
    expect(otherForcePage.body).not.toContain(marker);
  });

  it('adds-the-sender-column-and-rewrites-no-stored-message', () => {
    // A column with no default and no other statement: the upgrade holds the messages table for an
    // instant, so intake keeps writing through it; stored messages are proved as the page reads them.
    expect(migrationStatements('0102')).toEqual(['alter table messages add column sender_person_id uuid']);
  });

  it('shows-messages-stored-before-senders-only-where-their-hash-or-the-portal-submission-proves-them-the-reporter-s', async () => {
    const marker = randomUUID();
    const reporter = `before.${marker}@example.org`;
    const { contact, ourMessageId } = await reportAnswered(marker, reporter);
    await strangerAnswers(marker, ourMessageId, contact.id);
    const portalReport = await submitPublicReport(mail.app.deps, forceId(), {
      submissionId: randomUUID(),
      whatHappened: `${marker} reported on the portal`,
      where: 'Library',
      when: 'Yesterday',
      name: 'Rep Orter',
      email: reporter,
    });
    const contactIds = [contact.id, portalReport.contactId];
    /** An inbound message as intake stored one before it kept a sender's hash. */
    const storedWithNoHash = (contactId: string, channel: string, body: string, providerMessageId: string) => ({
      id: randomUUID(),
      force_id: forceId(),
      contact_id: contactId,
      direction: 'inbound' as const,
      channel,
      body,
      provider_message_id: providerMessageId,
      author_staff_id: null,
      created_at: new Date(),
      delivery_status: null,
      meta: '{}',
    });

    // As they were stored before senders were: none has one, and two were stored with no hash at
    // all (one on the portal report's contact under another submission's id).
    await withSystem(db(), async (tx) => {
      await tx
        .insertInto('messages')
        .values([
          storedWithNoHash(contact.id, 'email', `${marker} stored with no hash`, `${marker}-nohash@example.org`),
          storedWithNoHash(portalReport.contactId, 'portal', `${marker} another submission`, randomUUID()),
        ])
        .execute();
      await sql`update messages set sender_person_id = null where contact_id in (${sql.join(contactIds)})`.execute(tx);
    });
    const unknown = await withForce(db(), forceId(), (tx) =>
      tx.selectFrom('messages').select('id').where('contact_id', 'in', contactIds).where('sender_person_id', 'is not', null).execute(),
    );
    expect(unknown).toEqual([]);

    // The reporter's report by email: its hash is that of their address and its body. The
    // stranger's reply hashes another address; one with no hash proves nothing.
    const page = await (await signedInTo(contact)).open('/check/report');
    const sent = entriesOf(page.body).filter((entry) => entry.kind === 'sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.html).toContain(`${marker} my bike was stolen`);
    expect(page.body).not.toContain(`${marker} stranger`);
    expect(page.body).not.toContain(`${marker} stored with no hash`);
    // The portal report's own words: the message keyed by the submission its contact was made from.
    const portalPage = await (await signedInTo({ id: portalReport.contactId, reference: portalReport.reference })).open('/check/report');
    const portalSent = entriesOf(portalPage.body).filter((entry) => entry.kind === 'sent');
    expect(portalSent).toHaveLength(1);
    expect(portalSent[0]?.html).toContain(`${marker} reported on the portal`);
    expect(portalPage.body).not.toContain(`${marker} another submission`);
  });

  it('never-titles-a-later-message-as-the-report-when-the-report-itself-cannot-be-shown', async () => {
    const marker = randomUUID();
    const reporter = `unproved.${marker}@example.org`;
    const { contact, ourMessageId } = await reportAnswered(marker, reporter);
    await compose(mail.port, {
      from: `Rep Orter <${reporter}>`,
      subject: 'Re: Bike stolen',
      text: `${marker} reporter's later words`,
      messageId: `<${marker}-later@example.org>`,
      inReplyTo: `<${ourMessageId}>`,
    });
    // The report was stored before senders were, and nothing stored with it proves it theirs.
    await withSystem(db(), (tx) =>
      sql`update messages set sender_person_id = null, content_hash = null where contact_id = ${contact.id} and provider_message_id = ${`${marker}-first@example.org`}`.execute(tx),
    );

    const page = await (await signedInTo(contact)).open('/check/report');
    const sent = entriesOf(page.body).filter((entry) => entry.kind === 'sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.html).toContain(`${marker} reporter&#39;s later words`);
    expect(sent[0]?.html).toContain('You sent a message');
    expect(page.body).not.toContain(`${marker} my bike was stolen`);
  });
});
