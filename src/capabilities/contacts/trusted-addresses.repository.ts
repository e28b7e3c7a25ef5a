import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

// A force's trusted reporting addresses (migration 0079, decision 0166), each as `normaliseEmail`
// gives it, and the force's settings for the allowances. Each statement that applies a move of
// `trusted-address.machine.ts` has its starting state in its own condition, so two requests racing
// for one move apply it once.

/** Trusts the address (move `add`); false when it was trusted already. */
export async function insertTrustedAddress(tx: Tx, forceId: ForceId, row: { id: string; address: string; staffId: string; at: Date }): Promise<boolean> {
  const inserted = await tx
    .insertInto('acknowledgement_trusted_addresses')
    .values({ id: row.id, force_id: forceId, address: row.address, added_by: row.staffId, added_at: row.at })
    .onConflict((oc) => oc.columns(['force_id', 'address']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Stops trusting the address (move `remove`): its id, or undefined when it was not trusted. */
export async function deleteTrustedAddress(tx: Tx, forceId: ForceId, address: string): Promise<string | undefined> {
  const deleted = await tx.deleteFrom('acknowledgement_trusted_addresses').where('force_id', '=', forceId).where('address', '=', address).returning('id').executeTakeFirst();
  return deleted?.id;
}

/** Which of these addresses (as `normaliseEmail` gives them) the force trusts. */
export async function findTrustedAmong(tx: Tx, forceId: ForceId, addresses: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(addresses)];
  if (wanted.length === 0) return new Set();
  const rows = await tx.selectFrom('acknowledgement_trusted_addresses').select('address').where('force_id', '=', forceId).where('address', 'in', wanted).execute();
  return new Set(rows.map((row) => row.address));
}

/** One page of the force's trusted addresses, newest first (the address breaks a tie), each with who added it; `address` narrows it to one. */
export async function listTrustedAddressRows(tx: Tx, forceId: ForceId, page: { address?: string; limit: number; offset: number }) {
  let query = tx.selectFrom('acknowledgement_trusted_addresses as t').where('t.force_id', '=', forceId);
  if (page.address !== undefined) query = query.where('t.address', '=', page.address);
  const rows = await query
    .innerJoin('staff as s', (join) => join.onRef('s.id', '=', 't.added_by').onRef('s.force_id', '=', 't.force_id'))
    .select(['t.id', 't.address', 't.added_at', 't.added_by', 's.name as added_by_name'])
    .orderBy('t.added_at', 'desc')
    .orderBy('t.address')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  return { rows, total: Number(counted.total) };
}

/** The force's stored settings, read for the allowances (whatever else they hold is not read here). */
export async function readForceSettings(tx: Tx, forceId: ForceId): Promise<{ [key: string]: unknown }> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return row?.settings ?? {};
}

/** The address of the force's trusted address row `id`, or undefined when it is trusted no longer. */
export async function findTrustedAddressById(tx: Tx, forceId: ForceId, id: string): Promise<string | undefined> {
  const row = await tx.selectFrom('acknowledgement_trusted_addresses').select('address').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  return row?.address;
}
