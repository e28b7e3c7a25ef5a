import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { invalid } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { EMAIL_ADDRESS_REASONS, parseEmailAddress } from '../../platform/email-address.ts';
import { normaliseEmail } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { ACKNOWLEDGEMENT_ALLOWANCE, TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE, type AcknowledgementAllowance, type TrustedAddressView } from './acknowledgement-allowance.schema.ts';
import { moveTrustedAddress } from './trusted-address.machine.ts';
import { trustedAddressAdded, trustedAddressRemoved } from './trusted-address.events.ts';
import { deleteTrustedAddress, findTrustedAmong, insertTrustedAddress, listTrustedAddressRows, readForceSettings } from './trusted-addresses.repository.ts';

// The force's allowance of portal acknowledgements per address, and its trusted reporting
// addresses (decision 0166): a charity, a school's safeguarding lead or a housing association
// reporting for others gives one address for many reports a day, and needs each reference.

/** A stored setting if it is a whole number within bounds (a force that set none has the default). */
function settingOf(stored: unknown, bounds: { default: number; min: number; max: number }): number {
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= bounds.min && stored <= bounds.max ? stored : bounds.default;
}

/** The allowances these settings give: a trusted address is never sent fewer than any other. */
export function acknowledgementAllowanceOf(settings: { [key: string]: unknown }): AcknowledgementAllowance {
  const perAddress = settingOf(settings.acknowledgementsPerAddress, ACKNOWLEDGEMENT_ALLOWANCE);
  const trusted = settingOf(settings.trustedAcknowledgementsPerAddress, TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE);
  return { perAddress, trustedPerAddress: Math.max(perAddress, trusted) };
}

/**
 * The allowance of each of these addresses in the force, by the address in lower case (as the
 * sends are counted): the force's own, higher for those it trusts. Read in the batch's
 * transaction, so a change an admin commits applies to the next batch.
 */
export async function acknowledgementAllowancesOf(tx: Tx, forceId: ForceId, recipients: readonly string[]): Promise<(recipient: string) => number> {
  const allowance = acknowledgementAllowanceOf(await readForceSettings(tx, forceId));
  const trusted = await findTrustedAmong(tx, forceId, recipients.map(normaliseEmail));
  return (recipient) => (trusted.has(normaliseEmail(recipient)) ? allowance.trustedPerAddress : allowance.perAddress);
}

/** A page of the force's trusted addresses, newest first, with the allowances in force. */
export async function listTrustedAddresses(
  deps: ServiceDeps,
  forceId: ForceId,
  page: { limit: number; offset: number },
): Promise<{ addresses: TrustedAddressView[]; total: number; allowance: AcknowledgementAllowance }> {
  return withForce(deps.db, forceId, async (tx) => {
    const { rows, total } = await listTrustedAddressRows(tx, forceId, page);
    return { addresses: rows.map(viewOf), total, allowance: acknowledgementAllowanceOf(await readForceSettings(tx, forceId)) };
  });
}

/**
 * A force admin trusts an address. Adding one trusted already changes nothing and records
 * nothing: the answer is the address as it stands, with `added` false.
 */
export async function addTrustedAddress(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, written: string): Promise<{ address: TrustedAddressView; added: boolean }> {
  const address = trustedAddressOf(written);
  return withForce(deps.db, forceId, async (tx) => {
    const id = newId();
    const added = await insertTrustedAddress(tx, forceId, { id, address, staffId, at: deps.clock.now() });
    if (added) {
      moveTrustedAddress('not_trusted', 'add');
      record(tx, forceId, deps.clock, trustedAddressAdded.of({ actor: { type: 'staff', id: staffId }, subjectId: id, data: { domain: domainOf(address) } }));
    }
    const { rows } = await listTrustedAddressRows(tx, forceId, { address, limit: 1, offset: 0 });
    const [row] = rows;
    if (!row) throw new Error('a trusted address just stored was not found');
    return { address: viewOf(row), added };
  });
}

/** A force admin stops trusting an address. Refused (409) when the force does not trust it. */
export async function removeTrustedAddress(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, written: string): Promise<{ address: string; removedAt: string }> {
  const address = trustedAddressOf(written);
  const at = deps.clock.now();
  await withForce(deps.db, forceId, async (tx) => {
    const id = await deleteTrustedAddress(tx, forceId, address);
    moveTrustedAddress(id === undefined ? 'not_trusted' : 'trusted', 'remove');
    if (id !== undefined) record(tx, forceId, deps.clock, trustedAddressRemoved.of({ actor: { type: 'staff', id: staffId }, subjectId: id, data: { domain: domainOf(address) } }));
  });
  return { address, removedAt: at.toISOString() };
}

/**
 * An address as written by an admin, in the form acknowledgements are counted in, or a 400 on
 * `body.address` saying why. A phone number is refused in words of its own: the portal
 * acknowledges by email only, so a number would be trusted with nothing.
 */
function trustedAddressOf(written: string): string {
  const parsed = parseEmailAddress(written);
  if (parsed.ok) return normaliseEmail(parsed.address);
  if (!written.includes('@') && normalisePhone(written) !== null) {
    throw invalid('body.address', 'must be an email address: online reports are acknowledged by email only, so a phone number is never sent one');
  }
  throw invalid('body.address', EMAIL_ADDRESS_REASONS[parsed.problem]);
}

/** The domain of a normalised address: what its events name of it, the log holding no address (decision 0077). */
function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

function viewOf(row: { id: string; address: string; added_at: Date; added_by: string; added_by_name: string }): TrustedAddressView {
  return { id: row.id, address: row.address, addedAt: row.added_at.toISOString(), addedBy: { id: row.added_by, name: row.added_by_name } };
}
