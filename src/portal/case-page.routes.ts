import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { htmlPage, redirect, textBody } from '../platform/http/responses.ts';
import { isId } from '../platform/ids.ts';
import { getVictimCase, findVictimAppointment, type VictimCase, type VictimUpdate } from '../capabilities/victim-portal/victim-case.service.ts';
import { sendCaseMessage } from '../capabilities/victim-portal/case-messages.service.ts';
import { answerSatisfactionSurvey } from '../capabilities/victim-portal/satisfaction.service.ts';
import { endCaseSignIn } from '../capabilities/victim-portal/case-access.service.ts';
import { getOwnPreferences, setOwnPreferences } from '../capabilities/journeys/preferences.service.ts';
import { appointmentCalendar } from './icalendar.ts';
import { format, formatDate, formatDateTime, messagesFor, type Locale, type Messages } from './i18n.ts';
import { caseMessageForm, describeErrors, formBody, langQuery, parseForm, postedSubmissionId, preferencesForm, surveyForm, typedValues, type FieldErrors } from './forms.ts';
import { PORTAL_COOKIES, clearCookie, decodeCaseAccess } from './security.ts';
import { registerSignOut } from './sign-out.ts';
import { localeOf, type PortalDeps } from './portal-pages.ts';
import { FORM_LIMIT, formPost, guarded, type Page, type PortalKit } from './portal-kit.ts';
import type { CaseForm } from './held-message.ts';
import { hasVisibleText } from '../platform/visible-text.ts';
import { createCaseSessions, removedFromCase, type CaseSession } from './case-session.ts';

/**
 * `?lang=` and the note of what just happened (named twice, no note: the page, not an error):
 * `message` a message sent, `preferences` saved, `held` a message written before signing in again
 * now sent, `held-lost` one that could not be (it did not open or ran out), `held-elsewhere` one
 * written on another case's page or by another victim (decision 0142).
 */
const casePageQuery = z.object({ lang: z.union([z.string(), z.array(z.string())]).optional(), sent: z.union([z.string(), z.array(z.string())]).optional() });

/** What the case page says of a held message, by the `sent` note that names it. */
type HeldNotice = 'sent' | 'lost' | 'elsewhere' | 'check';
const HELD_NOTICES: Record<string, HeldNotice> = { held: 'sent', 'held-lost': 'lost', 'held-elsewhere': 'elsewhere' };

/**
 * The victim's case page, for the one case and the one victim a right code opened (the signed
 * `bl_case` cookie); no address names a case, so no other case can be reached from it. It shows
 * the updates in plain words, how to reach the officer, appointments with a calendar file each, a
 * form to send the officer a secure message, at closure the satisfaction question, and a button
 * to sign out (decision 0170).
 */
export function registerCasePage(deps: PortalDeps, kit: PortalKit) {
  const { page, send, portalRoute, secure, held } = kit;
  // Every request's sign-in is checked against the case: a victim taken off it loses the page at once (decision 0155).
  const { caseSession, toReferenceForm, isFormCurrent, sendRemoved } = createCaseSessions(deps, kit);

  type CaseExtra = { sent?: boolean; preferencesSaved?: boolean; heldNotice?: HeldNotice; values?: Record<string, string>; errors?: FieldErrors };
  /** The case page; `signedIn` is the access a right code has just granted, whose cookie this request does not carry yet. */
  async function renderCase(request: FastifyRequest, reply: FastifyReply, status: number, extra: CaseExtra = {}, signedIn?: CaseSession) {
    const p = await page(request, reply, { csrf: true });
    const access = signedIn ?? (await caseSession(request, reply, p));
    if (access === 'removed') return sendRemoved(reply, p, extra.values?.message);
    if (access === null || access === 'ended') return toReferenceForm(reply, access);
    const view = await getVictimCase(deps, p.force.id, access.caseId, access.personId, p.locale);
    if (!view) {
      clearCookie(reply, PORTAL_COOKIES.caseAccess, secure);
      return reply.redirect('/check', 303);
    }
    const errors = extra.errors ?? {};
    return send(reply, status, 'case.njk', {
      ...p,
      title: p.t.casePage.title,
      caseView: describeCase(view, p),
      sent: extra.sent === true,
      heldNotice: extra.heldNotice ?? null,
      submissionId: randomUUID(),
      // Good while this sign-in lasts and the half hour a message written on it is held after (decision 0146).
      caseToken: held.caseFormToken(access, access.expiresAt),
      values: extra.values ?? {},
      ...describeErrors(errors, p.t, ['message', 'score']),
      preferencesHref: '/check/case/preferences',
      preferencesSaved: extra.preferencesSaved === true,
    });
  }

  portalRoute({
    method: 'GET',
    url: '/check/case',
    audit: 'portal.case.view',
    summary: "Shows a victim their case: updates, the officer's contact route, appointments, secure messages",
    query: casePageQuery,
    response: { ...guarded('The case page', 'To the reference form, when access has ended'), ...removedFromCase },
    handler: async ({ request, reply, query }) =>
      renderCase(request, reply, 200, {
        sent: query.sent === 'message',
        preferencesSaved: query.sent === 'preferences',
        ...(typeof query.sent === 'string' && Object.hasOwn(HELD_NOTICES, query.sent) ? { heldNotice: HELD_NOTICES[query.sent] } : {}),
      }),
  });

  /** The preferences form, filled with what is stored (or what was just sent back with a mistake). */
  async function renderPreferences(request: FastifyRequest, reply: FastifyReply, status: number, extra: { chosen?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const p = await page(request, reply, { csrf: true });
    const access = await caseSession(request, reply, p);
    if (access === 'removed') return sendRemoved(reply, p);
    if (access === null || access === 'ended') return toReferenceForm(reply, access);
    const current = await getOwnPreferences(deps, p.force.id, access.caseId, access.personId);
    if (!current) {
      clearCookie(reply, PORTAL_COOKIES.caseAccess, secure);
      return reply.redirect('/check', 303);
    }
    return send(reply, status, 'preferences.njk', {
      ...p,
      title: p.t.casePage.preferencesTitle,
      backLink: '/check/case',
      chosen: extra.chosen ?? { ...current, language: current.language ?? p.locale },
      locked: current.domesticAbuse && (current.portalOnly || current.neverSms),
      ...describeErrors(extra.errors ?? {}, p.t, ['channels', 'language', 'limits']),
    });
  }

  portalRoute({
    method: 'GET',
    url: '/check/case/preferences',
    audit: 'portal.case.preferences',
    summary: 'Shows the victim how we contact them about their case, to change',
    query: langQuery,
    response: { ...guarded('The contact preferences form', 'To the reference form, when access has ended'), ...removedFromCase },
    handler: async ({ request, reply }) => renderPreferences(request, reply, 200),
  });

  portalRoute({
    method: 'POST',
    url: '/check/case/preferences',
    audit: 'portal.case.preferences_change',
    summary: "Changes the victim's own contact preferences (channels, language, portal only, never SMS, statutory updates only)",
    body: formBody,
    bodyLimit: FORM_LIMIT,
    response: { ...formPost('To the case page, saying the preferences are saved'), ...removedFromCase },
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply);
      const access = await caseSession(request, reply, p);
      if (access === 'removed') return sendRemoved(reply, p);
      if (access === null || access === 'ended') return toReferenceForm(reply, access);
      const parsed = parseForm(preferencesForm, body, messagesFor(localeOf(request)));
      if (!parsed.ok) {
        const list = (name: string) => (Array.isArray(body[name]) ? body[name] : typeof body[name] === 'string' ? [body[name]] : []);
        const limits = list('limits');
        const chosen = { channels: list('channels'), language: typeof body.language === 'string' ? body.language : '', portalOnly: limits.includes('portalOnly'), neverSms: limits.includes('neverSms'), optOutNonStatutory: limits.includes('optOutNonStatutory') };
        return renderPreferences(request, reply, 400, { chosen, errors: parsed.errors });
      }
      const saved = await setOwnPreferences(deps, p.force.id, access.caseId, access.personId, parsed.data);
      if (!saved) return reply.redirect('/check', 303);
      return reply.redirect('/check/case?sent=preferences#preferences', 303);
    },
  });

  portalRoute({
    method: 'POST',
    url: '/check/case/message',
    audit: 'portal.case.message',
    summary: 'Sends the officer in case a secure message: a contact in the queue, linked to the case',
    body: formBody,
    bodyLimit: 96 * 1024,
    response: {
      ...formPost('To the case page, showing the message as sent (or to the reference form, when access has ended and nothing was written)'),
      200: htmlPage('The reference form, carrying the message sealed, when access has ended'),
      ...removedFromCase,
    },
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply, { csrf: true });
      const session = await caseSession(request, reply, p);
      // Taken off the case since signing in: nothing is sent or held; the words are given back (decision 0155).
      if (session === 'removed') return sendRemoved(reply, p, body.message);
      // Signed in to the case again, or signed out, since (decisions 0158, 0170): held for signing in, as after the half hour, saying why.
      const access = session === 'ended' ? null : session;
      // The words go at once only when the sign-in holds and the page they were written on is this
      // sign-in's case and victim, and has not run out. A post with no case form (or one not ours) is
      // the sign-in's alone, as before the form was sealed (decision 0146).
      const form = held.formOf(body.caseToken, deps.clock.now());
      if (!access || (form && (form.hasExpired || form.caseId !== access.caseId || form.personId !== access.personId))) {
        return holdForSigningIn(request, reply, p, body, form, access !== null, session === 'ended');
      }
      // A page shown under a victim row since taken off the case is not this sign-in's, though the
      // victim was added again and signed in afresh: its words go back in the box, not sent (decision 0155).
      if (form && !(await isFormCurrent(p, form))) {
        return renderCase(request, reply, 400, { values: typedValues(body, ['message']), errors: { message: 'messageFromEarlierAccess' } });
      }
      const t = messagesFor(localeOf(request));
      const parsed = parseForm(caseMessageForm, body, t);
      if (!parsed.ok) return renderCase(request, reply, 400, { values: typedValues(body, ['message']), errors: parsed.errors });
      // Stored under an id made here, the same post sent again would reach the officer twice: it
      // goes back with the words kept and a fresh id, to be sent once from there (decision 0119).
      const submissionId = postedSubmissionId(body);
      if (!submissionId) return renderCase(request, reply, 400, { values: typedValues(body, ['message']), errors: { message: 'messageResend' } });
      await sendCaseMessage(deps, p.force.id, { caseId: access.caseId, personId: access.personId, body: parsed.data.message, submissionId, language: p.locale });
      return reply.redirect('/check/case?sent=message#messages', 303);
    },
  });

  /**
   * A message the sign-in cannot send: the reference form again, saying why, with the words sealed
   * for the case and victim of the page they were written on, in a hidden field, sent once the
   * victim signs in to that case again (decision 0142). Written on a page that had run out, they
   * are kept the same way but shown to check and send, never sent by themselves; with nothing
   * written, or no case form behind them, the reference form as before, holding nothing (decision
   * 0146). Written on a page whose victim row has been taken off the case since, nothing is held:
   * the page says so and gives the words back (decision 0155).
   */
  async function holdForSigningIn(request: FastifyRequest, reply: FastifyReply, p: Page, body: Record<string, unknown>, form: CaseForm | null, isSignedInElsewhere: boolean, isSignInEnded = false) {
    const typed = typeof body.message === 'string' ? body.message : '';
    if (!form || !hasVisibleText(typed)) return reply.redirect('/check', 303);
    if (!(await isFormCurrent(p, form))) return sendRemoved(reply, p, typed);
    const bound = { caseId: form.caseId, personId: form.personId, victimRowId: form.grant?.victimRowId };
    const sealed = held.hold(bound, typed, postedSubmissionId(body), deps.clock.now(), form.hasExpired);
    const notice = form.hasExpired ? p.t.check.heldExpired : isSignedInElsewhere ? p.t.check.heldOtherCase : isSignInEnded ? p.t.check.heldEnded : p.t.check.heldNotice;
    return send(reply, 200, 'check.njk', {
      ...p,
      title: p.t.check.title,
      backLink: '/',
      values: {},
      fieldErrors: {},
      heldMessage: sealed,
      heldNotice: sealed ? notice : p.t.check.heldTooLong,
    });
  }

  /**
   * After a right code for the case: the message held from before, sent when it opens, has not run
   * out and was written on this case's page by this victim; shown in the box to check when it
   * cannot be sent as it is; never shown or sent on any other case (decision 0142).
   */
  async function deliverHeldMessage(request: FastifyRequest, reply: FastifyReply, signedIn: CaseSession, sealed: string) {
    const message = held.release(sealed, deps.clock.now());
    if (!message) return reply.redirect('/check/case?sent=held-lost#messages', 303);
    // Written on another case's page: the page says only that, nothing of which case it was.
    if (message.caseId !== signedIn.caseId || message.personId !== signedIn.personId) return reply.redirect('/check/case?sent=held-elsewhere#messages', 303);
    const parsed = parseForm(caseMessageForm, { message: message.message }, messagesFor(localeOf(request)));
    // Without its form's submission id it cannot be told from the same post sent twice (decision 0119);
    // written on a page that had run out, or under a victim row other than this sign-in's (taken off
    // the case and added again since), it is the victim's to check and send (decisions 0146, 0155).
    if (!parsed.ok || !message.submissionId || message.toCheck || message.victimRowId !== signedIn.victimRowId) {
      return renderCase(request, reply, 400, { heldNotice: 'check', values: { message: message.message }, errors: parsed.ok ? { message: 'messageResend' } : parsed.errors }, signedIn);
    }
    const p = await page(request, reply);
    await sendCaseMessage(deps, p.force.id, { caseId: signedIn.caseId, personId: signedIn.personId, body: parsed.data.message, submissionId: message.submissionId, language: p.locale });
    return reply.redirect('/check/case?sent=held#messages', 303);
  }

  portalRoute({
    method: 'POST',
    url: '/check/case/survey',
    audit: 'portal.case.survey',
    summary: 'Records the victim’s answer to the closure survey, once',
    body: formBody,
    bodyLimit: FORM_LIMIT,
    response: { ...formPost('To the case page, thanking the victim'), ...removedFromCase },
    handler: async ({ request, reply, body }) => {
      const p = await page(request, reply);
      const access = await caseSession(request, reply, p);
      if (access === 'removed') return sendRemoved(reply, p);
      if (access === null || access === 'ended') return toReferenceForm(reply, access);
      const parsed = parseForm(surveyForm, body, messagesFor(localeOf(request)));
      if (!parsed.ok) return renderCase(request, reply, 400, { errors: parsed.errors });
      // A second answer, or one for a case not closed, changes nothing: the page shows where things stand.
      await answerSatisfactionSurvey(deps, p.force.id, access.caseId, access.personId, parsed.data.score);
      return reply.redirect('/check/case#survey', 303);
    },
  });

  portalRoute({
    method: 'GET',
    url: '/check/case/appointment.ics',
    audit: 'portal.case.appointment_calendar',
    summary: 'One appointment of the case as an iCalendar file',
    query: z.object({ id: z.string().max(40), lang: z.union([z.string(), z.array(z.string())]).optional() }),
    response: { 200: textBody('text/calendar', 'The appointment (RFC 5545)'), 303: redirect('To the reference form, when access has ended'), ...removedFromCase },
    handler: async ({ request, reply, query }) => {
      const p = await page(request, reply);
      const access = await caseSession(request, reply, p);
      if (access === 'removed') return sendRemoved(reply, p);
      if (access === null || access === 'ended') return toReferenceForm(reply, access);
      const found = isId(query.id) ? await findVictimAppointment(deps, p.force.id, access.caseId, access.personId, query.id, p.locale) : null;
      if (!found?.appointment.at) {
        throw new AppError('not_found', 'no such appointment on this case', { publicMessage: p.t.errorPages.notFoundTitle });
      }
      const values = { reference: found.reference, force: found.forceName };
      const file = appointmentCalendar({
        uid: `appointment-${found.appointment.id}@bluelamp`,
        stamp: deps.clock.now(),
        start: found.appointment.at,
        isDateOnly: found.appointment.isDateOnly,
        sequence: found.appointment.sequence,
        summary: format(p.t.casePage.calendarSummary, values),
        location: found.appointment.place,
        description: format(p.t.casePage.calendarDescription, values),
      });
      return reply
        .status(200)
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="appointment.ics"')
        .type('text/calendar; charset=utf-8')
        .send(file);
    },
  });

  // Ends the sign-in on the server, so no copy of its cookie opens the case again (decision 0170).
  registerSignOut(deps, kit, {
    url: '/check/case/sign-out',
    audit: 'portal.case.sign_out',
    summary: 'Ends the victim’s sign-in to their case, on this device and any copy of its cookie',
    cookie: PORTAL_COOKIES.caseAccess,
    read: decodeCaseAccess,
    end: (forceId, access) => endCaseSignIn(deps, forceId, access, 'signed_out'),
    notes: { signedOut: 'case', ended: 'case-ended' },
  });

  return { deliverHeldMessage };
}

/** What the case page lends the sign-in pages: sending a message held across signing in again. */
export type CasePageHooks = ReturnType<typeof registerCasePage>;

const STATUS_KEYS = {
  recorded: 'statusRecorded',
  allocated: 'statusAllocated',
  under_investigation: 'statusUnderInvestigation',
  charged: 'statusCharged',
  closed: 'statusClosed',
} as const;

const APPOINTMENT_KEYS = { booked: 'appointmentBooked', changed: 'appointmentChanged', cancelled: 'appointmentCancelled' } as const;

/** When a milestone's hearing or appointment is: its day alone when its time is not known (decisions 0070, 0077). */
function when(locale: Locale, iso: string | undefined, isDateOnly = false): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return isDateOnly ? formatDate(locale, at) : formatDateTime(locale, at);
}

/** A milestone's title in the reader's words: the event type names the sentence; an unknown type says nothing. */
function milestoneTitle(t: Messages, type: string): string | null {
  const key = type.replace(/^case\./, '');
  const titles: Record<string, string> = t.milestones;
  return Object.hasOwn(titles, key) ? (titles[key] ?? null) : null;
}

/** The case as the page shows it: every string worded for the reader, all of it plain text. */
function describeCase(view: VictimCase, p: Page) {
  const t = p.t.casePage;
  const outcomeLabel = view.outcome ? (p.locale === 'cy' ? view.outcome.labelCy : view.outcome.label) : null;
  const route = (p.locale === 'cy' ? view.contactRoute.cy : view.contactRoute.en) ?? view.contactRoute.en ?? t.contactRouteDefault;
  const describeUpdate = (update: VictimUpdate) => {
    // A message the victim sent shows when they sent it, where believed; anything else when it was made (decision 0180).
    const shownAt = update.kind === 'sent' ? (update.sentAt ?? update.at) : update.at;
    const base = { when: formatDateTime(p.locale, shownAt), isoTime: shownAt.toISOString() };
    switch (update.kind) {
      case 'milestone': {
        const title = milestoneTitle(p.t, update.type);
        if (!title) return null;
        const d = update.details;
        const lines = [
          ...(when(p.locale, d.at) ? [format(t.detailWhen, { when: when(p.locale, d.at, d.isDateOnly === 'true') ?? '' })] : []),
          ...(d.place ? [format(t.detailWhere, { place: d.place })] : []),
          ...(d.outcomeCode ? [format(t.detailOutcome, { outcome: d.outcomeCode === view.outcome?.code ? (outcomeLabel ?? d.outcomeCode) : d.outcomeCode })] : []),
          ...(d.reason ? [format(t.detailReason, { reason: (p.locale === 'cy' ? d.reasonCy : undefined) ?? d.reason })] : []),
        ];
        return { ...base, kind: update.kind, title, lines, text: '', articles: update.articles.map((a) => ({ href: `/help/${a.slug}`, title: a.title })) };
      }
      case 'inbox':
        return { ...base, kind: update.kind, title: update.subject || format(t.inboxTitle, { force: p.forceName }), lines: [], text: update.body, articles: [] };
      case 'reply':
        return { ...base, kind: update.kind, title: format(t.replyTitle, { force: p.forceName }), lines: [], text: update.body, articles: [] };
      case 'sent':
        return { ...base, kind: update.kind, title: t.sentTitle, lines: [], text: update.body, articles: [] };
    }
  };
  return {
    reference: view.reference,
    status: view.status,
    statusText: t[STATUS_KEYS[view.status]],
    crimeType: view.crimeType ? (p.locale === 'cy' ? view.crimeType.labelCy : view.crimeType.label) : null,
    recordedAt: formatDateTime(p.locale, view.createdAt),
    outcome: outcomeLabel,
    closedReason: (p.locale === 'cy' ? view.closedReasonCy : null) ?? view.closedReason,
    officer: view.officer,
    contactRoute: format(route, { reference: view.reference }),
    updates: view.updates.flatMap((update) => describeUpdate(update) ?? []).reverse(),
    appointments: view.appointments.map((a) => ({
      id: a.id,
      when: a.at ? (a.isDateOnly ? formatDate(p.locale, a.at) : formatDateTime(p.locale, a.at)) : t.appointmentTimeUnknown,
      place: a.place,
      statusText: t[APPOINTMENT_KEYS[a.status]],
      isCancelled: a.status === 'cancelled',
      calendarHref: a.at && a.status !== 'cancelled' ? `/check/case/appointment.ics?id=${a.id}` : null,
    })),
    survey: view.survey,
  };
}
