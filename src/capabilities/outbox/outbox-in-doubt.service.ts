// What a delivery run does with a message another run took to send and never recorded (decision
// 0163): that run's lease ran out, or its record was lost, so its send may have reached the
// provider. Where the provider can say (GOV.UK Notify) it is asked; where a repeat is harmless
// (the portal, a letter, SMTP with the same Message-ID) the message is sent again. Where neither
// holds (Twilio), the message's kind decides: one a victim must have even if twice is sent again;
// any other is failed with this reason for staff, who can check and send it again.

/**
 * The kinds of message a victim must get even at the cost of getting it twice: a date they must
 * keep (court, an appointment made, moved or cancelled, its reminder), a suspect back in the
 * community or charged (what they may need to act on for their safety), and the code they asked
 * for to see their report. Told twice is an annoyance; not told can mean a missed hearing or a
 * victim unaware that the suspect is out.
 */
const AT_LEAST_ONCE = new Set([
  'journey:case.court_date_set',
  'journey:case.court_date.reminder',
  'journey:case.appointment_made',
  'journey:case.appointment_changed',
  'journey:case.appointment_cancelled',
  'journey:appointment.reminder',
  'journey:case.released_under_investigation',
  'journey:case.bailed',
  'journey:case.suspect_no_further_action',
  'journey:case.charged',
  'portal.access_code',
]);

/** Whether a message of this purpose is sent again when whether it went is unknown (at least once), rather than left to staff (at most once). */
export function isSentAtLeastOnce(purpose: string): boolean {
  return AT_LEAST_ONCE.has(purpose);
}

/** Why a message whose send may have gone was failed rather than sent again: what staff read among the failed messages. */
export function outcomeUnknownReason(channel: string, provider: string): string {
  return (
    `${channel}: outcome unknown: a delivery stopped while handing this message to ${provider}, which cannot tell us whether it went. ` +
    'It was not sent again, so the person is not sent it twice. Check with them (or the provider’s records) before sending it again.'
  );
}

/** Why a run leaves a message another run is sending now (its job still at work): its job tries again later. */
export const BEING_SENT_BY_ANOTHER_RUN = 'another delivery run is sending the message now: tried again later';
