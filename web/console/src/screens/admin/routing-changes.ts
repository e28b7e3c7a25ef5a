// What the queue and channel target forms become when someone else changed the queue or the
// targets after the admin opened them (decision 0084): each box this admin left alone takes the
// value as it is now; each they changed keeps what they typed (`rebaseChange`), and each box both
// changed, to different values, is named. Pure: no React, no requests.
import type { ChannelTargets, QueueTargets, QueueView } from '../../api/types.ts';
import { rebaseChange, type Clash } from '../../changed-since-opened.ts';

export const PRIORITIES = ['1', '2', '3', '4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const QUEUE_KINDS: ReadonlyArray<{ key: keyof QueueTargets; label: string }> = [
  { key: 'firstResponseMinutes', label: 'First response' },
  { key: 'nextResponseMinutes', label: 'Next response' },
  { key: 'resolutionMinutes', label: 'Resolution' },
];

/** A box of the queue form: a target of a priority ("1.firstResponseMinutes"), or the warning point. */
export type QueueBox = `${Priority}.${keyof QueueTargets}` | 'warnAtPercent';
export const QUEUE_BOXES: readonly QueueBox[] = [...PRIORITIES.flatMap((p) => QUEUE_KINDS.map((k) => `${p}.${k.key}` as const)), 'warnAtPercent'];

/** The queue form's boxes, as text. */
export type QueueBoxes = Record<QueueBox, string>;

/** A queue's targets and warning point as the form's boxes show them. */
export function queueBoxesOf(queue: QueueView): QueueBoxes {
  const boxes: Partial<QueueBoxes> = { warnAtPercent: String(queue.warnAtPercent) };
  for (const p of PRIORITIES) for (const k of QUEUE_KINDS) boxes[`${p}.${k.key}`] = String(queue.sla[p][k.key]);
  // Every box of QUEUE_BOXES was set above.
  return boxes as QueueBoxes;
}

/** What the form calls a box, in sentences. */
export function queueBoxLabel(box: QueueBox): string {
  if (box === 'warnAtPercent') return 'Warn at';
  const [priority, key] = box.split('.');
  return `${QUEUE_KINDS.find((k) => k.key === key)?.label ?? key} for priority ${priority}`;
}

/** The queue form after the queue was changed by someone else since it was opened. */
export function rebaseQueueChange(opened: QueueView, wanted: QueueBoxes, current: QueueView) {
  return rebaseChange(QUEUE_BOXES, queueBoxesOf(opened), wanted, queueBoxesOf(current));
}

/** A box's value as typed (boxes hold text). */
const typed = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
/** A box's minutes in words: "1 minute", "45 minutes". */
const minutesIn = (value: unknown) => `${typed(value)} ${typed(value) === '1' ? 'minute' : 'minutes'}`;

/** A box both admins changed, as a sentence naming it: what the queue has now and that the form keeps this admin's value. */
export function queueClashSentence(clash: Clash<QueueBox>): string {
  const words = (value: unknown) => (clash.field === 'warnAtPercent' ? `${typed(value)}%` : minutesIn(value));
  return `${queueBoxLabel(clash.field)} is now “${words(clash.theirs)}”; the form keeps yours, “${words(clash.yours)}”. Save again to put yours over it, or change it.`;
}

/** A queue as it is now, in words, for the panel beside the form. */
export function queueFacts(queue: QueueView): { term: string; value: string }[] {
  return [
    { term: 'Name', value: queue.name },
    ...PRIORITIES.map((p) => ({
      term: `Priority ${p}`,
      value: `first response ${queue.sla[p].firstResponseMinutes} min, next response ${queue.sla[p].nextResponseMinutes} min, resolution ${queue.sla[p].resolutionMinutes} min`,
    })),
    { term: 'Warn at', value: `${queue.warnAtPercent}% of the target used` },
  ];
}

export const CHANNEL_KINDS = [
  { key: 'firstResponseMinutes', label: 'First response target' },
  { key: 'nextResponseMinutes', label: 'Next response target' },
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number]['key'];

/** The channel targets form's boxes as text, keyed as the server names them ("chat.firstResponseMinutes"); empty: the queue's target. */
export type ChannelBoxes = Record<string, string>;

export function channelBoxesOf(channels: readonly ChannelTargets[]): ChannelBoxes {
  const minutes = (n: number | null) => (n === null ? '' : String(n));
  return Object.fromEntries(channels.flatMap((c) => CHANNEL_KINDS.map((k) => [`${c.channel}.${k.key}`, minutes(c[k.key])])));
}

/** The channel targets form after someone else changed the targets since it was opened. */
export function rebaseChannelChange(opened: readonly ChannelTargets[], wanted: ChannelBoxes, current: readonly ChannelTargets[]) {
  const boxes = current.flatMap((c) => CHANNEL_KINDS.map((k) => `${c.channel}.${k.key}`));
  return rebaseChange(boxes, channelBoxesOf(opened), wanted, channelBoxesOf(current));
}

/** A box both admins changed, as a sentence naming the channel and the target. */
export function channelClashSentence(clash: Clash<string>, channels: readonly ChannelTargets[]): string {
  const [channel, key] = clash.field.split('.');
  const label = `${channels.find((c) => c.channel === channel)?.label ?? channel} ${CHANNEL_KINDS.find((k) => k.key === key)?.label.toLowerCase() ?? key}`;
  const words = (value: unknown) => (value === '' || value === null ? 'empty: the queue’s target' : minutesIn(value));
  return `${label} is now “${words(clash.theirs)}”; the form keeps yours, “${words(clash.yours)}”. Save again to put yours over it, or change it.`;
}

/** The targets as they are now, in words, for the panel beside the form. */
export function channelFacts(channels: readonly ChannelTargets[]): { term: string; value: string }[] {
  const words = (n: number | null) => (n === null ? 'the queue’s' : `${n} min`);
  return channels.map((c) => ({ term: c.label, value: `first response ${words(c.firstResponseMinutes)}, next response ${words(c.nextResponseMinutes)}` }));
}
