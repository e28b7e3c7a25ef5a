import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { queueEmail } from '../../src/capabilities/outbox/outbox.service.ts';

/**
 * What a force admin changes from the console: adding staff and changing roles, renaming and
 * disabling channel accounts, message templates in English and Welsh, and the outbox with its
 * "check my report" codes masked. Each refuses the wrong role, another force and bad input.
 */
describe('force administration', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let supervisor: Awaited<ReturnType<typeof signIn>>;
  let otherAdmin: Awaited<ReturnType<typeof signIn>>;
  let address = 0;
  const from = () => `10.40.0.${(address += 1)}`;
  type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

  const post = (session: typeof admin, url: string, payload: object) => app.inject({ method: 'POST', url, headers: session.headers, payload });
  const get = (session: typeof admin, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const eventsAbout = (subjectId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type', 'actor_id']).where('subject_id', '=', subjectId).orderBy('seq').execute(),
    );

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk', 'demo-password', from());
    supervisor = await signIn(app, 'supervisor@demo.police.uk', 'demo-password', from());
    const other = await createOtherForce(app, ['force_admin']);
    otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password', from());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('staff', () => {
    it('adds a member of staff whose one-time password works once and must be changed', async () => {
      const added = await post(admin, '/api/staff', {
        name: 'Nia Jenkins',
        email: 'Nia.Jenkins@demo.police.uk',
        role: 'digital_desk_operator',
        skills: ['welsh', 'social_media'],
        capacity: { chat: 2 },
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.headers['cache-control']).toBe('no-store');
      const body = added.json<{ staff: { id: string; email: string; mustChangePassword: boolean; routing: { skills: string[]; capacity: Record<string, number> } }; oneTimePassword: string }>();
      expect(body.staff.email).toBe('nia.jenkins@demo.police.uk');
      expect(body.staff.mustChangePassword).toBe(true);
      expect(body.staff.routing.skills).toEqual(['social_media', 'welsh']);
      expect(body.staff.routing.capacity.chat).toBe(2);
      const session = await signIn(app, 'nia.jenkins@demo.police.uk', body.oneTimePassword, from());
      expect(session.user.id).toBe(body.staff.id);
      const events = await eventsAbout(body.staff.id);
      expect(events[0]).toMatchObject({ type: 'staff.created', actor_type: 'staff', actor_id: admin.user.id });
      // The list an admin reads has the new person, and never a password.
      const list = await get(admin, '/api/staff');
      expect(list.body).toContain('nia.jenkins@demo.police.uk');
      expect(list.body).not.toContain(body.oneTimePassword);
    });

    it('refuses-taken-email with the field and a reason, in any force', async () => {
      const taken = await post(admin, '/api/staff', { name: 'Copy', email: 'HANDLER@demo.police.uk', role: 'call_handler' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json<ErrorBody>().error.fields).toEqual([{ path: 'body.email', message: 'is already in use', label: 'Email address', sentence: 'Email address is already in use' }]);
      const elsewhere = await post(otherAdmin, '/api/staff', { name: 'Copy', email: 'handler@demo.police.uk', role: 'call_handler' });
      expect(elsewhere.statusCode).toBe(409);
    });

    it('refuses-bad-staff-input with a 400 naming the field', async () => {
      const bad = await post(admin, '/api/staff', { name: '', email: 'not-an-email', role: 'chief_constable', capacity: { chat: 500 } });
      expect(bad.statusCode).toBe(400);
      const paths = (bad.json<ErrorBody>().error.fields ?? []).map((f) => f.path).sort();
      expect(paths).toEqual(['body.capacity.chat', 'body.email', 'body.name', 'body.role']);
    });

    it('refuses-staff-admin-to-other-roles', async () => {
      const added = await post(supervisor, '/api/staff', { name: 'Sneaky', email: 'sneaky@demo.police.uk', role: 'force_admin' });
      expect(added.statusCode).toBe(403);
      const handlerId = (await get(admin, '/api/staff')).json<{ staff: { id: string; email: string }[] }>().staff.find((s) => s.email === 'handler@demo.police.uk')?.id ?? '';
      const role = await post(supervisor, `/api/staff/${handlerId}/role`, { role: 'force_admin' });
      expect(role.statusCode).toBe(403);
    });

    it('changes a role, and a role that leaves the queue leaves routing; never across forces or for oneself', async () => {
      const added = (await post(admin, '/api/staff', { name: 'Role Change', email: 'role.change@demo.police.uk', role: 'call_handler' })).json<{ staff: { id: string } }>();
      const id = added.staff.id;
      const foreign = await post(otherAdmin, `/api/staff/${id}/role`, { role: 'force_admin' });
      expect(foreign.statusCode).toBe(404);
      const own = await post(admin, `/api/staff/${admin.user.id}/role`, { role: 'call_handler' });
      expect(own.statusCode).toBe(403);
      const changed = await post(admin, `/api/staff/${id}/role`, { role: 'investigator' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json<{ staff: { role: string; routing: unknown } }>().staff).toMatchObject({ role: 'investigator', routing: null });
      const again = await post(admin, `/api/staff/${id}/role`, { role: 'investigator' });
      expect(again.statusCode).toBe(409);
      const events = await eventsAbout(id);
      expect(events.map((e) => e.type)).toContain('staff.role_changed');
    });
  });

  describe('channel accounts', () => {
    it('renames and disables an account, without ever returning its credentials; not another force', async () => {
      const accounts = (await get(admin, '/api/channels')).json<{ accounts: { id: string; label: string; isEnabled: boolean }[] }>().accounts;
      const account = accounts[0];
      if (!account) throw new Error('the demo force has no channel accounts');
      const foreign = await post(otherAdmin, `/api/channels/${account.id}`, { isEnabled: false });
      expect(foreign.statusCode).toBe(404);
      const wrongRole = await post(supervisor, `/api/channels/${account.id}`, { isEnabled: false });
      expect(wrongRole.statusCode).toBe(403);
      const empty = await post(admin, `/api/channels/${account.id}`, {});
      expect(empty.statusCode).toBe(400);
      const changed = await post(admin, `/api/channels/${account.id}`, { label: 'Renamed account', isEnabled: false });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json<{ account: { label: string; isEnabled: boolean } }>().account).toMatchObject({ label: 'Renamed account', isEnabled: false });
      expect(Object.keys(changed.json<{ account: object }>().account).sort()).toEqual(['channel', 'forceId', 'id', 'isDemoStandIn', 'isEnabled', 'label', 'version']);
      const events = await eventsAbout(account.id);
      expect(events.at(-1)).toMatchObject({ type: 'channel.account_updated', data: { label: 'Renamed account', isEnabled: false } });
      await post(admin, `/api/channels/${account.id}`, { label: account.label, isEnabled: true });
    });
  });

  describe('message templates', () => {
    it('lists the templates and the placeholders each fills', async () => {
      const listed = await get(admin, '/api/templates');
      expect(listed.statusCode).toBe(200);
      const body = listed.json<{ templates: { key: string; locale: string }[]; keys: { key: string; required: string[] }[] }>();
      expect(body.templates.some((t) => t.key === 'portal.access_code' && t.locale === 'en')).toBe(true);
      expect(body.keys.find((k) => k.key === 'portal.access_code')?.required).toEqual(['code']);
    });

    it('saves a Welsh template, records it, and previews it with made-up values', async () => {
      const saved = await post(admin, '/api/templates/case.report_received', {
        locale: 'cy',
        subject: 'Mae eich adroddiad {{reference}} wedi dod i law',
        body: 'Helo {{name}},\n\nDiolch am eich adroddiad ({{reference}}).\n\n{{forceName}}',
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const listed = (await get(admin, '/api/templates')).json<{ templates: { key: string; locale: string; subject: string }[] }>().templates;
      expect(listed.find((t) => t.key === 'case.report_received' && t.locale === 'cy')?.subject).toContain('wedi dod i law');
      const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('events').select(['type', 'data']).where('type', '=', 'template.changed').execute(),
      );
      // Every template ships in Welsh too, so this edits the force's Welsh copy rather than adding one.
      expect(stored.at(-1)?.data).toMatchObject({ key: 'case.report_received', locale: 'cy', isNew: false });
      const preview = await post(admin, '/api/templates/case.report_received/preview', { subject: 'Ref {{reference}}', body: 'Hello {{name}}' });
      expect(preview.json<{ preview: { subject: string; body: string } }>().preview).toEqual({ subject: 'Ref DEMO-2026-000123', body: 'Hello Alex Example' });
    });

    it('refuses-unknown-placeholders and a code email without its code, saying which', async () => {
      const typo = await post(admin, '/api/templates/case.report_received', { locale: 'en', subject: 'Hi {{nmae}}', body: 'Body' });
      expect(typo.statusCode).toBe(400);
      expect(typo.json<ErrorBody>().error.fields?.[0]).toMatchObject({ path: 'body.subject', message: expect.stringContaining('{{nmae}}') });
      const noCode = await post(admin, '/api/templates/portal.access_code', { locale: 'cy', subject: 'Cod', body: 'Dim cod yma' });
      expect(noCode.statusCode).toBe(400);
      expect(noCode.json<ErrorBody>().error.fields).toEqual([{ path: 'body.body', message: 'must include {{code}}', label: 'Message', sentence: 'Message must include {{code}}' }]);
      expect(noCode.json<ErrorBody>().error.message).toBe('Message must include {{code}}.');
      const unknownKey = await post(admin, '/api/templates/no.such_template', { locale: 'en', subject: 'S', body: 'B' });
      expect(unknownKey.statusCode).toBe(404);
      const badLocale = await post(admin, '/api/templates/contact.reply', { locale: 'fr', subject: 'S', body: '{{body}}' });
      expect(badLocale.statusCode).toBe(400);
    });

    it('refuses-templates-to-other-roles and keeps forces apart', async () => {
      expect((await get(supervisor, '/api/templates')).statusCode).toBe(403);
      expect((await post(supervisor, '/api/templates/contact.reply', { locale: 'en', subject: 'S', body: '{{body}}' })).statusCode).toBe(403);
      await post(otherAdmin, '/api/templates/contact.reply', { locale: 'en', subject: 'Other force subject', body: '{{body}}' });
      const demo = (await get(admin, '/api/templates')).json<{ templates: { subject: string }[] }>().templates;
      expect(demo.some((t) => t.subject === 'Other force subject')).toBe(false);
    });

    it('signs-a-preview-and-a-test-send-with-the-previewing-forces-own-name', async () => {
      const text = { subject: 'From {{forceName}}', body: '{{body}}\n\n{{forceName}}' };
      const own = await post(otherAdmin, '/api/templates/contact.reply/preview', text);
      expect(own.json<{ preview: { subject: string; body: string } }>().preview.subject).toBe('From Other Police');
      expect((await post(admin, '/api/templates/contact.reply/preview', text)).json<{ preview: { subject: string } }>().preview.subject).toBe('From Demo Constabulary');
      await post(otherAdmin, '/api/templates/contact.reply', { locale: 'en', ...text });
      const sent = await post(otherAdmin, '/api/templates/contact.reply/test-send', { locale: 'en' });
      expect(sent.statusCode, sent.body).toBe(200);
      const preview = sent.json<{ preview: { subject: string; body: string } }>().preview;
      expect(preview.subject).toBe('[Test] From Other Police');
      expect(preview.body).toContain('Other Police');
      expect(preview.body).not.toContain('Demo Constabulary');
    });
  });

  describe('outbox', () => {
    it('masks-check-my-report-codes wherever the template puts them, and leaves the own reference and other mail alone', async () => {
      const report = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: `outbox-mask-${newId()}`,
        whatHappened: 'Someone took my bike',
        where: '2 Station Road',
        when: 'This morning',
        name: 'Ada Example',
        email: null,
      });
      const reference = report.reference;
      await withForce(app.database.db, app.demoForceId, async (tx) => {
        await queueEmail(tx, app.demoForceId, app.deps.clock, {
          recipient: 'code@example.org',
          subject: `Your code to check report ${reference}`,
          body: `Your code to check report ${reference} is 482913.\n\nOr type 482 913.`,
          purpose: 'portal.access_code',
          idempotencyKey: 'test-code-mask',
          contactId: report.contactId,
        });
        // A force's own wording that puts a letter, a digit or the reference against the code.
        await queueEmail(tx, app.demoForceId, app.deps.clock, {
          recipient: 'worded@example.org',
          subject: 'Code X604127',
          body: `Type 0604127 or 604127A, for ${reference}604127.`,
          purpose: 'portal.access_code',
          idempotencyKey: 'test-code-mask-worded',
          contactId: report.contactId,
        });
        await queueEmail(tx, app.demoForceId, app.deps.clock, {
          recipient: 'reply@example.org',
          subject: 'About your report',
          body: 'Call us on 101 quoting 123456.',
          purpose: 'reply',
          idempotencyKey: 'test-code-plain',
        });
      });
      const outbox = await get(supervisor, '/api/outbox');
      for (const code of ['482913', '482 913', '604127']) expect(outbox.body).not.toContain(code);
      const messages = outbox.json<{ messages: { recipient: string; subject: string; body: string }[] }>().messages;
      expect(messages.find((m) => m.recipient === 'code@example.org')?.body).toBe(`Your code to check report ${reference} is ••••••.\n\nOr type ••••••.`);
      expect(messages.find((m) => m.recipient === 'worded@example.org')).toMatchObject({ subject: 'Code X••••••', body: `Type •••••• or ••••••A, for ${reference}••••••.` });
      expect(messages.find((m) => m.recipient === 'reply@example.org')?.body).toContain('123456');
    });
  });
});
