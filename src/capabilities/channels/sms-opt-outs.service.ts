import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { normalisePhone } from '../people/people.service.ts';
import { findSmsOptOutTimes, listSmsOptOutRows } from './sms-opt-outs.repository.ts';
import type { SmsOptOutView } from './sms-opt-outs.schema.ts';

// Which numbers have replied STOP to the force's texts, for the staff who must explain why a
// person gets none (decision 0059). Read only: an opt-out is made and undone by the person's own
// STOP and START (inbound-requests.service.ts), never by a member of staff.

/**
 * A page of the force's opted-out numbers, newest first; with `number` (written any way the
 * people room reads a phone number), only that number, so the answer says whether it opted out.
 */
export async function listSmsOptOuts(
  deps: ServiceDeps,
  forceId: ForceId,
  query: { number?: string | undefined; limit: number; offset: number },
): Promise<{ optOuts: SmsOptOutView[]; total: number; number: string | null }> {
  const number = query.number === undefined ? null : normalisePhone(query.number);
  if (query.number !== undefined && number === null) throw invalid('query.number', 'must be a phone number');
  const { rows, total } = await withForce(deps.db, forceId, (tx) =>
    listSmsOptOutRows(tx, forceId, { phoneNumber: number ?? undefined, limit: query.limit, offset: query.offset }),
  );
  return {
    optOuts: rows.map((row) => ({
      phoneNumber: row.phone_number,
      optedOutAt: row.opted_out_at.toISOString(),
      account: { id: row.channel_account_id, channel: row.channel, label: row.label },
    })),
    total,
    number,
  };
}

/**
 * When each of these numbers (as stored on a person or a case, so written any way) replied STOP,
 * keyed by the number as given; numbers that did not, or are not numbers, are absent.
 */
export async function findSmsOptOutsOf(tx: Tx, forceId: ForceId, phones: readonly (string | null)[]): Promise<Map<string, Date>> {
  const normalised = new Map<string, string>();
  for (const phone of phones) {
    const e164 = phone ? normalisePhone(phone) : null;
    if (phone && e164) normalised.set(phone, e164);
  }
  const times = await findSmsOptOutTimes(tx, forceId, [...normalised.values()]);
  const found = new Map<string, Date>();
  for (const [phone, e164] of normalised) {
    const at = times.get(e164);
    if (at) found.set(phone, at);
  }
  return found;
}
