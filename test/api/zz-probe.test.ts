import { afterAll, beforeAll, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
let app: TestApp;
beforeAll(async () => { app = await createTestApp(); });
afterAll(() => app.close());
it('probe', async () => {
  const show = (label: string, r: { statusCode: number; headers: Record<string, unknown>; body: string }) =>
    console.log(label, r.statusCode, r.headers['content-type'], r.body.slice(0, 400));
  show('extra', await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.cd', password: 'x', isAdmin: true } }));
  show('textplain', await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: '{"email":"a@b.cd","password":"x"}' }));
  show('xml', await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }));
  show('form', await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=handler%40demo.police.uk&password=demo-password' }));
  show('malformed', await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' }));
  show('big', await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a@b.cd', password: 'x'.repeat(9000) }) }));
  show('404', await app.inject({ method: 'GET', url: '/api/nothing-here' }));
  show('readyz', await app.inject({ method: 'GET', url: '/readyz' }));
  const s = await signIn(app, 'handler@demo.police.uk');
  const r = await submitPublicReport(app.deps, app.demoForceId, { submissionId: 'p', whatHappened: 'x', where: 'y', when: 'z', name: null, email: 'a@example.org' });
  show('textplain-reply', await app.inject({ method: 'POST', url: `/api/contacts/${r.contactId}/replies`, headers: { ...s.headers, 'content-type': 'text/plain' }, payload: 'hello' }));
  show('bogus', await app.inject({ method: 'GET', url: '/api/contacts?status=bogus', headers: s.headers }));
  show('nonuuid', await app.inject({ method: 'GET', url: '/api/contacts/123', headers: s.headers }));
  show('long', await app.inject({ method: 'POST', url: `/api/contacts/${r.contactId}/replies`, headers: s.headers, payload: { body: 'a'.repeat(5001) } }));
  show('big-reply', await app.inject({ method: 'POST', url: `/api/contacts/${r.contactId}/replies`, headers: s.headers, payload: { body: 'a'.repeat(70000) } }));
  show('case-nobody', await app.inject({ method: 'POST', url: `/api/contacts/00000000-0000-4000-8000-000000000000/case`, headers: s.headers }));
  show('case-json-empty', await app.inject({ method: 'POST', url: `/api/contacts/00000000-0000-4000-8000-000000000000/case`, headers: { ...s.headers, 'content-type': 'application/json' }, payload: '' }));
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  console.log(JSON.stringify(Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p, Object.fromEntries(Object.entries(ops as object).map(([m, o]) => [m, (o as { security?: unknown }).security ?? null]))])), null, 1));
});
