import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { inReferenceOrder } from '../../platform/references.ts';

// Portal reports held back by the acknowledgement allowance (decisions 0162, 0171).

/**
 * The force's portal reports received since `since` that gave an email address and were never
 * acknowledged, and that their address's allowance now lets through, oldest first, at most
 * `limit` (reports of one time in the order they were numbered, decision 0157): each address's
 * held reports in the order they came, as many as its allowance less what
 * it was sent since `since` (the count `withinAllowance` makes). Case messages and reports a
 * machine sent are never acknowledged, so never held. With `address`, only that address's.
 * A first reading, outside the addresses' locks: the acknowledgement counts again under them.
 */
export async function findHeldAcknowledgements(
  tx: Tx,
  forceId: ForceId,
  scope: { since: Date; address?: string; perAddress: number; trustedPerAddress: number; limit: number },
): Promise<string[]> {
  const address = sql<string>`lower(c.meta->'sender'->>'value')`;
  const { rows } = await sql<{ id: string }>`
    with held as (
      select c.id, c.received_at, c.reference, ${address} as address,
             row_number() over (partition by ${address} order by c.received_at, ${inReferenceOrder('c.reference')}) as place
        from contacts c
       where c.force_id = ${forceId}
         and c.channel = 'portal'
         and c.received_at >= ${scope.since}
         and c.meta->'sender'->>'kind' = 'email'
         and coalesce(c.meta->>'source', '') <> 'case-page'
         and coalesce(c.meta->>'isAutomatic', '') <> 'true'
         ${scope.address === undefined ? sql`` : sql`and ${address} = ${scope.address.toLowerCase()}`}
         and not exists (
           select 1 from events e
            where e.force_id = c.force_id and e.subject_type = 'contact' and e.subject_id = c.id::text and e.type = 'contact.acknowledged')
    )
    select h.id
      from held h
      left join acknowledgement_trusted_addresses t on t.force_id = ${forceId} and t.address = h.address
     where h.place + (
             select count(*) from outbox o
              where o.force_id = ${forceId} and o.purpose = 'acknowledgement' and lower(o.recipient) = h.address and o.created_at >= ${scope.since})
           <= case when t.id is null then ${scope.perAddress}::int else ${scope.trustedPerAddress}::int end
     order by h.received_at, ${inReferenceOrder('h.reference')}
     limit ${scope.limit}`.execute(tx);
  return rows.map((row) => row.id);
}
