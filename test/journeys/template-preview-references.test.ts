import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';

// A preview or test-send shows made-up references in the previewing force's own form (its code,
// then the year), as its people would receive them: never another force's.

describe("template previews use the force's own reference form", () => {
  const clock = fixedClock(new Date('2027-03-01T10:00:00Z'));
  let app: TestApp;
  let demo: Awaited<ReturnType<typeof signIn>>;
  let other: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    demo = await signIn(app, 'admin@demo.police.uk');
    const force = await createOtherForce(app, ['force_admin']);
    other = await signIn(app, force.emails.force_admin ?? '', 'other-password');
  });
  afterAll(() => app.close());

  const post = <T>(session: typeof demo, url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers: session.headers, payload }).then((answer) => {
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json<T>();
    });
  const text = { subject: 'Report {{reference}}', body: '{{forceName}}: case {{caseReference}}' };

  it("previews another force's references with that force's code and this year, not the demo force's", async () => {
    const { preview } = await post<{ preview: { subject: string; body: string } }>(other, '/api/templates/case.recorded/preview', text);
    expect(preview).toEqual({ subject: 'Report OTHR-2027-000123', body: 'Other Police: case OTHR-C-2027-000045' });
    const own = await post<{ preview: { subject: string; body: string } }>(demo, '/api/templates/case.recorded/preview', text);
    expect(own).toEqual({ preview: { subject: 'Report DEMO-2027-000123', body: 'Demo Constabulary: case DEMO-C-2027-000045' } });
  });

  it("test-sends a stored template with the force's own case reference and never the demo force's", async () => {
    const sent = await post<{ preview: { body: string } }>(other, '/api/templates/case.suspect_arrested/test-send', { channel: 'sms', locale: 'en' });
    expect(sent.preview.body).toContain('OTHR-C-2027-000045');
    expect(sent.preview.body).not.toContain('DEMO-');
  });
});
