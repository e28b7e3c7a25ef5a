import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { RESPONSE_CHANNELS, RESPONSE_CHANNEL_LABELS, type ChannelTargets, type ChannelTargetsByKind, type ResponseChannel } from './sla.schema.ts';
import { channelTargetsChanged } from './queue.events.ts';
import { countListChange, readListVersion } from '../../platform/events/list-versions.ts';
import { requireRoutingListVersion } from './routing-versions.service.ts';

// Response targets per kind of channel (decision 0041): the most minutes a first or next response
// may take on chat, text, social media and so on. A clock started for a contact on that channel
// takes the tighter of this and its queue's target; editing them never moves a running clock.

/** The targets the demo force starts with: a chat is answered in minutes, a text within half an hour, a post within the hour. */
export const DEMO_CHANNEL_TARGETS: Readonly<ChannelTargetsByKind> = {
  chat: { firstResponseMinutes: 2, nextResponseMinutes: 2 },
  sms: { firstResponseMinutes: 30, nextResponseMinutes: 30 },
  social: { firstResponseMinutes: 60, nextResponseMinutes: 60 },
};

/** One kind of channel with its targets, as the admin screen lists it. */
export type ChannelTargetsView = { channel: ResponseChannel; label: string } & ChannelTargets;

/**
 * Every new contact reads these as it reads its queues, so each process keeps them for five
 * seconds; a change made through this process is seen at once, one made on another node within
 * five seconds (it only affects clocks started meanwhile).
 */
const CACHE_MS = 5_000;
const cache = new Map<string, { until: number; value: ChannelTargetsByKind }>();

/** The force's targets by kind of channel; kinds without a row are absent. */
export async function loadChannelTargets(tx: Tx, forceId: ForceId): Promise<ChannelTargetsByKind> {
  const cached = cache.get(forceId);
  if (cached && cached.until > Date.now()) return cached.value;
  const rows = await tx
    .selectFrom('channel_sla_targets')
    .select(['channel', 'first_response_minutes', 'next_response_minutes'])
    .where('force_id', '=', forceId)
    .execute();
  const value: ChannelTargetsByKind = {};
  for (const row of rows) {
    value[row.channel] = {
      firstResponseMinutes: row.first_response_minutes === null ? null : Number(row.first_response_minutes),
      nextResponseMinutes: row.next_response_minutes === null ? null : Number(row.next_response_minutes),
    };
  }
  // Wall time, not the injected clock: this is how long a copy is trusted, not a business rule.
  cache.set(forceId, { until: Date.now() + CACHE_MS, value });
  return value;
}

/** Forgets every cached copy (a process that opens another database with the same force ids). */
export function forgetCachedChannelTargets(): void {
  cache.clear();
}

/** The targets as the admin screen shows them, with the version a change is made from (decision 0084). */
export type ChannelTargetsList = { channels: ChannelTargetsView[]; version: number };

/** Every kind of channel with its targets, and the version of the force's targets as a whole. */
export async function listChannelTargetsWithVersion(tx: Tx, forceId: ForceId): Promise<ChannelTargetsList> {
  return { channels: await listChannelTargets(tx, forceId), version: await readListVersion(tx, forceId, 'channel_sla_targets') };
}

/** Every kind of channel with its targets (null where the queue's apply), in a fixed order. */
export async function listChannelTargets(tx: Tx, forceId: ForceId): Promise<ChannelTargetsView[]> {
  cache.delete(forceId);
  const targets = await loadChannelTargets(tx, forceId);
  return RESPONSE_CHANNELS.map((channel) => ({
    channel,
    label: RESPONSE_CHANNEL_LABELS[channel],
    firstResponseMinutes: targets[channel]?.firstResponseMinutes ?? null,
    nextResponseMinutes: targets[channel]?.nextResponseMinutes ?? null,
  }));
}

/**
 * Sets the targets of the kinds of channel given, as one event naming each change, counted in the
 * version of the force's targets; a save that changes nothing records nothing and counts nothing.
 * One made from a version the targets no longer have is refused first (decision 0084). A kind
 * whose targets are both null goes back to its queues' targets. Running clocks keep their due times.
 */
export async function setChannelTargets(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  change: ChannelTargetsByKind & { version?: number | undefined },
  actorStaffId: string,
): Promise<ChannelTargetsList> {
  await requireRoutingListVersion(tx, forceId, 'channel_sla_targets', change.version, actorStaffId);
  const before = await listChannelTargets(tx, forceId);
  const changes = RESPONSE_CHANNELS.flatMap((channel) => {
    const wanted = change[channel];
    const was = before.find((row) => row.channel === channel);
    if (!wanted || !was) return [];
    if (was.firstResponseMinutes === wanted.firstResponseMinutes && was.nextResponseMinutes === wanted.nextResponseMinutes) return [];
    return [{ channel, firstResponseMinutes: wanted.firstResponseMinutes, nextResponseMinutes: wanted.nextResponseMinutes }];
  });
  if (changes.length === 0) return { channels: before, version: await readListVersion(tx, forceId, 'channel_sla_targets') };
  const now = clock.now();
  for (const row of changes) {
    if (row.firstResponseMinutes === null && row.nextResponseMinutes === null) {
      await tx.deleteFrom('channel_sla_targets').where('force_id', '=', forceId).where('channel', '=', row.channel).execute();
      continue;
    }
    const values = { first_response_minutes: row.firstResponseMinutes, next_response_minutes: row.nextResponseMinutes, updated_at: now };
    await tx
      .insertInto('channel_sla_targets')
      .values({ force_id: forceId, channel: row.channel, ...values })
      .onConflict((oc) => oc.columns(['force_id', 'channel']).doUpdateSet(values))
      .execute();
  }
  record(tx, forceId, clock, channelTargetsChanged.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: forceId, data: { changes } }));
  const version = await countListChange(tx, forceId, 'channel_sla_targets');
  cache.delete(forceId);
  return { channels: await listChannelTargets(tx, forceId), version };
}

/**
 * Gives the demo force its channel targets, unless it has some or a force admin has ever changed
 * them (clearing every one is a choice the next start must not undo).
 */
export async function seedDemoChannelTargets(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
  const any = await tx.selectFrom('channel_sla_targets').select('channel').where('force_id', '=', forceId).limit(1).executeTakeFirst();
  if (any) return;
  const edited = await tx
    .selectFrom('events')
    .select('seq')
    .where('force_id', '=', forceId)
    .where('type', '=', channelTargetsChanged.type)
    .limit(1)
    .executeTakeFirst();
  if (edited) return;
  const now = clock.now();
  const rows = RESPONSE_CHANNELS.flatMap((channel) => {
    const targets = DEMO_CHANNEL_TARGETS[channel];
    if (!targets) return [];
    return [{ force_id: forceId, channel, first_response_minutes: targets.firstResponseMinutes, next_response_minutes: targets.nextResponseMinutes, updated_at: now }];
  });
  await tx.insertInto('channel_sla_targets').values(rows).onConflict((oc) => oc.columns(['force_id', 'channel']).doNothing()).execute();
  cache.delete(forceId);
}
