import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError, invalid } from '../errors.ts';
import type { ForceId } from '../ids.ts';

// A change made from the version of a record a person opened is refused when the record has been
// changed since: applying it would silently replace what someone else did (decisions 0079, 0082, 0085).
// The refusal says who made the last change and when, from the force's log, and names
// `body.version` so a program tells it from other conflicts. Any room that counts the changes of
// a record it lets people edit checks them here, so every refusal reads alike.

/** The last change recorded of one record: when, and who, with their name if staff made it. */
export type LastChange = { occurred_at: Date; actor_id: string | null; staff_name: string | null };

/** A record whose changes are looked for: its kind, its id (any of that kind when left out), and which event types count. */
export type ChangedRecord = { type: string; id?: string; eventTypes?: readonly string[] };

/**
 * The last event about one record (of these types, when given: a test-send is not a change), or
 * about any of several (a list's order is changed by reordering it and by adding to it), with the
 * name of the member of staff who caused it, if staff did.
 */
export function findLastChange(tx: Tx, forceId: ForceId, subject: ChangedRecord | readonly ChangedRecord[]): Promise<LastChange | undefined> {
  const subjects: readonly ChangedRecord[] = 'type' in subject ? [subject] : subject;
  return tx
    .selectFrom('events as e')
    .leftJoin('staff as s', (join) => join.onRef('s.force_id', '=', 'e.force_id').on(sql<boolean>`s.id::text = e.actor_id`))
    .select(['e.occurred_at', 'e.actor_id', 's.name as staff_name'])
    .where('e.force_id', '=', forceId)
    .where((eb) =>
      eb.or(
        subjects.map((one) =>
          eb.and([
            eb('e.subject_type', '=', one.type),
            ...(one.id === undefined ? [] : [eb('e.subject_id', '=', one.id)]),
            ...(one.eventTypes ? [eb('e.type', 'in', [...one.eventTypes])] : []),
          ]),
        ),
      ),
    )
    .orderBy('e.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export type OpenedVersionCheck = {
  /** The version the request was made from; undefined when it sent none (not checked). */
  opened: number | undefined;
  /** The record's version now: 0 for one that does not exist yet, when the request may create it. */
  current: number;
  /** The record as the sentence names it: "This rule", "The Welsh text of this message". */
  what: string;
  /** What the version was read from: "after you opened it", "after your page showed it". */
  since: string;
  /** What was not done: "Nothing was saved." */
  nothingDone: string;
  /** What to look at before trying again: "the rule", "the text". */
  checkWhat: string;
  /** The member of staff making the request. */
  actorStaffId: string;
  /** The record's last change, read only when the version differs. */
  readLastChange: () => Promise<LastChange | undefined>;
};

const STAFF_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const STAFF_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A moment as staff read it, on UK time: "Wednesday 6 May 2026", "10:00". */
function staffWhen(at: Date): { date: string; time: string } {
  return { date: STAFF_DATE.format(at).replace(',', ''), time: STAFF_TIME.format(at) };
}

/**
 * Refuses a request made from a version of a record that is no longer its version, with a 409
 * naming who changed it and when; a version the record has never had is a 400. No version: no
 * check, as before versions were counted.
 */
export async function requireOpenedVersion(check: OpenedVersionCheck): Promise<void> {
  const { opened, current } = check;
  if (opened === undefined || opened === current) return;
  const noun = check.what.replace(/^This /, 'this ').replace(/^The /, 'the ');
  if (opened > current) {
    throw invalid('body.version', current === 0 ? `is ${opened}, but ${noun} has not been written yet: send 0, or no version` : `is ${opened}, a version ${noun} has never had: it is at version ${current}`);
  }
  const last = await check.readLastChange();
  const at = last ? staffWhen(last.occurred_at) : null;
  const on = at ? ` on ${at.date} at ${at.time}` : '';
  const how =
    last?.actor_id === check.actorStaffId
      ? `${check.what} was changed ${check.since}: you changed it in another window or tab${on}.`
      : last?.staff_name
        ? `${check.what} was changed by someone else ${check.since}: ${last.staff_name} changed it${on}.`
        : `${check.what} was changed by someone else ${check.since}${on}.`;
  const versions = opened === 0 ? `It had not been written when you opened it; it is now version ${current}.` : `You had version ${opened}; it is now version ${current}.`;
  const message = `${how} ${versions} ${check.nothingDone} Check ${check.checkWhat} as it is now, then make your change again.`;
  throw new AppError('conflict', message, { publicMessage: message, fields: [{ path: 'body.version', message: `is ${opened}, but it is now at version ${current}` }] });
}
