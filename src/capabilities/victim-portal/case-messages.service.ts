import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import { Announcements } from '../../platform/events/announcements.ts';
import { findContactHandles } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { recordInboundMessages } from '../intake/intake.service.ts';
import { findCaseVictimPerson } from './case-access.service.ts';
import { portalCaseMessageSent } from './victim-portal.events.ts';

/** The channel of the portal: a victim's secure message is public contact on it, like a report. */
const PORTAL_CHANNEL = 'portal';

/**
 * A victim's secure message to the officer, sent from the case page. It goes through intake like
 * any message from the public: a contact on the portal channel (one thread per victim and case, so
 * later messages join it while it is open), triaged and routed to the queue, where staff answer it
 * as they answer any contact. The contact carries the case in its `meta` (`caseId`,
 * `caseReference`), and the case's log gets `portal.case_message_sent` naming the contact, so each
 * side finds the other. The same `submissionId` sends once.
 */
export async function sendCaseMessage(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { caseId: string; personId: string; body: string; submissionId: string; language: string },
): Promise<{ contactId: string; reference: string; isDuplicate: boolean }> {
  return withForce(deps.db, forceId, async (tx) => {
    const victim = await findCaseVictimPerson(tx, forceId, input.caseId, input.personId);
    if (!victim) throw notFound('case');
    const found = await tx.selectFrom('cases').select('reference').where('force_id', '=', forceId).where('id', '=', input.caseId).executeTakeFirstOrThrow();
    // The victim signed in with a code sent to this address (their email, else their phone; those on
    // their victim row first, as an officer corrected them): it is how intake knows them, and where
    // the answer goes, so never a mistyped address the officer has put right.
    const handle = (await findContactHandles(tx, forceId, [input.personId])).get(input.personId);
    const email = victim.own?.email?.trim() || handle?.email;
    const phone = (victim.own?.phone ? normalisePhone(victim.own.phone) : null) ?? handle?.phone;
    const sender = email ? { kind: 'email' as const, value: email } : phone ? { kind: 'phone' as const, value: phone } : null;
    if (!sender) throw notFound('victim address');
    const out = new Announcements();
    const [recorded] = await recordInboundMessages(
      tx,
      forceId,
      deps.clock,
      {
        channel: PORTAL_CHANNEL,
        channelAccountId: null,
        inboundRequestId: null,
        messages: [
          {
            providerMessageId: `case-message:${input.submissionId}`,
            threadKey: `case:${input.caseId}:${input.personId}`,
            sender: { ...sender, displayName: null },
            body: input.body,
            sentAt: deps.clock.now(),
            language: input.language,
            meta: { caseId: input.caseId, caseReference: found.reference, source: 'case-page' },
          },
        ],
      },
      out,
    );
    if (!recorded) throw new Error('intake recorded nothing');
    if (!recorded.result.isDuplicate) {
      out.events.push(
        portalCaseMessageSent.of({
          actor: { type: 'public', id: null },
          subjectId: input.caseId,
          data: { personId: input.personId, contactId: recorded.result.contactId, contactReference: recorded.result.reference, messageId: recorded.messageId },
        }),
      );
    }
    out.flush(tx, forceId, deps.clock);
    return { contactId: recorded.result.contactId, reference: recorded.result.reference, isDuplicate: recorded.result.isDuplicate };
  });
}
