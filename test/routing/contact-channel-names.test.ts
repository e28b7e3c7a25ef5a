import { describe, expect, it } from 'vitest';
import { listAdapters } from '../../src/capabilities/channels/registry.ts';
import { CONTACT_CHANNEL_NAMES, responseChannelOf } from '../../src/capabilities/queue/sla.schema.ts';

// Queue rules name the channels contacts come in on, and response targets apply by kind of
// channel: a channel added to the product and missing here could be named by no rule and given
// no target.
describe('the channels contacts come in on', () => {
  it('include-every-connectable-channel-each-with-its-kind-of-channel', () => {
    for (const adapter of listAdapters()) {
      expect(CONTACT_CHANNEL_NAMES, adapter.name).toContain(adapter.name);
      expect(responseChannelOf(adapter.name), adapter.name).not.toBeNull();
    }
    expect(CONTACT_CHANNEL_NAMES).toContain('portal');
  });
});
