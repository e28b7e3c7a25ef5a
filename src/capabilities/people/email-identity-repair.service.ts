import { sql } from 'kysely';
import { withSystem, type Db, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { record } from '../../platform/events/recorder.ts';
import { personLinked } from './people.events.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { convertEmail, lockHandles, normaliseEmail } from './people.service.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// Every email identity is stored as `normaliseEmail` gives it, so that every look-up finds it.
// Migration 0072 rewrote in SQL those it was sure of; this rewrites the rest with the application's
// own conversion, at start (decision 0161), by 0072's rule (decision 0154): the oldest spelling of
// an address in a force takes its form unless the force holds that form already; every other
// spelling stays on its own person, and that person is linked to the holder's, by no member of
// staff, with a reason; nothing is merged or deleted, and a force's rows meet only its own. An
// address whose domain `normaliseEmail` cannot convert is given the form it is looked up by all the
// same (lower-cased and trimmed); one already in that form is left as stored and counted.

/** What the repair did, over every force. */
export type EmailIdentityRepairReport = { rewritten: number; linked: number; leftAsStored: number };

type Stored = { id: string; person_id: string; value: string; created_at: Date };

// The rows that may differ from their normal form: any character but printable lower-case ASCII
// (capitals, spaces, Unicode), or an IDN's A-label, which the conversion checks. An address of
// printable lower-case ASCII alone with no A-label is its own normal form.
const MAY_DIFFER = sql<boolean>`(value ~ '[^!-@[-~]' or value like '%xn--%')`;

/**
 * Rewrites every force's email identities to the form `normaliseEmail` gives, one transaction per
 * force, as system work; safe to run again and on two nodes at once (it takes the handles' locks).
 */
export async function repairEmailIdentities(db: Db, clock: Clock): Promise<EmailIdentityRepairReport> {
  const forces = await withSystem(db, (tx) =>
    tx.selectFrom('identities').select('force_id').distinct().where('kind', '=', 'email').where(MAY_DIFFER).orderBy('force_id').execute(),
  );
  const report: EmailIdentityRepairReport = { rewritten: 0, linked: 0, leftAsStored: 0 };
  for (const { force_id: forceId } of forces) {
    const done = await withSystem(db, (tx) => repairForce(tx, forceId as ForceId, clock));
    report.rewritten += done.rewritten;
    report.linked += done.linked;
    report.leftAsStored += done.leftAsStored;
  }
  return report;
}

function readSpellings(tx: Tx, forceId: ForceId): Promise<Stored[]> {
  return tx
    .selectFrom('identities')
    .select(['id', 'person_id', 'value', 'created_at'])
    .where('force_id', '=', forceId)
    .where('kind', '=', 'email')
    .where(MAY_DIFFER)
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
}

/** The normal forms of these rows' addresses that differ from the address as stored. */
function formsOf(rows: readonly Stored[]): string[] {
  const forms = rows.flatMap((row) => {
    const form = normaliseEmail(row.value);
    return form !== row.value ? [form] : [];
  });
  return [...new Set(forms)];
}

async function repairForce(tx: Tx, forceId: ForceId, clock: Clock): Promise<EmailIdentityRepairReport> {
  const now = clock.now();
  // Read, lock every normal form met, and read again under the locks: a first contact from either
  // spelling, or another node's repair, waits for this transaction or is seen by it.
  const locked = new Set<string>();
  let spellings = await readSpellings(tx, forceId);
  let unlocked = formsOf(spellings);
  while (unlocked.length > 0) {
    await lockHandles(tx, forceId, unlocked.map((value) => ({ kind: 'email', value })));
    for (const form of unlocked) locked.add(form);
    spellings = await readSpellings(tx, forceId);
    unlocked = formsOf(spellings).filter((form) => !locked.has(form));
  }

  let leftAsStored = 0;
  const byForm = new Map<string, Stored[]>();
  for (const row of spellings) {
    // Looked up as `normaliseEmail` gives it, converted or only lower-cased: a domain it cannot
    // convert (a symbol, no domain) is still looked up lower-cased, so is stored so.
    const form = normaliseEmail(row.value);
    if (form !== row.value) byForm.set(form, [...(byForm.get(form) ?? []), row]);
    else if (convertEmail(row.value) === null) leftAsStored += 1;
  }
  if (byForm.size === 0) return { rewritten: 0, linked: 0, leftAsStored };

  const holders = new Map(
    (
      await tx
        .selectFrom('identities')
        .select(['id', 'person_id', 'value'])
        .where('force_id', '=', forceId)
        .where('kind', '=', 'email')
        .where(sql<boolean>`value = any(${[...byForm.keys()]}::text[])`)
        .execute()
    ).map((row) => [row.value, row]),
  );
  const rewrites: { id: string; value: string }[] = [];
  // Each pair of people once (the smaller id first), with the address that links them.
  const pairs = new Map<string, { holder: string; other: string; form: string }>();
  for (const [form, rows] of byForm) {
    let holder = holders.get(form);
    let others = rows;
    if (!holder) {
      const [oldest, ...rest] = rows;
      if (!oldest) continue;
      rewrites.push({ id: oldest.id, value: form });
      holder = oldest;
      others = rest;
    }
    for (const other of others) {
      if (other.person_id === holder.person_id) continue;
      const key = [holder.person_id, other.person_id].sort().join(' ');
      if (!pairs.has(key)) pairs.set(key, { holder: holder.person_id, other: other.person_id, form });
    }
  }

  if (rewrites.length > 0) {
    await sql`update identities set value = v.value
      from unnest(${rewrites.map((r) => r.id)}::uuid[], ${rewrites.map((r) => r.value)}::text[]) as v(id, value)
      where identities.force_id = ${forceId} and identities.id = v.id`.execute(tx);
  }
  const links = await newLinks(tx, forceId, [...pairs.values()]);
  const rows = links.map((pair) => ({
    id: newId(),
    force_id: forceId,
    person_id: pair.holder,
    linked_person_id: pair.other,
    reason: `The same email address: ${pair.form} on this record, written another way on the other (its domain in Unicode, or in capitals). Linked when email addresses were made one form; unlink if they are different people.`,
    linked_by: null,
    linked_at: now,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await tx.insertInto('person_links').values(rows.slice(start, start + 500)).execute();
  }
  // Each link is on the person's timeline as a link made by no member of staff.
  record(
    tx,
    forceId,
    clock,
    ...rows.map((row) =>
      personLinked.of({ actor: { type: 'system', id: null }, subjectId: row.person_id, data: { linkId: row.id, otherPersonId: row.linked_person_id, reason: row.reason } }),
    ),
  );
  return { rewritten: rewrites.length, linked: links.length, leftAsStored };
}

/** The pairs no link joins yet (an operator's, or one made before), in either direction. */
async function newLinks<T extends { holder: string; other: string }>(tx: Tx, forceId: ForceId, pairs: T[]): Promise<T[]> {
  if (pairs.length === 0) return [];
  const people = [...new Set(pairs.flatMap((pair) => [pair.holder, pair.other]))];
  const linked = await tx
    .selectFrom('person_links')
    .select(['person_id', 'linked_person_id'])
    .where('force_id', '=', forceId)
    .where('unlinked_at', 'is', null)
    .where(sql<boolean>`person_id = any(${people}::uuid[])`)
    .execute();
  const joined = new Set(linked.map((link) => [link.person_id, link.linked_person_id].sort().join(' ')));
  return pairs.filter((pair) => !joined.has([pair.holder, pair.other].sort().join(' ')));
}
