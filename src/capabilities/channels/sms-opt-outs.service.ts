import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { deleteSmsOptOut, findOptedOutNumbers as findOptedOutRows, findSmsOptOutRow, findSmsOptOutTimes, insertStaffOptOut, listSmsOptOutRows } from './sms-opt-outs.repository.ts';
import { moveSmsOptOut, smsOptOutState, type SmsOptOutSource } from './sms-opt-out.machine.ts';
import { smsOptOutLifted, smsOptOutRecorded } from './sms-opt-out.events.ts';
import type { SmsOptOutChange, SmsOptOutView } from './sms-opt-outs.schema.ts';

// Which numbers are not to be texted, for the staff who must explain why a person gets none
// (decision 0059), and the opt-outs staff record by hand for a person who asked another way: on
// the phone, or in a text that is not a keyword ("stop texting me"). Staff lift only what staff
// recorded; a STOP the person texted is lifted by their own START (decision 0071).

/**
 * A page of the force's opted-out numbers, newest first; with `number` (written any way the
 * people room reads a phone number), only that number, so the answer says whether it opted out.
 */
export async function listSmsOptOuts(
  deps: ServiceDeps,
  forceId: ForceId,
  query: { number?: string | undefined; limit: number; offset: number },
): Promise<{ optOuts: SmsOptOutView[]; total: number; number: string | null }> {
  const number = query.number === undefined ? null : phoneNumberOf(query.number, 'query.number');
  const { rows, total } = await withForce(deps.db, forceId, (tx) =>
    listSmsOptOutRows(tx, forceId, { phoneNumber: number ?? undefined, limit: query.limit, offset: query.offset }),
  );
  return {
    optOuts: rows.map((row) => ({
      phoneNumber: row.phone_number,
      optedOutAt: row.opted_out_at.toISOString(),
      source: row.source,
      account: row.channel_account_id !== null && row.channel !== null && row.label !== null ? { id: row.channel_account_id, channel: row.channel, label: row.label } : null,
      recordedBy: row.recorded_by !== null ? { id: row.recorded_by, name: row.recorded_by_name ?? '' } : null,
      reason: row.reason,
    })),
    total,
    number,
  };
}

/**
 * A member of staff records that a number is not to be texted, and why: every path that texts a
 * person then passes it over as it does a STOP. Refused (409) when the number is opted out already.
 */
export async function recordSmsOptOut(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, change: SmsOptOutChange): Promise<SmsOptOutView> {
  const phoneNumber = phoneNumberOf(change.number, 'body.number');
  await withForce(deps.db, forceId, async (tx) => {
    moveSmsOptOut(smsOptOutState(await findSmsOptOutRow(tx, forceId, phoneNumber)), 'record');
    const id = await insertStaffOptOut(tx, forceId, { phoneNumber, staffId, reason: change.reason, at: deps.clock.now() });
    // Another request recorded it since the look above: refused in the machine's words.
    if (id === undefined) moveSmsOptOut(smsOptOutState(await findSmsOptOutRow(tx, forceId, phoneNumber)), 'record');
    else record(tx, forceId, deps.clock, smsOptOutRecorded.of({ actor: { type: 'staff', id: staffId }, subjectId: id, data: { numberEnding: phoneNumber.slice(-4), reason: change.reason } }));
  });
  const { optOuts } = await listSmsOptOuts(deps, forceId, { number: phoneNumber, limit: 1, offset: 0 });
  const [view] = optOuts;
  if (!view) throw new Error('an opt-out just recorded was not found');
  return view;
}

/**
 * A member of staff lifts an opt-out staff recorded, and says why: the number may be texted again.
 * Refused (409) when the number is not opted out, or when the person texted STOP themselves.
 */
export async function liftSmsOptOut(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, change: SmsOptOutChange): Promise<{ phoneNumber: string; liftedAt: string }> {
  const phoneNumber = phoneNumberOf(change.number, 'body.number');
  const at = deps.clock.now();
  await withForce(deps.db, forceId, async (tx) => {
    const row = await findSmsOptOutRow(tx, forceId, phoneNumber);
    moveSmsOptOut(smsOptOutState(row), 'lift');
    if (!row || !(await deleteSmsOptOut(tx, forceId, phoneNumber, ['staff']))) moveSmsOptOut({ status: 'not_opted_out' }, 'lift');
    else {
      const unlogged = { phoneNumber, optedOutAt: row.opted_out_at.toISOString() };
      record(tx, forceId, deps.clock, smsOptOutLifted.of({ actor: { type: 'staff', id: staffId }, subjectId: row.id, data: { numberEnding: phoneNumber.slice(-4), reason: change.reason }, unlogged }));
    }
  });
  return { phoneNumber, liftedAt: at.toISOString() };
}

/** A phone number written any way, in E.164, or a 400 on `path`. */
function phoneNumberOf(written: string, path: string): string {
  const number = normalisePhone(written);
  if (number === null) throw invalid(path, 'must be a phone number');
  return number;
}

/**
 * When and how each of these numbers (as stored on a person or a case, so written any way) opted
 * out of texts, keyed by the number as given; numbers that did not, or are not numbers, are absent.
 */
export async function findSmsOptOutsOf(tx: Tx, forceId: ForceId, phones: readonly (string | null)[]): Promise<Map<string, { at: Date; source: SmsOptOutSource }>> {
  const normalised = new Map<string, string>();
  for (const phone of phones) {
    const e164 = phone ? normalisePhone(phone) : null;
    if (phone && e164) normalised.set(phone, e164);
  }
  const times = await findSmsOptOutTimes(tx, forceId, [...normalised.values()]);
  const found = new Map<string, { at: Date; source: SmsOptOutSource }>();
  for (const [phone, e164] of normalised) {
    const at = times.get(e164);
    if (at) found.set(phone, at);
  }
  return found;
}

/** Which of these numbers (E.164) opted out of the force's texts, and how: for journeys and the outbox, inside their transactions (decision 0181). */
export function findOptedOutNumbers(tx: Tx, forceId: ForceId, phoneNumbers: readonly string[]): Promise<Map<string, SmsOptOutSource>> {
  return findOptedOutRows(tx, forceId, phoneNumbers);
}
