// /readyz answers anyone: a load balancer's probe needs ready or not, and the engine. The mail
// pollers' counts (decision 0153) describe the mailboxes of every force this process polls for, so
// they go only to a caller presenting the metrics bearer token, which /metrics already asks for;
// the status code is the same either way (decision 0158).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';

const TOKEN = 'metrics-token-for-the-readyz-test';
const MAILBOX = '00000000-0000-4000-8000-000000000158';

describe(`/readyz to anyone and to the metrics token (${ENGINE})`, () => {
  let app: TestApp;
  let detach: () => void;

  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    // A poller's board as the worker keeps it: one mailbox whose login was refused.
    detach = app.mailPollers.attach();
    app.mailPollers.watch([{ channelAccountId: MAILBOX, mailboxKey: 'mailbox-key' }]);
    app.mailPollers.recordFailure(MAILBOX, 'auth', false);
  });
  afterAll(async () => {
    detach();
    await app.close();
  });

  const readyz = (authorization?: string) => app.inject({ method: 'GET', url: '/readyz', ...(authorization ? { headers: { authorization } } : {}) });

  it('hides-the-mail-pollers-from-an-anonymous-probe', async () => {
    const response = await readyz();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', engine: ENGINE });
    expect(response.body).not.toContain('mailPollers');
    expect(response.body).not.toContain('failing');
  });

  it('hides-the-mail-pollers-from-a-wrong-or-other-token', async () => {
    for (const authorization of ['Bearer not-the-metrics-token-at-all', `Basic ${TOKEN}`, TOKEN]) {
      const response = await readyz(authorization);
      expect(response.statusCode, authorization).toBe(200);
      expect(response.json(), authorization).toEqual({ status: 'ready', engine: ENGINE });
    }
  });

  it('gives-the-mail-pollers-to-the-metrics-token-with-the-same-status', async () => {
    const response = await readyz(`Bearer ${TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      engine: ENGINE,
      mailPollers: { mailboxes: 1, failing: 1, restartNeeded: false, failingSince: expect.any(String) },
    });
    expect(response.body).not.toContain(MAILBOX);
  });
});

describe(`/readyz without a metrics token set (${ENGINE})`, () => {
  let app: TestApp;
  let detach: () => void;

  beforeAll(async () => {
    app = await createTestApp();
    detach = app.mailPollers.attach();
    app.mailPollers.watch([{ channelAccountId: MAILBOX, mailboxKey: 'mailbox-key' }]);
  });
  afterAll(async () => {
    detach();
    await app.close();
  });

  it('gives-the-mail-pollers-to-nobody', async () => {
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: `Bearer ${TOKEN}` }]) {
      const response = await app.inject({ method: 'GET', url: '/readyz', headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready', engine: ENGINE });
    }
  });
});
