import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  mailText,
  signIn,
  startSmtpServer,
  submitPublicReport,
  type ReceivedMail,
  type TestApp,
} from '../helpers.ts';

type Summary = { id: string; reference: string; priority: number; receivedAt: string };

describe('the walking skeleton through the API, with real SMTP delivery', () => {
  let app: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Demo Constabulary <contact@demo.police.uk>' } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const report = (submissionId: string, whatHappened: string, email = 'victim@example.org') =>
    submitPublicReport(app.deps, app.demoForceId, {
      submissionId,
      whatHappened,
      where: '1 High Street, Demoton',
      when: 'Last night about 11pm',
      name: 'Alex Victim',
      email,
    });

  it('stores-a-double-posted-report-once', async () => {
    const [first, second] = await Promise.all([report('double-post', 'My shed was broken into'), report('double-post', 'My shed was broken into')]);
    expect(second?.reference).toBe(first?.reference);
    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    const matching = queue.json<{ contacts: Summary[] }>().contacts.filter((c) => c.reference === first?.reference);
    expect(matching).toHaveLength(1);
    expect(first?.reference).toMatch(/^DEMO-\d{4}-\d{6}$/);
  });

  it('accepts-many-reports-at-once-without-losing-or-duplicating-any', async () => {
    // A mix of new and known people, all at once: the lock order inside intake must not deadlock.
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => report(`burst-${i}`, `Burst report ${i} about a knife`, `burst-${i % 5}@example.org`)),
    );
    expect(new Set(results.map((r) => r.reference)).size).toBe(24);
    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = (await app.inject({ method: 'GET', url: '/api/contacts?limit=500', headers: handler.headers })).json<{ contacts: Summary[] }>();
    const stored = queue.contacts.filter((c) => results.some((r) => r.contactId === c.id));
    expect(stored).toHaveLength(24);
  });

  it('recognises the same person by email across reports', async () => {
    const a = await report('person-1', 'Someone keyed my car', 'Repeat@Example.org');
    const b = await report('person-2', 'They came back and did it again', 'repeat@example.org ');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${b.contactId}`, headers: handler.headers });
    const body = detail.json<{ person: { email: string; earlierContacts: { reference: string }[] } }>();
    expect(body.person.email).toBe('repeat@example.org');
    expect(body.person.earlierContacts.map((c) => c.reference)).toContain(a.reference);
  });

  it('orders the queue by priority, then by waiting time', async () => {
    await report('low-1', 'A bike was taken from the rack');
    const urgent = await report('urgent-1', 'He has a knife and says he is going to kill me');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = (await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers })).json<{ contacts: Summary[] }>();
    expect(queue.contacts[0]?.id).toBe(urgent.contactId);
    expect(queue.contacts[0]?.priority).toBe(1);
    for (let i = 1; i < queue.contacts.length; i += 1) {
      const before = queue.contacts[i - 1] as Summary;
      const current = queue.contacts[i] as Summary;
      expect(before.priority <= current.priority).toBe(true);
      if (before.priority === current.priority) expect(before.receivedAt <= current.receivedAt).toBe(true);
    }
  });

  it('explains the triage score with the rules that fired and where', async () => {
    const urgent = await report('explain-1', 'Please help, my partner hit me and has a knife');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${urgent.contactId}`, headers: handler.headers });
    const body = detail.json<{
      messages: { id: string; body: string }[];
      triage: {
        score: number;
        priority: number;
        ruleSetVersion: number;
        matches: { phrase: string; start: number; end: number; matchedText: string; messageId: string }[];
        contributions: { points: number; signal: string }[];
        explanation: string[];
      };
    }>();
    const phrases = body.triage.matches.map((m) => m.phrase).sort();
    expect(phrases).toEqual(['hit me', 'knife', 'my partner']);
    const message = body.messages[0];
    for (const match of body.triage.matches) {
      expect(match.messageId).toBe(message?.id);
      expect(message?.body.slice(match.start, match.end)).toBe(match.matchedText);
    }
    // The rules give 80; other signals (the distress cue "help", night time) add to it.
    const keywordPoints = body.triage.contributions.filter((c) => c.signal === 'keyword').reduce((sum, c) => sum + c.points, 0);
    expect(keywordPoints).toBe(80);
    const total = Math.min(100, body.triage.contributions.reduce((sum, c) => sum + c.points, 0));
    expect(body.triage.score).toBe(total);
    expect(body.triage.ruleSetVersion).toBe(1);
    expect(body.triage.explanation.join(' ')).toContain(`Score ${total}`);
  });

  it('replies by email, creates a case, and sends the report-received journey message', async () => {
    const created = await report('journey-1', 'Somebody stole my purse on the bus', 'journey@example.org');
    const handler = await signIn(app, 'handler@demo.police.uk');

    const reply = await app.inject({
      method: 'POST',
      url: `/api/contacts/${created.contactId}/replies`,
      headers: handler.headers,
      payload: { body: 'Thank you. Did you see who took it?' },
    });
    expect(reply.statusCode).toBe(201);

    const made = await app.inject({ method: 'POST', url: `/api/contacts/${created.contactId}/case`, headers: handler.headers, payload: {} });
    expect(made.statusCode).toBe(201);
    const caseReference = made.json<{ case: { reference: string } }>().case.reference;
    expect(caseReference).toMatch(/^DEMO-C-\d{4}-\d{6}$/);
    const twice = await app.inject({ method: 'POST', url: `/api/contacts/${created.contactId}/case`, headers: handler.headers, payload: {} });
    expect(twice.statusCode).toBe(409);

    // The worker renders the journey template into the outbox and delivers both emails.
    await app.runner?.runDue();
    const toVictim = smtp.received.filter((mail: ReceivedMail) => mail.to.includes('journey@example.org'));
    // The acknowledgement of the report, the reply and the journey's first message.
    expect(toVictim).toHaveLength(3);
    const texts = toVictim.map((mail) => mailText(mail.raw));
    expect(texts.some((t) => t.includes('Did you see who took it?') && t.includes(created.reference))).toBe(true);
    expect(texts.some((t) => t.includes(`has been received`) && t.includes(caseReference))).toBe(true);
    expect(toVictim.every((mail) => mail.raw.includes('@bluelamp.outbox>'))).toBe(true);

    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    const outbox = await app.inject({ method: 'GET', url: '/api/outbox', headers: supervisor.headers });
    const rows = outbox.json<{ messages: { recipient: string; status: string; purpose: string }[] }>().messages.filter(
      (m) => m.recipient === 'journey@example.org',
    );
    // The journey also tells the victim their rights and offers support, a little later: those wait for their time.
    expect(rows.map((r) => r.purpose).sort()).toEqual(['acknowledgement', 'journey:case.report_received', 'journey:victim_support.offer', 'journey:victims_code.rights', 'reply']);
    const later = ['journey:victim_support.offer', 'journey:victims_code.rights'];
    expect(rows.filter((r) => !later.includes(r.purpose)).every((r) => r.status === 'sent')).toBe(true);
    expect(rows.filter((r) => later.includes(r.purpose)).every((r) => r.status === 'pending')).toBe(true);

    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${created.contactId}`, headers: handler.headers });
    const timeline = detail.json<{ timeline: { type: string }[] }>().timeline.map((e) => e.type);
    expect(timeline).toEqual(expect.arrayContaining(['contact.received', 'contact.triaged', 'contact.replied', 'case.created', 'journey.message_queued']));
  });

  it('closes a contact with an outcome, once', async () => {
    const created = await report('close-1', 'Lost property: a black umbrella');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const closed = await app.inject({
      method: 'POST',
      url: `/api/contacts/${created.contactId}/close`,
      headers: handler.headers,
      payload: { outcome: 'advice_given', note: 'Told them about lost property' },
    });
    expect(closed.statusCode).toBe(200);
    expect(closed.json<{ contact: { status: string } }>().contact.status).toBe('closed');
    const again = await app.inject({
      method: 'POST',
      url: `/api/contacts/${created.contactId}/close`,
      headers: handler.headers,
      payload: { outcome: 'advice_given' },
    });
    expect(again.statusCode).toBe(409);
    const replyAfter = await app.inject({
      method: 'POST',
      url: `/api/contacts/${created.contactId}/replies`,
      headers: handler.headers,
      payload: { body: 'hello?' },
    });
    expect(replyAfter.statusCode).toBe(409);
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    expect(queue.json<{ contacts: Summary[] }>().contacts.some((c) => c.id === created.contactId)).toBe(false);
  });

  it('pushes a new report to the live stream of the same force only', async () => {
    const http = app.http;
    if (!http) throw new Error('no http');
    await http.listen({ port: 0, host: '127.0.0.1' });
    const { port } = http.server.address() as AddressInfo;
    const handler = await signIn(app, 'handler@demo.police.uk');

    const refused = new WebSocket(`ws://127.0.0.1:${port}/api/live`);
    const refusedStatus = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(refusedStatus).toBe(401);

    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { cookie: handler.cookie } });
    const messages: { type: string; contactId?: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        messages.push(JSON.parse(data.toString()) as { type: string });
        resolve();
      });
      socket.on('error', reject);
    });
    expect(messages[0]?.type).toBe('hello');
    const created = await report('live-1', 'Loud party keeping the street awake');
    await expect.poll(() => messages.some((m) => m.type === 'queue.changed' && m.contactId === created.contactId), { timeout: 60_000 }).toBe(true); // generous: a busy machine
    socket.close();
  });
});
