import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import { MINUTE, THREAT, createRoutingWorld, type ErrorBody, type RoutingWorld, type Session } from './routing-kit.ts';

// An alert moves through its machine (decision 0125): acknowledged once, by a supervisor of its
// own force; a second acknowledgement and another force's are refused as they always were.
describe(`acknowledging a supervisors' alert (${ENGINE})`, () => {
  let w: RoutingWorld;
  let otherSupervisor: Session;
  beforeAll(async () => {
    w = await createRoutingWorld();
    const other = await createOtherForce(w.app, ['supervisor']);
    otherSupervisor = await signIn(w.app, other.emails.supervisor ?? '', 'other-password');
  });
  afterAll(() => w.close());

  const alertRow = (alertId: string) =>
    withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('alerts').select(['acknowledged_at', 'acknowledged_by', 'acknowledgement_note']).where('id', '=', alertId).executeTakeFirstOrThrow(),
    );
  const threatAlert = async (contactId: string) => {
    const alerts = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    const alert = alerts.find((a) => a.contactId === contactId);
    if (!alert) throw new Error('no alert about the contact');
    return alert;
  };

  it('refuses-a-second-acknowledgement-409-in-the-words-supervisors-have-always-had-and-keeps-the-first', async () => {
    const threat = await w.report(THREAT);
    const alert = await threatAlert(threat);
    const first = await w.post(w.supervisor, `/api/alerts/${alert.id}/acknowledge`, { note: 'Units sent' });
    expect(first.statusCode, first.body).toBe(200);
    const acknowledgedAt = w.clock.now().toISOString();

    w.clock.advance(MINUTE);
    const again = await w.post(w.supervisor, `/api/alerts/${alert.id}/acknowledge`, { note: 'Me too' });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error).toEqual({ code: 'conflict', message: 'this alert has already been acknowledged' });
    expect(await alertRow(alert.id)).toEqual({ acknowledged_at: new Date(acknowledgedAt), acknowledged_by: w.supervisor.user.id, acknowledgement_note: 'Units sent' });
    expect((await w.events(threat, 'alert.acknowledged')).map((e) => e.data)).toEqual([{ alertId: alert.id, kind: 'threat_to_life', note: 'Units sent' }]);
  });

  it('answers-404-to-another-force-s-supervisor-and-leaves-the-alert-open', async () => {
    const threat = await w.report(THREAT);
    const alert = await threatAlert(threat);
    const refused = await w.post(otherSupervisor, `/api/alerts/${alert.id}/acknowledge`, { note: 'Not ours' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json<ErrorBody>().error).toEqual({ code: 'not_found', message: 'alert not found' });
    expect(await alertRow(alert.id)).toEqual({ acknowledged_at: null, acknowledged_by: null, acknowledgement_note: null });
    expect(await w.events(threat, 'alert.acknowledged')).toEqual([]);
    expect((await threatAlert(threat)).acknowledgedAt).toBeNull();
  });
});
