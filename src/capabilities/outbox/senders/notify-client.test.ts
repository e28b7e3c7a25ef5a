import { describe, expect, it } from 'vitest';
import { OutboundGuard } from '../../../platform/http/outbound-guard.ts';
import { sendNotifyEmail, sendNotifySms } from './notify-client.ts';
import { OutboxSendError } from './sender.ts';

// A Notify API key is `{name}-{service id}-{secret}`; the client signs each request with it.
const API_KEY = `test-${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}-${'2'.repeat(8)}-2222-4222-8222-${'2'.repeat(12)}`;

describe('GOV.UK Notify through an API base URL the outbound guard refuses', () => {
  const guard = new OutboundGuard({ allowHttp: true, allowList: [] });

  it.each([
    ['http://10.0.0.8', 'private'],
    ['http://169.254.169.254/latest', 'metadata'],
  ])('fails-a-text-for-good-at-%s-naming-why-instead-of-retrying', async (apiBaseUrl, reason) => {
    const sent = sendNotifySms(
      { apiKey: API_KEY, apiBaseUrl },
      { templateId: 'f33517ff-2a88-4f6e-b855-c550268ce08a', to: '+447700900123', body: 'Your case has an update', reference: 'ref-1', smsSenderId: null },
      guard.fetch,
    );
    const error = await sent.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(OutboxSendError);
    expect(error).toMatchObject({ isPermanent: true });
    expect((error as Error).message).toContain('refused to connect to GOV.UK Notify');
    expect((error as Error).message).toContain(reason);
  });

  it('fails-an-email-for-good-too', async () => {
    const error = await sendNotifyEmail(
      { apiKey: API_KEY, apiBaseUrl: 'http://127.0.0.1:9' },
      { templateId: 'f33517ff-2a88-4f6e-b855-c550268ce08a', to: 'victim@example.org', subject: 'Update', body: 'Body', reference: 'ref-2', replyToId: null },
      guard.fetch,
    ).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ isPermanent: true, message: expect.stringContaining('loopback') });
  });

  it('still-retries-a-service-that-cannot-be-reached', async () => {
    // Allowed (allow-listed), but nothing listens there: a network failure, which may pass.
    const open = new OutboundGuard({ allowHttp: true, allowList: ['127.0.0.1'] });
    const error = await sendNotifySms(
      { apiKey: API_KEY, apiBaseUrl: 'http://127.0.0.1:9' },
      { templateId: 'f33517ff-2a88-4f6e-b855-c550268ce08a', to: '+447700900123', body: 'Body', reference: 'ref-3', smsSenderId: null },
      open.fetch,
    ).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ isPermanent: false, message: expect.stringContaining('GOV.UK Notify could not be reached') });
  });
});
