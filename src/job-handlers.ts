import type { Logger } from 'pino';
import type { Clock } from './platform/clock.ts';
import type { BatchJobHandler, DeadJobHandler, JobHandler, OutboundBatchJobHandler } from './platform/jobs/jobs.ts';
import type { Mailer, MailerPool } from './platform/mail/mailer.ts';
import type { SecretBox } from './platform/secrets.ts';
import type { OutboundGuard } from './platform/http/outbound-guard.ts';
import type { RefusedReportSink } from './platform/observability/refused-delivery-reports.ts';
import { createReleaseHeldTextsHandler } from './capabilities/outbox/outbox-release.service.ts';
import { createDeliverHandler, createDeliveryGivenUpHandler } from './capabilities/outbox/outbox-delivery.jobs.ts';
import type { UntrueCheck } from './capabilities/outbox/outbox-withdraw.service.ts';
import { DELIVER_JOB, MESSAGE_NOT_SENT_JOB, REACHED_AFTER_ALL_JOB, RELEASE_HELD_TEXTS_JOB } from './capabilities/outbox/outbox.events.ts';
import { createLegacyStepHandler, createMilestoneHandler } from './capabilities/journeys/journey-send.service.ts';
import { JOURNEY_JOB, JOURNEY_MILESTONE_JOB, SMS_OPT_OUT_LIFTED_JOB } from './capabilities/journeys/journey.events.ts';
import { createNotToldAfterAllGivenUpHandler, createNotToldAfterAllHandler } from './capabilities/journeys/not-told-after-all.jobs.ts';
import { createReachedAfterAllHandler } from './capabilities/journeys/reached-after-all.jobs.ts';
import { createSmsOptOutLiftedHandler } from './capabilities/journeys/sms-opt-out-lifted.jobs.ts';
import { createAcknowledgementHandler } from './capabilities/contacts/acknowledgement.service.ts';
import { ACKNOWLEDGE_JOB } from './capabilities/contacts/contact.events.ts';
import { ACKNOWLEDGE_HELD_JOB } from './capabilities/contacts/held-acknowledgements.events.ts';
import { createAcknowledgeHeldHandler } from './capabilities/contacts/held-acknowledgements.service.ts';
import { createChannelSendGivenUpHandler, createChannelSendHandler } from './capabilities/channels/outbound.service.ts';
import { ATTACHMENT_FETCH_JOB, CHANNEL_SEND_JOB } from './capabilities/channels/channel.events.ts';
import { createAttachmentFetchHandler, createAttachmentGivenUpHandler } from './capabilities/channels/attachments.service.ts';
import { THRIVE_REVIEW_JOB } from './capabilities/thrive/thrive.events.ts';
import { createThriveReviewHandler } from './capabilities/thrive/thrive.jobs.ts';
import { SLA_CHECK_JOB } from './capabilities/queue/queue.events.ts';
import { createSlaCheckHandler } from './capabilities/queue/sla.service.ts';
import { RESPONSE_CLOCK_CHECK_JOB } from './capabilities/incidents/response-clocks.events.ts';
import { createResponseClockCheckHandler } from './capabilities/incidents/response-clocks.service.ts';
import { VICTIM_UPDATES_OPEN_JOB, VICTIM_UPDATES_SWEEP_JOB } from './capabilities/cases/victims-code.events.ts';
import { createVictimUpdatesOpenHandler, createVictimUpdatesSweepHandler } from './capabilities/cases/victim-updates.jobs.ts';
import { ONLINE_REPORT_CLOCK_JOB, ONLINE_REPORT_DRAFT_JOB } from './capabilities/cases/online-report.events.ts';
import { APPOINTMENT_REMINDERS_JOB, REMINDERS_WITHDRAWAL_JOB } from './capabilities/cases/case.events.ts';
import { createRemindersWithdrawalHandler } from './capabilities/cases/appointment-reminders.jobs.ts';
import type { ReminderRules } from './capabilities/cases/appointment-reminders.schema.ts';
import { createOnlineReportClockHandler, createOnlineReportDraftHandler } from './capabilities/cases/online-reports.jobs.ts';
import type { OnlineReportLookups } from './capabilities/cases/online-report-lookups.repository.ts';

/**
 * Job types whose handlers call providers, mail servers and download hosts: they wait on the
 * network, so they run in the job runner's outbound lane, where slow ones never hold up
 * acknowledgements, drafts and clocks (decision 0050).
 */
export const OUTBOUND_JOB_TYPES: readonly string[] = [CHANNEL_SEND_JOB, ATTACHMENT_FETCH_JOB, DELIVER_JOB];

/** The most jobs of a database-only handler run in one transaction. */
const SHARED_TRANSACTION_BATCH = 50;

export type JobHandlerDeps = {
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  mailers: MailerPool;
  mailer: Mailer | null;
  mailFrom: string;
  outbound: OutboundGuard;
  fetcher: typeof fetch;
  reminderRules: ReminderRules;
  findUntrue: UntrueCheck;
  onlineReportLookups: OnlineReportLookups;
  /** The service's public address (PUBLIC_URL), where providers report on what we send (decision 0184). */
  publicUrl: string | undefined;
  /** Where delivery reports the account check refused are counted and logged (decision 0204). */
  refusedReports: RefusedReportSink | undefined;
};

/**
 * What each job type the capabilities enqueue runs, as the composition root hands them to the job
 * runner: one at a time, many to a transaction, and when a job is given up.
 */
export function capabilityJobHandlers(deps: JobHandlerDeps) {
  const { clock, logger, secrets, mailers, outbound, fetcher, reminderRules, findUntrue, publicUrl, refusedReports } = deps;
  const handlers: [string, JobHandler][] = [
    [JOURNEY_MILESTONE_JOB, createMilestoneHandler({ clock })],
    [JOURNEY_JOB, createLegacyStepHandler({ clock })],
    [SMS_OPT_OUT_LIFTED_JOB, createSmsOptOutLiftedHandler({ clock })],
    // A message about a case that did not reach its person after all: the journeys decide again what they held back for it (decision 0152).
    [MESSAGE_NOT_SENT_JOB, createNotToldAfterAllHandler({ clock })],
    // A message thought lost that reached its person after all: a note on its case (decision 0173).
    [REACHED_AFTER_ALL_JOB, createReachedAfterAllHandler({ clock })],
    [THRIVE_REVIEW_JOB, createThriveReviewHandler({ clock })],
    [REMINDERS_WITHDRAWAL_JOB, createRemindersWithdrawalHandler({ clock, reminders: reminderRules })],
    [APPOINTMENT_REMINDERS_JOB, createRemindersWithdrawalHandler({ clock, reminders: reminderRules })],
    [VICTIM_UPDATES_SWEEP_JOB, createVictimUpdatesSweepHandler({ clock, logger })],
    [ATTACHMENT_FETCH_JOB, createAttachmentFetchHandler({ clock, secrets, logger, fetcher })],
    [RELEASE_HELD_TEXTS_JOB, createReleaseHeldTextsHandler({ clock })],
    // Portal reports the allowance held back, acknowledged when it rises or their address is trusted (decision 0171).
    [ACKNOWLEDGE_HELD_JOB, createAcknowledgeHeldHandler({ clock })],
    [CHANNEL_SEND_JOB, createChannelSendHandler({ clock, secrets, mailers, outbound, fetcher, publicUrl, refusedReports })],
  ];
  // Jobs that follow every portal report, run many to a transaction (decision 0040); outbox
  // messages read and recorded many to a transaction and sent outside one (decision 0043).
  const batchHandlers: [string, BatchJobHandler | OutboundBatchJobHandler][] = [
    [ONLINE_REPORT_DRAFT_JOB, createOnlineReportDraftHandler({ clock, lookups: deps.onlineReportLookups })],
    [ACKNOWLEDGE_JOB, createAcknowledgementHandler({ clock, maxBatch: SHARED_TRANSACTION_BATCH })],
    [VICTIM_UPDATES_OPEN_JOB, createVictimUpdatesOpenHandler({ clock, maxBatch: SHARED_TRANSACTION_BATCH })],
    // The clocks every contact and online report leaves behind, checked as they fall due.
    [SLA_CHECK_JOB, createSlaCheckHandler({ clock, maxBatch: SHARED_TRANSACTION_BATCH })],
    [ONLINE_REPORT_CLOCK_JOB, createOnlineReportClockHandler({ clock, maxBatch: SHARED_TRANSACTION_BATCH })],
    [RESPONSE_CLOCK_CHECK_JOB, createResponseClockCheckHandler({ clock, maxBatch: SHARED_TRANSACTION_BATCH })],
    [DELIVER_JOB, createDeliverHandler({ clock, mailer: deps.mailer, mailFrom: deps.mailFrom, secrets, mailers, fetcher, findUntrue, logger, publicUrl, refusedReports })],
  ];
  // A download given up for a failure not its own is refused, for staff to try again (decision 0111).
  // An outbox message or a reply whose sending was given up so is failed, in staff's words (decision 0116).
  const deadHandlers = new Map<string, DeadJobHandler>([
    [ATTACHMENT_FETCH_JOB, createAttachmentGivenUpHandler({ clock })],
    [DELIVER_JOB, createDeliveryGivenUpHandler({ clock, findUntrue })],
    [CHANNEL_SEND_JOB, createChannelSendGivenUpHandler({ clock })],
    // A victim added again whom a message not sent after all left undecided is named on the case (decision 0160).
    [MESSAGE_NOT_SENT_JOB, createNotToldAfterAllGivenUpHandler({ clock })],
  ]);
  return { handlers, batchHandlers, deadHandlers };
}
