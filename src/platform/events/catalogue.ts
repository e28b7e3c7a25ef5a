import { z } from 'zod';
import type { JsonValue } from '../db/tables.ts';
import type { ForceId } from '../ids.ts';
import type { EditedRecord, LiveMessage } from '../realtime/live.ts';
import type { Actor, EventInput, StoredEvent } from './event-log.ts';

/**
 * The event catalogue: every event type, the schema of its data, and what follows from it (live
 * messages, durable jobs, wake-ups). Capabilities define their events with `defineEvent` in their
 * `x.events.ts`; the recorder appends only events built by a definition, so an unknown type or
 * data that does not fit its schema never reaches the chain. The platform knows no capability:
 * each definition registers itself here when its module loads, and
 * `src/capabilities/audit/catalogue.events.ts` loads them all for code that reads every type.
 */

type Shape = z.core.$ZodShape;
type JsonObject = { [key: string]: JsonValue };
type DataOf<S extends Shape> = z.output<z.ZodObject<S>>;

/** What an event is about. */
export type Subject = { type: string; id: string };

/** A live message a transaction sends consoles on commit. */
export type PushedLiveMessage = Exclude<LiveMessage, { type: 'resync' }>;

/**
 * The live message that tells consoles a record people edit from the version they opened has
 * changed (its id, if it is one of many), naming the member of staff who changed it, if staff did.
 */
export function recordChanged(record: EditedRecord, actor: Actor, id?: string): PushedLiveMessage {
  return { type: 'record.changed', record, ...(id === undefined ? {} : { id }), ...(actor.type === 'staff' ? { byStaffId: actor.id } : {}) };
}

/**
 * A durable job that follows from an event: its type, payload and idempotency key (a job of the
 * same type and key is created once), and when and how often to try it.
 */
export type FollowUpJob = { type: string; payload: JsonObject; idempotencyKey: string; maxAttempts?: number; runAt?: Date; delayMs?: number };

/** A notification that wakes a worker once the transaction commits (routing, say). */
export type WakeUp = { channel: string; payload: string };

/** An event as its derivations see it: what happened, to what, by whom, in which force. */
export type Happened<T extends string, D> = { forceId: ForceId; type: T; actor: Actor; subject: Subject; data: D };

/** What follows from one event. */
export type FollowUps = { live: readonly PushedLiveMessage[]; jobs: readonly FollowUpJob[]; wakes: readonly WakeUp[] };

/** A stored event whose data was parsed by its definition. */
export type TypedEvent<T extends string, D> = Omit<StoredEvent, 'type' | 'data'> & { type: T; data: D };

/**
 * An event ready for the recorder, built (and its data checked) by its definition. Any number of
 * them, of any types, can wait in one list: the derivations travel with each.
 */
export type NewEvent = {
  readonly type: string;
  readonly actor: Actor;
  readonly subject: Subject;
  readonly data: JsonObject;
  /** When it happened, if not when it is appended (a report processed after it was received). */
  readonly occurredAt?: Date;
  /** What follows from this event in `forceId`; the recorder asks once, when it appends it. */
  readonly followUps: (forceId: ForceId) => FollowUps;
};

/** No unlogged fields: what an event type without `unlogged` takes beside its data. */
type NoFields = Record<never, never>;

export type EventSpec<T extends string, S extends Shape, U extends Shape = NoFields> = {
  /** `capability.what_happened`, in the past tense. */
  type: T;
  /** The type of the subject every event of this type is about (`contact`, `staff`, `case`…). */
  subject: string;
  /**
   * The fields of its data. New events are checked strictly (a field the schema does not name is
   * refused); stored ones leniently (unknown fields pass), so a field added later must be optional.
   */
  data: S;
  /**
   * What its jobs need that the chain must never keep (a phone number the log names by its last
   * digits only): given to `of` beside the data and checked as strictly, seen by `jobs` alone, kept
   * only in those jobs' payloads (which housekeeping deletes), never in the event.
   */
  unlogged?: U;
  /** The live messages consoles get once it commits. */
  live?: (event: Happened<T, DataOf<S>>) => readonly PushedLiveMessage[];
  /** The durable jobs that follow from it, created in its transaction. */
  jobs?: (event: Happened<T, DataOf<S>> & { unlogged: DataOf<U> }) => readonly FollowUpJob[];
  /** Whom to wake once it commits. */
  wakes?: (event: Happened<T, DataOf<S>>) => readonly WakeUp[];
};

/** What `of` takes beside the data: the unlogged fields, when the type has any. */
type UnloggedInput<X> = Record<never, never> extends X ? { unlogged?: X } : { unlogged: X };

/** One entry of the catalogue: builds new events of its type and reads stored ones. */
export type EventType<T extends string, D, X = NoFields> = {
  readonly type: T;
  readonly subjectType: string;
  /** Builds an event of this type; throws (naming the type and the field) when the data, or what its jobs alone see, does not fit. */
  of(input: { actor: Actor; subjectId: string; data: D } & UnloggedInput<X>): NewEvent;
  /** A stored event of this type with its data parsed, or null for another type or data that does not parse. */
  read(event: StoredEvent): TypedEvent<T, D> | null;
};

/** An entry as the catalogue keeps it: what reads stored events (building them is the definition's). */
type CataloguedType = Pick<EventType<string, unknown>, 'type' | 'subjectType' | 'read'>;

const registered = new Map<string, CataloguedType>();

/** Thrown for an event the catalogue refuses: a programming error, never the user's. */
export class EventCatalogueError extends Error {
  override name = 'EventCatalogueError';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(data)'}: ${issue.message}`).join('; ');
}

/**
 * Adds an event type to the catalogue. Each type is defined once, in the events file of the
 * capability it belongs to; a second definition of the same type is refused.
 */
export function defineEvent<T extends string, S extends Shape, U extends Shape = NoFields>(spec: EventSpec<T, S, U>): EventType<T, DataOf<S>, DataOf<U>> {
  if (registered.has(spec.type)) throw new EventCatalogueError(`event type ${spec.type} is defined twice`);
  const strict = z.strictObject(spec.data);
  const lenient = z.looseObject(spec.data);
  const strictUnlogged = spec.unlogged ? z.strictObject(spec.unlogged) : null;
  const definition: EventType<T, DataOf<S>, DataOf<U>> = {
    type: spec.type,
    subjectType: spec.subject,
    of({ actor, subjectId, data, unlogged }) {
      const checked = strict.safeParse(data);
      if (!checked.success) throw new EventCatalogueError(`event ${spec.type} refused: ${describeIssues(checked.error)}`);
      const hidden = strictUnlogged?.safeParse(unlogged);
      if (hidden && !hidden.success) throw new EventCatalogueError(`event ${spec.type} refused: unlogged ${describeIssues(hidden.error)}`);
      const subject = { type: spec.subject, id: subjectId };
      // The data as given (JSON by its schema), so what is hashed is what the use case said.
      const stored = data as JsonObject;
      return {
        type: spec.type,
        actor,
        subject,
        data: stored,
        followUps: (forceId) => {
          const happened = { forceId, type: spec.type, actor, subject, data: checked.data };
          // With no `unlogged` in the spec, U is its default, no fields: the empty object is all of it.
          const seen = (hidden?.data ?? {}) as DataOf<U>;
          return { live: spec.live?.(happened) ?? [], jobs: spec.jobs?.({ ...happened, unlogged: seen }) ?? [], wakes: spec.wakes?.(happened) ?? [] };
        },
      };
    },
    read(event) {
      if (event.type !== spec.type) return null;
      const parsed = lenient.safeParse(event.data);
      if (!parsed.success) return null;
      return { ...event, type: spec.type, data: parsed.data };
    },
  };
  registered.set(spec.type, definition);
  return definition;
}

/** Whether the catalogue has this event type (its events file has been loaded). */
export function isCataloguedType(type: string): boolean {
  return registered.has(type);
}

/** The entry for a stored event's type, if the catalogue has one. */
export function catalogueEntry(type: string): CataloguedType | undefined {
  return registered.get(type);
}

/** Every event type in the catalogue so far, sorted. */
export function cataloguedTypes(): string[] {
  return [...registered.keys()].sort();
}

/** The same event, as having happened at `at` rather than when it is appended. */
export function occurredAt(event: NewEvent, at: Date): NewEvent {
  return { ...event, occurredAt: at };
}

/** The event as the hash chain stores it. */
export function toEventInput(event: NewEvent): EventInput {
  return { type: event.type, actor: event.actor, subject: event.subject, data: event.data, ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}) };
}
