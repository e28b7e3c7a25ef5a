import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.ts';
import { RefusedDeliveryReports } from './refused-delivery-reports.ts';

describe('refused delivery reports', () => {
  it('counts-each-refusal-and-warns-with-ids-only-keeping-the-provider-label-bounded', async () => {
    const lines: Record<string, unknown>[] = [];
    const write = (chunk: Buffer, _encoding: string, done: () => void) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    };
    const refused = new RefusedDeliveryReports(createLogger('info', new Writable({ write })));
    const registry = new Registry();
    refused.register(registry);
    const forceId = '00000000-0000-4000-8000-000000000001';
    refused.tell([
      { forceId, provider: 'twilio', reason: 'other_account', record: 'outbox', providerMessageId: 'SM1' },
      { forceId, provider: 'a provider of its own', reason: 'unrecorded_account', record: 'reply', providerMessageId: 'SM2' },
    ]);
    const values = (await registry.getSingleMetric('bluelamp_delivery_reports_refused_total')?.get())?.values ?? [];
    expect(values.map((v) => ({ ...v.labels, value: v.value }))).toEqual([
      { provider: 'twilio', reason: 'other_account', record: 'outbox', value: 1 },
      { provider: 'other', reason: 'unrecorded_account', record: 'reply', value: 1 },
    ]);
    expect(lines.map(({ level, forceId: force, provider, reason, record, providerMessageId }) => ({ level, force, provider, reason, record, providerMessageId }))).toEqual([
      { level: 40, force: forceId, provider: 'twilio', reason: 'other_account', record: 'outbox', providerMessageId: 'SM1' },
      { level: 40, force: forceId, provider: 'other', reason: 'unrecorded_account', record: 'reply', providerMessageId: 'SM2' },
    ]);
  });

  it('says-in-its-warning-that-a-refused-report-came-before-the-send-when-it-waited-in-the-backlog', async () => {
    const lines: { msg: string; record: string }[] = [];
    const write = (chunk: Buffer, _encoding: string, done: () => void) => {
      lines.push(JSON.parse(chunk.toString()) as { msg: string; record: string });
      done();
    };
    const refused = new RefusedDeliveryReports(createLogger('info', new Writable({ write })));
    const registry = new Registry();
    refused.register(registry);
    refused.tell([{ forceId: '00000000-0000-4000-8000-000000000001', provider: 'twilio', reason: 'other_account', record: 'backlog', providerMessageId: 'SM3' }]);
    const values = (await registry.getSingleMetric('bluelamp_delivery_reports_refused_total')?.get())?.values ?? [];
    expect(values.map((v) => ({ ...v.labels, value: v.value }))).toEqual([{ provider: 'twilio', reason: 'other_account', record: 'backlog', value: 1 }]);
    expect(lines).toEqual([expect.objectContaining({ record: 'backlog', msg: expect.stringContaining('came before the message’s send was recorded') })]);
  });
});
