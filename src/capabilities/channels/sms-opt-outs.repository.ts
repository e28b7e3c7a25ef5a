import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SmsOptOutSource } from './sms-opt-out.machine.ts';

// The numbers not to be texted (migration 0040): the person's own STOP, written by inbound
// requests, or recorded by staff (migration 0046, decision 0071). Read by every path that texts a
// person (journeys, the outbox and staff replies) and by the staff who need to know why a person
// gets no texts (decision 0059). Each statement applies a move of `sms-opt-out.machine.ts` with the
// states it may start from in its own condition, so two requests racing for one move apply it once.

/** A number's opt-out, if it has one, locked for the rest of the transaction. */
export async function findSmsOptOutRow(tx: Tx, forceId: ForceId, phoneNumber: string): Promise<{ id: string; source: SmsOptOutSource; opted_out_at: Date } | undefined> {
  return tx.selectFrom('sms_opt_outs').select(['id', 'source', 'opted_out_at']).where('force_id', '=', forceId).where('phone_number', '=', phoneNumber).forUpdate().executeTakeFirst();
}

/**
 * Records the person's STOP (move `texted_stop`): a new opt-out, or one staff recorded made the
 * person's own. Its id, or undefined when the number had already texted STOP (a retried request).
 */
export async function insertKeywordOptOut(tx: Tx, forceId: ForceId, optOut: { phoneNumber: string; channelAccountId: string; at: Date }): Promise<string | undefined> {
  const row = await tx
    .insertInto('sms_opt_outs')
    .values({ force_id: forceId, phone_number: optOut.phoneNumber, channel_account_id: optOut.channelAccountId, opted_out_at: optOut.at, source: 'keyword' })
    .onConflict((oc) =>
      oc
        .columns(['force_id', 'phone_number'])
        .doUpdateSet({ source: 'keyword', channel_account_id: optOut.channelAccountId, opted_out_at: optOut.at, recorded_by: null, reason: null })
        .where('sms_opt_outs.source', '=', 'staff'),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Records an opt-out a member of staff made (move `record`); undefined when the number already had one. */
export async function insertStaffOptOut(tx: Tx, forceId: ForceId, optOut: { phoneNumber: string; staffId: string; reason: string; at: Date }): Promise<string | undefined> {
  const row = await tx
    .insertInto('sms_opt_outs')
    .values({ force_id: forceId, phone_number: optOut.phoneNumber, opted_out_at: optOut.at, source: 'staff', recorded_by: optOut.staffId, reason: optOut.reason })
    .onConflict((oc) => oc.columns(['force_id', 'phone_number']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Forgets a number's opt-out made any of `sources` ways; false when it had none such. */
export async function deleteSmsOptOut(tx: Tx, forceId: ForceId, phoneNumber: string, sources: readonly SmsOptOutSource[] = ['keyword', 'staff']): Promise<boolean> {
  const deleted = await tx
    .deleteFrom('sms_opt_outs')
    .where('force_id', '=', forceId)
    .where('phone_number', '=', phoneNumber)
    .where('source', 'in', sources)
    .returning('phone_number')
    .executeTakeFirst();
  return deleted !== undefined;
}

/** Which of these numbers (E.164) are not to be texted, each with how its opt-out was made. */
export async function findOptedOutNumbers(tx: Tx, forceId: ForceId, phoneNumbers: readonly string[]): Promise<Map<string, SmsOptOutSource>> {
  const wanted = [...new Set(phoneNumbers)];
  if (wanted.length === 0) return new Map();
  const rows = await tx.selectFrom('sms_opt_outs').select(['phone_number', 'source']).where('force_id', '=', forceId).where('phone_number', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.phone_number, row.source]));
}

/** When and how each of these numbers (E.164) opted out of the force's texts; numbers that did not are absent. */
export async function findSmsOptOutTimes(tx: Tx, forceId: ForceId, phoneNumbers: readonly string[]): Promise<Map<string, { at: Date; source: SmsOptOutSource }>> {
  const wanted = [...new Set(phoneNumbers)];
  if (wanted.length === 0) return new Map();
  const rows = await tx.selectFrom('sms_opt_outs').select(['phone_number', 'opted_out_at', 'source']).where('force_id', '=', forceId).where('phone_number', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.phone_number, { at: row.opted_out_at, source: row.source }]));
}

/**
 * One page of the force's opted-out numbers, newest first (the number breaks a tie, so pages never
 * overlap), each with the account (the force's number) a STOP was texted to, or the member of
 * staff who recorded it and why; `phoneNumber` narrows it to that one number.
 */
export async function listSmsOptOutRows(tx: Tx, forceId: ForceId, page: { phoneNumber?: string | undefined; limit: number; offset: number }) {
  let query = tx.selectFrom('sms_opt_outs as o').where('o.force_id', '=', forceId);
  if (page.phoneNumber !== undefined) query = query.where('o.phone_number', '=', page.phoneNumber);
  const rows = await query
    .leftJoin('channel_accounts as a', (join) => join.onRef('a.id', '=', 'o.channel_account_id').onRef('a.force_id', '=', 'o.force_id'))
    .leftJoin('staff as s', (join) => join.onRef('s.id', '=', 'o.recorded_by').onRef('s.force_id', '=', 'o.force_id'))
    .select(['o.phone_number', 'o.opted_out_at', 'o.source', 'o.reason', 'o.channel_account_id', 'a.channel', 'a.label', 'o.recorded_by', 's.name as recorded_by_name'])
    .orderBy('o.opted_out_at', 'desc')
    .orderBy('o.phone_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { rows, total: Number(counted.total) };
}
