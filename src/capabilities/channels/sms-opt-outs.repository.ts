import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// The numbers that replied STOP to the force's texts (migration 0040). Written by inbound
// requests; read by every path that texts a person (journeys, the outbox and staff replies) and
// by the staff who need to know why a person gets no texts (decision 0059).

/** Records that a number opted out; false when it already had (a retried request changes nothing). */
export async function insertSmsOptOut(tx: Tx, forceId: ForceId, optOut: { phoneNumber: string; channelAccountId: string; at: Date }): Promise<boolean> {
  const inserted = await tx
    .insertInto('sms_opt_outs')
    .values({ force_id: forceId, phone_number: optOut.phoneNumber, channel_account_id: optOut.channelAccountId, opted_out_at: optOut.at })
    .onConflict((oc) => oc.columns(['force_id', 'phone_number']).doNothing())
    .returning('phone_number')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets a number's opt-out (it texted START); false when it had none. */
export async function deleteSmsOptOut(tx: Tx, forceId: ForceId, phoneNumber: string): Promise<boolean> {
  const deleted = await tx.deleteFrom('sms_opt_outs').where('force_id', '=', forceId).where('phone_number', '=', phoneNumber).returning('phone_number').executeTakeFirst();
  return deleted !== undefined;
}

/** Which of these numbers (E.164) replied STOP to the force's texts. */
export async function findOptedOutNumbers(tx: Tx, forceId: ForceId, phoneNumbers: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(phoneNumbers)];
  if (wanted.length === 0) return new Set();
  const rows = await tx.selectFrom('sms_opt_outs').select('phone_number').where('force_id', '=', forceId).where('phone_number', 'in', wanted).execute();
  return new Set(rows.map((row) => row.phone_number));
}

/** When each of these numbers (E.164) replied STOP to the force's texts; numbers that did not are absent. */
export async function findSmsOptOutTimes(tx: Tx, forceId: ForceId, phoneNumbers: readonly string[]): Promise<Map<string, Date>> {
  const wanted = [...new Set(phoneNumbers)];
  if (wanted.length === 0) return new Map();
  const rows = await tx.selectFrom('sms_opt_outs').select(['phone_number', 'opted_out_at']).where('force_id', '=', forceId).where('phone_number', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.phone_number, row.opted_out_at]));
}

/**
 * One page of the force's opted-out numbers, newest first (the number breaks a tie, so pages never
 * overlap), each with the account (the force's number) it was texted to; `phoneNumber` narrows it
 * to that one number.
 */
export async function listSmsOptOutRows(tx: Tx, forceId: ForceId, page: { phoneNumber?: string | undefined; limit: number; offset: number }) {
  let query = tx
    .selectFrom('sms_opt_outs as o')
    .innerJoin('channel_accounts as a', (join) => join.onRef('a.id', '=', 'o.channel_account_id').onRef('a.force_id', '=', 'o.force_id'))
    .where('o.force_id', '=', forceId);
  if (page.phoneNumber !== undefined) query = query.where('o.phone_number', '=', page.phoneNumber);
  const rows = await query
    .select(['o.phone_number', 'o.opted_out_at', 'o.channel_account_id', 'a.channel', 'a.label'])
    .orderBy('o.opted_out_at', 'desc')
    .orderBy('o.phone_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { rows, total: Number(counted.total) };
}
