import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';

// Force admins edit journey messages: each save keeps the text it replaces and is an event; a
// test-send goes to the admin's own address through the outbox, and nowhere else.

describe('journey templates: versions and test-send', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });

  it('keeps every earlier text of a template, newest first, and records each save with its version', async () => {
    const first = await post('/api/templates/case.suspect_arrested', { channel: 'sms', locale: 'cy', body: '{{forceName}}: mae rhywun wedi’i arestio. Cyf {{caseReference}}' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<{ template: { version: number } }>().template.version).toBe(2);
    const second = await post('/api/templates/case.suspect_arrested', { channel: 'sms', locale: 'cy', body: '{{forceName}}: arestiwyd rhywun. Cyf {{caseReference}}' });
    expect(second.json<{ template: { version: number; subject: string } }>().template).toMatchObject({ version: 3, subject: '' });

    const versions = await app.inject({ method: 'GET', url: '/api/templates/case.suspect_arrested/versions?channel=sms&locale=cy', headers: admin.headers });
    expect(versions.statusCode, versions.body).toBe(200);
    const listed = versions.json<{ versions: { version: number; body: string; replacedBy: string | null }[] }>().versions;
    expect(listed.map((v) => v.version)).toEqual([2, 1]);
    expect(listed[0]?.body).toContain('mae rhywun wedi’i arestio');
    expect(listed[1]?.body).toContain('rydym wedi arestio rhywun');
    expect(listed[0]?.replacedBy).toBe(admin.user.id);
    // The English text message was not touched.
    const english = await app.inject({ method: 'GET', url: '/api/templates/case.suspect_arrested/versions?channel=sms&locale=en', headers: admin.headers });
    expect(english.json<{ versions: unknown[] }>().versions).toEqual([]);

    const events = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select('data').where('type', '=', 'template.changed').orderBy('seq').execute(),
    );
    expect(events.slice(-2).map((e) => e.data)).toEqual([
      { key: 'case.suspect_arrested', channel: 'sms', locale: 'cy', isNew: false, version: 2 },
      { key: 'case.suspect_arrested', channel: 'sms', locale: 'cy', isNew: false, version: 3 },
    ]);
  });

  it('refuses an email without a subject and a placeholder the journey does not fill', async () => {
    const noSubject = await post('/api/templates/case.charged', { channel: 'email', locale: 'en', body: 'Someone has been charged.' });
    expect(noSubject.statusCode).toBe(400);
    const typo = await post('/api/templates/case.court_date_set', { channel: 'sms', locale: 'en', body: 'Court on {{dates}}' });
    expect(typo.statusCode).toBe(400);
    expect(typo.body).toContain('{{dates}}');
  });

  it('test-sends the stored template, filled with made-up values, to the admin alone', async () => {
    const sent = await post('/api/templates/case.court_date_set/test-send', { channel: 'email', locale: 'cy' });
    expect(sent.statusCode, sent.body).toBe(200);
    const body = sent.json<{ outboxId: string; preview: { subject: string; body: string } }>();
    expect(body.preview.subject).toBe('[Test] Mae dyddiad llys wedi’i bennu');
    expect(body.preview.body).toContain('Demoton Police Station');
    const row = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('outbox').select(['channel', 'recipient', 'purpose', 'alternatives']).where('id', '=', body.outboxId).executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ channel: 'email', recipient: 'admin@demo.police.uk', purpose: 'template.test_send', alternatives: [] });
    const jobs = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('jobs').select('type').where('idempotency_key', '=', body.outboxId).execute(),
    );
    expect(jobs.map((j) => j.type)).toEqual(['outbox.deliver']);

    const missing = await post('/api/templates/no.such_message/test-send', { channel: 'email', locale: 'en' });
    expect(missing.statusCode).toBe(404);
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const refused = await app.inject({ method: 'POST', url: '/api/templates/case.court_date_set/test-send', headers: investigator.headers, payload: { locale: 'en' } });
    expect(refused.statusCode).toBe(403);
  });
});
