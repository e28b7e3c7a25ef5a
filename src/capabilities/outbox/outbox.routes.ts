import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { withForce } from '../../platform/db/database.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { noContent } from '../../platform/http/responses.ts';
import { conflict } from '../../platform/errors.ts';
import { listLettersToPrint, markLetterPrinted } from './outbox.service.ts';
import { withdrawMessage, type UntrueCheck } from './outbox-withdraw.service.ts';

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

const letterView = z
  .object({
    id: z.string(),
    caseId: z.string().nullable(),
    caseReference: z.string().nullable().describe('The case’s reference, as staff and the victim know it'),
    recipient: z.string().describe('The postal address, as the journey rendered it'),
    subject: z.string(),
    body: z.string(),
    purpose: z.string(),
    createdAt: isoTime,
    doNotPrint: z
      .string()
      .nullable()
      .describe(
        'Why this letter must not be posted: what it tells no longer stands (an appointment moved or cancelled, a hearing moved or ended, its time come) and its withdrawal has not run or was given up. Marking it printed withdraws it instead. Null when it may be posted',
      ),
  })
  .meta({ id: 'LetterToPrint' });

/** The longest reason for withdrawing a message: a sentence or two for the case's record. */
export const WITHDRAW_REASON_MAX = 500;

const withdrawInput = z.strictObject({
  reason: z
    .string('must be the reason')
    .trim()
    .min(1, 'must say why the message is withdrawn')
    .max(WITHDRAW_REASON_MAX, `must be at most ${WITHDRAW_REASON_MAX} characters`)
    .meta({ title: 'Why it is withdrawn' }),
});

const withdrawnView = z
  .object({ id: z.string(), status: z.literal('suppressed'), reason: z.string() })
  .meta({ id: 'WithdrawnMessage' });

/**
 * The print queue: victims' letters wait here until a member of staff prints and posts them. And
 * withdrawing a message before it goes (decision 0074).
 */
export function registerOutboxRoutes(app: FastifyInstance, deps: ServiceDeps & { findUntrue: UntrueCheck }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/outbox/letters',
    permission: 'cases:read',
    audit: 'outbox.letters.list',
    summary: 'Letters waiting to be printed and posted, oldest first',
    tags: ['cases'],
    response: { 200: z.object({ letters: z.array(letterView) }) },
    handler: async ({ staff }) => ({ letters: await withForce(deps.db, staff.forceId, (tx) => listLettersToPrint(tx, staff.forceId, deps.clock, deps.findUntrue)) }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/outbox/letters/:id/printed',
    permission: 'cases:investigate',
    audit: 'outbox.letter.printed',
    summary:
      'Mark a letter printed and posted: it is delivered, and the case timeline shows who sent it. 409 with the reason for a letter whose news no longer stands: it is withdrawn instead and must not be posted',
    tags: ['cases'],
    params: z.object({ id: idField('must be an outbox message id') }),
    response: { 204: noContent },
    handler: async ({ staff, params, reply }) => {
      const printed = await withForce(deps.db, staff.forceId, (tx) => markLetterPrinted(tx, staff.forceId, deps.clock, deps.findUntrue, staff.staffId, params.id));
      // The withdrawal is committed; the member of staff holding the printed letter is told not to post it.
      if (printed.kind === 'withdrawn') throw conflict(`This letter must not be posted: ${printed.reason}. It has been withdrawn.`);
      return reply.status(204).send();
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/outbox/:id/withdraw',
    permission: 'outbox:withdraw',
    audit: 'outbox.withdraw',
    summary:
      'Withdraw a message that has not gone (waiting to be sent, or held), with the reason: it is never sent. 409 with the reason for one sent, delivered, failed, withdrawn already, or being sent at this moment',
    tags: ['cases'],
    params: z.object({ id: idField('must be an outbox message id') }),
    body: withdrawInput,
    response: { 200: z.object({ message: withdrawnView }) },
    handler: async ({ staff, params, body }) => ({
      message: await withForce(deps.db, staff.forceId, (tx) => withdrawMessage(tx, staff.forceId, deps.clock, staff.staffId, params.id, body.reason)),
    }),
  });
}
