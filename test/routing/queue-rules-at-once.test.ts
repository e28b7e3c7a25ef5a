// Two people saving the queue rules at the same moment: on PostgreSQL each removed the rules it
// could see and wrote its own, so the later met the earlier's new rules on the table's key and was
// told only that someone had changed something, though saving rules after another's replaces
// them. The saves now take turns, and the later stands. PGlite runs one transaction at a time, so
// only PostgreSQL can hold them together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, eventTypesOf, signIn, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Rules = { queues: { id: string; name: string }[]; rules: { queueId: string; position: number; channels: string[] | null; categories: string[] | null; priorities: number[] | null }[] };

describe.skipIf(ENGINE !== 'postgres')('queue rules saved by two people at once', () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  const read = async () => (await app.inject({ method: 'GET', url: '/api/queues', headers: supervisor.headers })).json<Rules>();
  const save = (session: Session, rules: object[]) => app.inject({ method: 'POST', url: '/api/queues/rules', headers: session.headers, payload: { rules } });

  it('saves-both-in-turn-and-keeps-the-later', async () => {
    const before = await read();
    const asSent = before.rules.map(({ queueId, channels, categories, priorities }) => ({
      queueId,
      ...(channels ? { channels } : {}),
      ...(categories ? { categories } : {}),
      ...(priorities ? { priorities } : {}),
    }));
    const queueId = before.queues[0]?.id ?? '';
    const later = [{ queueId, channels: ['sms_twilio'] }, ...asSent];
    const changes = (await eventTypesOf(app, app.demoForceId)).filter((type) => type === 'queue.rules_replaced').length;
    const answers = await heldTogether(app, 'lock table queue_rules in share mode', [() => save(admin, asSent), () => save(supervisor, later)]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    const after = await read();
    expect(after.rules.map((rule) => rule.position)).toEqual(later.map((_, index) => index + 1));
    expect(after.rules[0]).toMatchObject({ queueId, channels: ['sms_twilio'] });
    expect((await eventTypesOf(app, app.demoForceId)).filter((type) => type === 'queue.rules_replaced').length).toBe(changes + 2);
  });
});
