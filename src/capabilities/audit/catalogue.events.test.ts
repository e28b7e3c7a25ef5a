import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { withSystem } from '../../platform/db/database.ts';
import { toStoredEvent, type StoredEvent } from '../../platform/events/event-log.ts';
import { EVENT_CATALOGUE, readCatalogueEvent } from './catalogue.events.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every event type some source file defines. */
function definedTypes(): string[] {
  return sourceFiles(SRC).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/defineEvent\(\{\s*type: '([^']+)'/g)].map((m) => m[1] ?? ''));
}

function stored(type: string, data: StoredEvent['data']): StoredEvent {
  return {
    forceId: 'f',
    seq: 1,
    id: 'e',
    occurredAt: new Date('2026-01-01T00:00:00Z'),
    actorType: 'system',
    actorId: null,
    type,
    subjectType: 'contact',
    subjectId: 'c',
    data,
    prevHash: '',
    hash: '',
  };
}

describe('the event catalogue', () => {
  it('has every event type defined anywhere, once', () => {
    const catalogued = EVENT_CATALOGUE.map((entry) => entry.type);
    expect(new Set(catalogued).size).toBe(catalogued.length);
    expect([...catalogued].sort()).toEqual(definedTypes().sort());
  });

  it('reads events stored before their data gained fields', () => {
    const old: [string, StoredEvent['data']][] = [
      ['contact.routed', { queueId: 'q', queue: 'online_report', isThreatToLife: false, clocks: [{ kind: 'first_response', dueAt: '2026-01-01T01:00:00.000Z' }], rule: 5 }],
      ['contact.escalated', { fromQueueId: null, fromQueue: null, toQueueId: 'q', toQueue: 'Control room', reason: 'risk', clocks: [] }],
      ['contact.requeued', { queueId: 'q', reason: 'reopened' }],
      ['contact.reopened', { messageId: 'm' }],
      ['contact.replied', { messageId: 'm', via: 'email' }],
      ['contact.received', { reference: 'DEMO-2026-000001', channel: 'callback', personId: null, callbackFor: 'c0' }],
      ['contact.message_received', { channel: 'sms', messageId: 'm' }],
      ['portal.code_sent', { codeId: 'k' }],
      ['contact.assigned', { staffId: 's', by: 'routing', reason: { preferredSkillsMatched: [], loadBefore: 0, capacity: 3, idleSeconds: 60 } }],
    ];
    for (const [type, data] of old) expect(readCatalogueEvent(stored(type, data)), type).not.toBeNull();
  });

  it('names no type it does not have, and does not read data that does not fit', () => {
    expect(readCatalogueEvent(stored('contact.teleported', {}))).toBeNull();
    expect(readCatalogueEvent(stored('contact.closed', { outcome: 3 }))).toBeNull();
  });

  describe('against a working day', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(() => app.close());

    it('reads every event a day of work stores, typed', async () => {
      const report = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: 'catalogue-day-1',
        whatHappened: 'My ex is going to kill me, he has a knife',
        where: 'Home',
        when: 'now',
        name: 'Cat Alogue',
        email: 'catalogue@example.org',
      });
      const handler = await signIn(app, 'handler@demo.police.uk');
      const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: handler.headers, payload });
      expect((await post('/api/me/presence', { presence: 'available' })).statusCode).toBe(200);
      expect((await post(`/api/contacts/${report.contactId}/take`, {})).statusCode).toBe(200);
      expect((await post(`/api/contacts/${report.contactId}/replies`, { body: 'We are on our way.' })).statusCode).toBe(201);
      expect((await post(`/api/contacts/${report.contactId}/grade`, { grade: 'immediate' })).statusCode).toBe(201);
      expect((await post(`/api/contacts/${report.contactId}/case`, {})).statusCode).toBe(201);
      expect((await post(`/api/contacts/${report.contactId}/close`, { outcome: 'crime_recorded' })).statusCode).toBe(200);
      expect((await post(`/api/contacts/${report.contactId}/reopen`, { reason: 'More to add' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/contacts/${report.contactId}`, headers: handler.headers })).statusCode).toBe(200);
      await app.runner?.runDue();

      const rows = await withSystem(app.database.db, (tx) => tx.selectFrom('events').selectAll().where('force_id', '=', app.demoForceId).orderBy('seq').execute());
      const events = rows.map(toStoredEvent);
      expect(events.length).toBeGreaterThan(20);
      const unread = events.filter((event) => readCatalogueEvent(event) === null).map((event) => `${event.type} ${JSON.stringify(event.data)}`);
      expect(unread).toEqual([]);
    });
  });
});
