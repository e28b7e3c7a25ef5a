// SLA maths, pure: targets per queue and priority, when a clock warns and falls due, and what
// state it is in at a given moment. Clocks run on elapsed time, 24 hours a day, every day.

export const SLA_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export const SLA_KIND_LABELS: Record<SlaKind, string> = {
  first_response: 'First response',
  next_response: 'Next response',
  resolution: 'Resolution',
};

/** Minutes allowed for each clock at one priority. */
export type SlaTargets = { firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number };
/** A queue's targets per priority (1–4). */
export type SlaPolicy = Record<'1' | '2' | '3' | '4', SlaTargets>;

export type SlaState = 'running' | 'warning' | 'breached' | 'met' | 'missed' | 'cancelled';

/** Targets used when a queue states none for a priority: tight for priority 1, a working day for 4. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  '1': { firstResponseMinutes: 2, nextResponseMinutes: 5, resolutionMinutes: 60 },
  '2': { firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 240 },
  '3': { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 },
  '4': { firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 4320 },
};

const MINUTE = 60_000;

/** The minutes a queue allows for one kind of clock at one priority. */
export function targetMinutes(policy: SlaPolicy, priority: number, kind: SlaKind): number {
  const key = String(Math.min(4, Math.max(1, Math.trunc(priority)))) as keyof SlaPolicy;
  const targets = policy[key] ?? DEFAULT_SLA_POLICY[key];
  switch (kind) {
    case 'first_response':
      return targets.firstResponseMinutes;
    case 'next_response':
      return targets.nextResponseMinutes;
    case 'resolution':
      return targets.resolutionMinutes;
  }
}

// ---------------------------------------------------------------------------------------------
// Targets per kind of channel (decision 0041): a force may say how long a first or next response
// may take on chat, text, social media and so on. They only ever tighten a queue's target.
// ---------------------------------------------------------------------------------------------

/** The kinds of channel a force sets response targets for. */
export const RESPONSE_CHANNELS = ['chat', 'sms', 'social', 'email', 'portal', 'voice'] as const;
export type ResponseChannel = (typeof RESPONSE_CHANNELS)[number];

export const RESPONSE_CHANNEL_LABELS: Record<ResponseChannel, string> = {
  chat: 'Web chat',
  sms: 'Text message',
  social: 'Social media',
  email: 'Email',
  portal: 'Online report',
  voice: 'Phone',
};

// Adapter names (as stored on contacts) to the kind of channel the public sees.
const RESPONSE_CHANNEL_OF: Readonly<Record<string, ResponseChannel>> = {
  chat: 'chat',
  sms_twilio: 'sms',
  sms_notify: 'sms',
  meta: 'social',
  x: 'social',
  email: 'email',
  portal: 'portal',
  api: 'portal',
  phone: 'voice',
  callback: 'voice',
};

/** Every channel a contact can come in on, as stored on contacts (the adapters' names, the portal, call-backs). */
export const CONTACT_CHANNEL_NAMES = Object.keys(RESPONSE_CHANNEL_OF) as [string, ...string[]];

/** The kind of channel a contact's channel is, or null for one no target is set for. */
export function responseChannelOf(channel: string): ResponseChannel | null {
  return Object.hasOwn(RESPONSE_CHANNEL_OF, channel) ? (RESPONSE_CHANNEL_OF[channel] ?? null) : null;
}

/** A channel's targets in minutes; null leaves the queue's target alone. */
export type ChannelTargets = { firstResponseMinutes: number | null; nextResponseMinutes: number | null };
export type ChannelTargetsByKind = Partial<Record<ResponseChannel, ChannelTargets>>;

/**
 * The minutes a clock of this kind allows for a contact on `channel`: the queue's target for the
 * priority, or the channel's when it is tighter. Resolution is the queue's alone: how long a
 * matter takes to settle does not depend on where it was raised.
 */
export function effectiveTargetMinutes(input: { policy: SlaPolicy; priority: number; kind: SlaKind; channel: string | null; channelTargets: ChannelTargetsByKind }): number {
  const queueMinutes = targetMinutes(input.policy, input.priority, input.kind);
  const kind = input.channel === null ? null : responseChannelOf(input.channel);
  const targets = kind ? input.channelTargets[kind] : undefined;
  const channelMinutes =
    input.kind === 'first_response' ? targets?.firstResponseMinutes : input.kind === 'next_response' ? targets?.nextResponseMinutes : null;
  return typeof channelMinutes === 'number' && channelMinutes > 0 ? Math.min(queueMinutes, channelMinutes) : queueMinutes;
}

/**
 * When a clock started at `startedAt` warns and falls due. The warning comes when `warnAtPercent`
 * of the time has gone, but never later than one minute before the due time when there is room.
 */
export function clockTimes(input: { startedAt: Date; minutes: number; warnAtPercent: number }): { warnAt: Date; dueAt: Date } {
  const lengthMs = Math.max(0, input.minutes) * MINUTE;
  const dueAt = new Date(input.startedAt.getTime() + lengthMs);
  let warnMs = Math.floor((lengthMs * input.warnAtPercent) / 100);
  if (lengthMs > MINUTE) warnMs = Math.min(warnMs, lengthMs - MINUTE);
  return { warnAt: new Date(input.startedAt.getTime() + warnMs), dueAt };
}

export type ClockFacts = {
  warnAt: Date;
  dueAt: Date;
  stoppedAt: Date | null;
  stopReason: string | null;
};

/**
 * The state of a clock at `now`. A stopped clock was `met` if it stopped in time by a response or
 * closing, `missed` if later, and `cancelled` if something else stopped it (escalation, a
 * re-prioritisation that started a new clock). A running clock is `running`, then `warning` from
 * its warning time, then `breached` from its due time.
 */
export function clockState(clock: ClockFacts, now: Date): SlaState {
  if (clock.stoppedAt) {
    if (clock.stopReason !== 'responded' && clock.stopReason !== 'closed') return 'cancelled';
    // Due means "before this moment": a clock still running at its due time is breached, so one
    // stopped at that very moment is missed, and a breach alert never sits beside a met clock.
    return clock.stoppedAt.getTime() < clock.dueAt.getTime() ? 'met' : 'missed';
  }
  if (now.getTime() >= clock.dueAt.getTime()) return 'breached';
  if (now.getTime() >= clock.warnAt.getTime()) return 'warning';
  return 'running';
}

/** Milliseconds until due (negative once overdue); for a stopped clock, how early (+) or late (−) it stopped. */
export function remainingMs(clock: ClockFacts, now: Date): number {
  const at = clock.stoppedAt ?? now;
  return clock.dueAt.getTime() - at.getTime();
}

/** The worst of several states, for a queue or a contact at a glance. */
export function worstState(states: readonly SlaState[]): SlaState | null {
  const order: SlaState[] = ['breached', 'missed', 'warning', 'running', 'met', 'cancelled'];
  for (const state of order) if (states.includes(state)) return state;
  return null;
}

/** Reads a queue's stored policy, falling back to the defaults for anything missing or malformed. */
export function parseSlaPolicy(value: unknown): SlaPolicy {
  const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY };
  if (typeof value !== 'object' || value === null) return policy;
  for (const key of ['1', '2', '3', '4'] as const) {
    const entry = (value as Record<string, unknown>)[key];
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const pick = (name: keyof SlaTargets) => {
      const v = e[name];
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_SLA_POLICY[key][name];
    };
    policy[key] = {
      firstResponseMinutes: pick('firstResponseMinutes'),
      nextResponseMinutes: pick('nextResponseMinutes'),
      resolutionMinutes: pick('resolutionMinutes'),
    };
  }
  return policy;
}
