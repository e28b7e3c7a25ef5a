import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';

// An open areas page and the dispatcher's map hear, from the live stream, that the force's areas
// were imported, changed or removed, and by whom, as each change commits (decision 0100); a refused
// change sends nothing, and another force hears nothing.

type Session = Awaited<ReturnType<typeof signIn>>;
type Area = { id: string; name: string };

describe(`live messages when areas change (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let dispatcher: Session;
  let base: string;
  const heard: LiveMessage[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    base = await listenForSockets(app);
  });
  afterAll(() => app.close());

  const post = (url: string, payload: object, session = admin) => app.inject({ method: 'POST', url, headers: session.headers, payload });
  const areasChanged = () => heard.filter((m) => m.type === 'areas.changed');

  it('tells-open-consoles-of-an-import-a-change-and-a-removal-once-each-naming-who', async () => {
    const socket = await openLiveSocket<{ type: string; byStaffId?: string }>(base, dispatcher);
    const { messages } = socket;
    const other = await createOtherForce(app);
    const otherHeard: LiveMessage[] = [];
    app.hub.subscribe(other.forceId, (message) => otherHeard.push(message));
    heard.length = 0;

    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: ['East', 'West'].map((name, i) => ({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [[[1 + i, 52], [1.5 + i, 52], [1.5 + i, 52.5], [1 + i, 52.5], [1 + i, 52]]] } })),
    });
    expect((await post('/api/areas/import', { format: 'geojson', text, kind: 'beat', setting: 'urban' })).statusCode).toBe(200);
    const areas = (await app.inject({ method: 'GET', url: '/api/areas', headers: admin.headers })).json<{ areas: Area[] }>().areas;
    const east = areas.find((a) => a.name === 'East');
    expect((await post(`/api/areas/${east?.id}`, { setting: 'rural' })).statusCode).toBe(200);
    expect((await post(`/api/areas/${east?.id}/remove`, {})).statusCode).toBe(200);
    // Refused or changing nothing: nothing to hear.
    expect((await post(`/api/areas/${east?.id}/remove`, {})).statusCode).toBe(409);
    expect((await post('/api/areas/import', { format: 'geojson', text: '{' })).statusCode).toBe(400);

    await expect.poll(() => areasChanged().length, { timeout: 20_000 }).toBe(3);
    expect(areasChanged()).toEqual(Array.from({ length: 3 }, () => ({ type: 'areas.changed', byStaffId: admin.user.id })));
    await expect.poll(() => messages.filter((m) => m.type === 'areas.changed').length, { timeout: 20_000 }).toBe(3);
    expect(otherHeard.filter((m) => m.type === 'areas.changed')).toEqual([]);
    socket.close();
  });
});
