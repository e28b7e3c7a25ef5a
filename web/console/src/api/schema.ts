// Generated from the server's routes by `npm run api:generate`: do not edit by hand.
// A route's request and response schemas (zod, through the route helper) are the source; change
// them, then run `npm run api:generate` and commit this file with openapi.json beside it.
// test/api/openapi-contract.test.ts fails while either file is out of date.

export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics, behind the METRICS_TOKEN bearer token (absent without one) */
        get: operations["metricsRead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is alive (it says nothing of the database) */
        get: operations["operationsAlive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether this process can serve: the database answers, migrations are applied, LISTEN is up (the mail pollers too, behind the metrics bearer token) */
        get: operations["operationsReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["operationsApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with email and password; sets the session cookie */
        post: operations["staffSignIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out and end the session */
        post: operations["staffSignOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in member of staff and their CSRF token */
        get: operations["staffMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The queue: contacts by priority, then waiting time */
        get: operations["contactList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find contacts, open and closed: filters, text search and pages newest first, with the total found */
        get: operations["contactSearch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One contact with its thread, triage explanation, person and timeline */
        get: operations["contactView"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reply to the person on the contact */
        post: operations["contactReply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close the contact with an outcome */
        post: operations["contactClose"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open a closed contact again: it goes back into its queue with fresh clocks */
        post: operations["contactReopen"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/attachments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file the public sent with a message: JPEG, PNG and GIF images shown in the browser, anything else downloaded as application/octet-stream; each opening is recorded on the contact's timeline */
        get: operations["attachmentOpen"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/attachments/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Try again the download of a file the provider could not be reached for: its fetch job is queued anew and consoles hear how it went. 409 with the reason for a file a check refused (a link into our own network, a hash that does not match, too large, a kind the channel does not carry), one already downloaded, or one already being fetched */
        post: operations["attachmentRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent outbound messages and their delivery state */
        get: operations["outboxList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox/{id}/send-again": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed message again, once its cause is mended: from the first channel the person allows now, within their safe time; 409 with the reason for a message that has not failed */
        post: operations["outboxSendAgain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Durable jobs in one state (dead jobs wait here for an admin) */
        get: operations["jobList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give a dead job a fresh set of attempts */
        post: operations["jobRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Walk the force's hash-chained event log and report the first broken link */
        get: operations["auditVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox/letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Letters waiting to be printed and posted, oldest first */
        get: operations["outboxLettersList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox/letters/{id}/printed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark a letter printed and posted: it is delivered, and the case timeline shows who sent it. 409 with the reason for a letter whose news no longer stands: it is withdrawn instead and must not be posted */
        post: operations["outboxLetterPrinted"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/outbox/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a message that has not gone (waiting to be sent, or held), with the reason: it is never sent. 409 with the reason for one sent, delivered, failed, withdrawn already, or being sent at this moment */
        post: operations["outboxWithdraw"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sms-opt-outs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Numbers not to be texted (they replied STOP, or staff recorded it), newest first, or whether one number is (written any way) */
        get: operations["smsOptOutList"];
        put?: never;
        /** Record that a number is not to be texted, and why (the person asked by phone, or in words that are not a keyword); 409 if it already is */
        post: operations["smsOptOutRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sms-opt-outs/lift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lift an opt-out staff recorded, and say why: the number may be texted again; 409 if it has none, or if the person texted STOP (only their START lifts that) */
        post: operations["smsOptOutLift"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find people by one of their handles (email, phone in any format, social id) */
        get: operations["personSearch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/people/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A person with their identities (including linked records) and links */
        get: operations["personView"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/people/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record that another person record is the same human (never a destructive merge) */
        post: operations["personLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/people/{id}/links/{linkId}/unlink": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Undo a link between person records */
        post: operations["personUnlink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/thrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest THRIVE assessment, its history, a draft from triage, and when re-assessment is due */
        get: operations["thriveView"];
        put?: never;
        /** Record a THRIVE assessment: all six elements, each with a rating and a rationale */
        post: operations["thriveAssess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/grades": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's grade definitions and attendance targets */
        get: operations["gradeDefinitions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/grade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current grade with its target deadline, and every earlier grade */
        get: operations["gradeView"];
        put?: never;
        /** Grade the contact; a regrade needs a reason and keeps the earlier grade */
        post: operations["gradeSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's incidents, newest first: every live one, or the latest 200 of all */
        get: operations["incidentList"];
        put?: never;
        /** Create an incident from one or more contacts, or directly; its place is put in a district and beat */
        post: operations["incidentCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/nearby": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live incidents of the same type near a place, nearest first: link the caller to one rather than create a duplicate */
        get: operations["incidentNearby"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Merge this duplicate into another incident: its contacts move there, it is cancelled as 'merged'; nothing is deleted */
        post: operations["incidentMerge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One incident with its contacts, notes and units */
        get: operations["incidentView"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Correct an incident as information arrives: its type (one of the force's), summary or the capabilities a unit needs (each one some unit of the force has). One `incident.updated` names each field changed, before and after; the same values again change nothing and record nothing. The grade and its countdown stay (grading is its own route). Refused (409) once the incident has ended */
        patch: operations["incidentUpdate"];
        trace?: never;
    };
    "/api/incidents/{id}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Link another contact about the same event (linked, not duplicated) */
        post: operations["incidentLinkContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/contacts/{contactId}/unlink": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unlink a contact linked by mistake; the link stays on record */
        post: operations["incidentUnlinkContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/location": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set where the incident is (address and map position, replacing both); the position puts it in a district and beat and lets units be recommended */
        put: operations["incidentLocation"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to the incident's running log */
        post: operations["incidentNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cases, most recently changed first: mine (the investigator's open cases), open, or all */
        get: operations["caseList"];
        put?: never;
        /** Record a case directly, with its crime type and victims */
        post: operations["caseRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/case": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create the case for this contact and start the victim journey */
        post: operations["caseCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/catalogues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's crime types and Home Office outcome types */
        get: operations["caseCatalogues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case with its people and its timeline (milestones and what the victim was sent) */
        get: operations["caseView"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/milestones": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a milestone: allocate, investigate, suspect identified/arrested/interviewed, bail, charge, court, appointment, close, reopen */
        post: operations["caseMilestone"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What each victim on the case has been told and when: messages with their delivery proof, and those not sent with the reason */
        get: operations["caseMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The case's appointments (made, changed, cancelled), from its appointment milestones */
        get: operations["caseAppointments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a victim, witness or suspect to the case; a victim added is owed the updates of its recent milestones */
        post: operations["casePersonAdd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/people/{casePersonId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a person from the case (kept in its history); a victim removed is told nothing more, and stays removed when the records system still lists them */
        delete: operations["casePersonRemove"];
        options?: never;
        head?: never;
        /** Change a person's details on the case; a victim's enhanced rights re-time their Victims' Code updates not yet given */
        patch: operations["casePersonChange"];
        trace?: never;
    };
    "/api/integrations/records/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A case update from the force's records system (Authorization: Bearer <integration token>): creates or updates the case by the system's reference; a duplicate or an older update changes nothing */
        post: operations["recordsCaseUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/records/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's records-system tokens (never the tokens themselves) */
        get: operations["recordsTokenList"];
        put?: never;
        /** Make a token for the records system; it is shown in this answer only */
        post: operations["recordsTokenIssue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/records/tokens/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a new token and revoke every other one at once; the new token is shown in this answer only */
        post: operations["recordsTokenRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/records/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a records-system token: it stops working at once */
        post: operations["recordsTokenRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/records/mapping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's mapping from the records system's status codes to case moves, and its crime codes to crime types */
        get: operations["recordsMappingView"];
        /** Replace the force's mapping (an empty one goes back to the default) */
        put: operations["recordsMappingChange"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/online-reports/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Online reports to process and classify (open), or all of the last seven days, oldest first, with their two clocks */
        get: operations["onlineReportQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/online-reports/{id}/process": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Process an online report: confirm its draft case (amending the summary if needed); the victim is told it is recorded */
        post: operations["onlineReportProcess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/online-reports/{id}/classify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Classify a processed online report: set its case's crime type */
        post: operations["onlineReportClassify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/online-reports/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every online report since a time accounted for: received, drafted, processed, classified, past each clock, and any without a draft */
        get: operations["onlineReportDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/victim-updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Victims' Code updates not yet given, soonest due first: mine, my team's (or the team named), or the force's */
        get: operations["caseVictimUpdates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/victim-updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case's Victims' Code updates, given or not: what each victim was told, how and when */
        get: operations["caseVictimUpdatesOfCase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/victim-updates/{updateId}/informed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record that the victim was told (phone, visit, letter, email), or for the support referral that they were referred or declined */
        post: operations["caseVictimInformed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/victims-code": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Victims' Code updates falling due in a period (by default the last 28 days), by team: on time, late, overdue, open, declined */
        get: operations["reportVictimsCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/help-articles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's help articles for the public, published or not */
        get: operations["helpList"];
        put?: never;
        /** Add a help article, in English and Welsh, linked from case updates of the types given */
        post: operations["helpCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/help-articles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change a help article (or unpublish it); fields left out keep their value */
        post: operations["helpUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/satisfaction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Closure survey answers given between from (inclusive) and to (exclusive), by team */
        get: operations["reportSatisfaction"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/conversation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The victims' secure messages on the case and the replies to them, one thread per victim's contact */
        get: operations["caseConversation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/conversation/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a victim's thread from the case: shown on their case page; they are told a message waits by the channels their preferences allow */
        post: operations["caseConversationReply"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cases/{id}/victims/{victimId}/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A victim's contact preferences: channels in order, language, safe times, never by SMS, portal only, opt-out */
        get: operations["caseVictimPreferencesView"];
        /** Set a victim's contact preferences; every later journey message follows them */
        put: operations["caseVictimPreferencesSet"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/grade": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grade or regrade the incident; its countdown is recomputed against the new grade's targets */
        post: operations["incidentGrade"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/clocks/{clockId}/breach-reason": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Say why a response target was missed: a reason from the force's list, and free text; closes the supervisors' alert */
        post: operations["incidentBreachReason"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/response-targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deploy and arrival targets per grade and area setting (urban, rural) */
        get: operations["responseTargetsView"];
        /** Set deploy and arrival targets (those named); running clocks keep theirs */
        put: operations["responseTargetsSet"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/breach-reasons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reasons a response target was missed, in the force's order; retired entries marked */
        get: operations["breachReasonsList"];
        /** Replace the list of reasons a response target was missed: entries left out are retired, never deleted */
        put: operations["breachReasonsReplace"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/closing-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Codes an incident is closed with, in the force's order; retired entries marked */
        get: operations["closingCodesList"];
        /** Replace the list of codes an incident is closed with: entries left out are retired, never deleted */
        put: operations["closingCodesReplace"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incident-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's incident types (opening codes) under the national incident categories */
        get: operations["incidentTypesList"];
        /** Replace the incident types: entries left out are retired, never deleted */
        put: operations["incidentTypesReplace"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/response": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Response times by area and grade over UK calendar days (default: the last seven): % deployed and arrived within target, median and 90th percentile, each breach with its reason */
        get: operations["reportResponse"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reports/response.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The response report as CSV (RFC 4180): rows per area and grade, totals per grade, then the breaches */
        get: operations["reportResponseCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/eido": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The incident as a NENA EIDO JSON document: incident, location, agency, units with EIDO unit statuses, dispatch, notes and merges */
        get: operations["incidentEido"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's units with their status and latest position (stale when old); retired units only when asked for */
        get: operations["unitList"];
        put?: never;
        /** Add a unit (call sign unique within the force); it starts available */
        post: operations["unitCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One unit with its status and latest position */
        get: operations["unitView"];
        put?: never;
        /** Change a unit's type, capabilities or home (its status moves by its own actions) */
        post: operations["unitUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/{id}/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retire a unit booked off duty, with the reason: off the unit board, never recommended nor sent, kept in past incidents, its call sign still taken. 409 saying what to do for a unit at work, unavailable or available */
        post: operations["unitRetire"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/{id}/reinstate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a retired unit back into the fleet, off duty (the control room books it on); 409 for a unit not retired */
        post: operations["unitReinstate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A batch of unit positions from vehicle tracking (Authorization: Bearer <the force's tracking token>, or a member of staff with positions:ingest); late and out-of-order positions are ignored, and a retired unit's refused on their own, with the reason */
        post: operations["unitPositions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/{id}/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A unit's past positions in a window (default the last hour), oldest first, kept for the force's retention */
        get: operations["unitTrail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/tracking/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's vehicle-tracking tokens (never the tokens themselves) */
        get: operations["trackingTokenList"];
        put?: never;
        /** Make a token for vehicle tracking to post unit positions with; it is shown in this answer only */
        post: operations["trackingTokenIssue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/integrations/tracking/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a vehicle-tracking token: it stops working at once */
        post: operations["trackingTokenRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/recommendation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Suitable available units, nearest in time first, with the reasons, and why fewer fit */
        get: operations["incidentRecommend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/dispatch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Commit one or more units to the incident; a unit already committed elsewhere is refused (409) */
        post: operations["incidentDispatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/incidents/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve, close, cancel or resolve without deployment (with a closing code); units still committed clear */
        post: operations["incidentStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/units/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A unit reports en route, on scene or clear, or changes its availability */
        post: operations["unitStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/areas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's districts and beats with their shapes (GeoJSON, longitude first) */
        get: operations["areaList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/map": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The base of the dispatcher's map: the configured tiles, or none (a plain background) */
        get: operations["mapBase"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/areas/import/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Read a boundary file (GeoJSON or KML) and say which areas it would draw and which it would give a new shape, changing nothing */
        post: operations["areaImportPreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/areas/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import a boundary file as previewed, all or nothing: new areas are drawn, a live area of the same kind and name gets the new shape and setting */
        post: operations["areaImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/areas/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rename an area or set it urban or rural (the response targets of incidents created after follow the new setting) */
        post: operations["areaChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/areas/{id}/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove an area from every look-up and list; incidents recorded in it keep its name */
        post: operations["areaRemove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/routing/board": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every queue and person live: sizes, oldest wait, SLA states, who holds what, open alerts */
        get: operations["routingBoard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/routing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My presence, skills, capacity and load */
        get: operations["routingMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/take": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a waiting contact myself */
        post: operations["contactTake"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push a contact to a person (never to someone offline) */
        post: operations["contactPush"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/take-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a contact back from the person holding it; it returns to its queue */
        post: operations["contactTakeBack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/escalate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the contact to the control-room queue, keeping its history */
        post: operations["contactEscalate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contacts/{id}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record that the person asked to be called back: a new contact with its own clock */
        post: operations["contactCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts waiting for acknowledgement, about contacts, incidents' missed response targets and cases whose Victims' Code clocks could not be opened; threat to life first */
        get: operations["alertList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/alerts/{id}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Acknowledge an alert, once, with an optional note (an incident's breach still asks for its reason) */
        post: operations["alertAcknowledge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's queues with their SLA targets, and the rules that feed them */
        get: operations["queueList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queues/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the ordered rules that put new contacts into queues (first match wins; unmatched go to the default queue) */
        post: operations["queueRulesReplace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queues/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change a queue's name, SLA targets, warning point or required skills (applies to clocks started from now) */
        post: operations["queueUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/queues/{id}/default": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a queue the force's default queue, where new contacts no rule matches go, in place of the one that was (contacts already queued stay; not the control room's queue; queue versions unchanged) */
        post: operations["queueMakeDefault"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channel-sla-targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** First and next response targets per kind of channel; each applies when tighter than the queue's */
        get: operations["channelSlaTargetsView"];
        /** Set the response targets of the kinds of channel named (null: the queue decides); clocks already running keep theirs */
        put: operations["channelSlaTargetsSet"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set my presence; only available people are given work, and going offline returns my contacts to the queue */
        post: operations["routingPresence"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The console is open: keeps an available person eligible for work */
        post: operations["routingHeartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/routing/staff/{id}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set someone's presence (a supervisor signing off someone who left) */
        post: operations["routingPresenceSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/routing/staff/{id}/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set someone's skills and their capacity per channel class */
        post: operations["routingProfileSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triage/rule-sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of the force's triage rules, with the active flag and counts */
        get: operations["triageRuleSetList"];
        put?: never;
        /** Save rules as a new version (not active until activated) */
        post: operations["triageRuleSetCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triage/rule-sets/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version of the triage rules */
        get: operations["triageRuleSetRead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triage/rule-sets/{version}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make a version the active rule set; new contacts are scored with it from now on */
        post: operations["triageRuleSetActivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/triage/try": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Score a text as a new contact would be scored, with the full explanation; stores nothing */
        post: operations["triageTry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/force/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's settings (re-open window, THRIVE re-assessment, grade targets, anonymous reports, unit positions, acknowledgements per address) */
        get: operations["forceSettingsView"];
        put?: never;
        /** Change some of the force settings; fields left out keep their value */
        post: operations["forceSettingsChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/force/trusted-addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's trusted reporting addresses, newest first, with the acknowledgement allowances in force */
        get: operations["trustedAddressList"];
        put?: never;
        /** Trust an email address with more portal acknowledgements a day; 201 when added, 200 when it was trusted already (nothing changes) */
        post: operations["trustedAddressAdd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/force/trusted-addresses/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop trusting an address: it is sent the allowance of any other again; 409 if the force does not trust it */
        post: operations["trustedAddressRemove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your own password (current password and a new one of at least 12 characters) */
        post: operations["staffChangePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's staff: role, whether active, whether a password change is pending */
        get: operations["staffList"];
        put?: never;
        /** Add a member of staff with a role, skills and capacity; their one-time password is in this response only */
        post: operations["staffAdd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new one-time password (shown once), force a change at next sign-in and end their sessions */
        post: operations["staffResetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/{id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deactivate a colleague: sign-in refused, sessions ended, open contacts back to the queue */
        post: operations["staffDeactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/{id}/reactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Let a deactivated colleague sign in again */
        post: operations["staffReactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/{id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change a colleague's role; one that no longer works the queue gives its contacts back */
        post: operations["staffChangeRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's message templates in English and Welsh, and the placeholders each message fills */
        get: operations["templateList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Save one language of a message template (placeholders are checked); the text it replaces is kept as a version; later messages use it. Sent with the version it was read at, it is refused (409) if the template has been saved since */
        post: operations["templateSave"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render a template text with made-up values, as a person would receive it; nothing is stored */
        post: operations["templatePreview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The earlier texts of one language of a template, newest first */
        get: operations["templateVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/templates/{key}/test-send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the stored template, with made-up values, to the admin's own email address */
        post: operations["templateTestSend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/journey-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's journey rules in order, switched on and off, and what a rule may name */
        get: operations["journeyRuleList"];
        put?: never;
        /** Add a journey rule, switched on and last in order; it applies to milestones recorded from now on */
        post: operations["journeyRuleAdd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/journey-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change a journey rule (the fields given); messages it already queued are not rewritten */
        post: operations["journeyRuleChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/journey-rules/{id}/active": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Switch a journey rule off or on; the last Victims' Code update of a milestone cannot be switched off. Switching off withdraws the messages it queued that have not gone, unless withdrawQueued is false */
        post: operations["journeyRuleSwitch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/journey-rules/order": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Put every journey rule of the force in a new order (each rule's id once), from the order's version as read when given (409 if it has changed since) */
        put: operations["journeyRuleReorder"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The force's connected channel accounts (credentials are never returned) */
        get: operations["channelList"];
        put?: never;
        /** Connect (or reconnect) a provider account; credentials are validated, sealed, never returned */
        post: operations["channelConnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/kinds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The channels a force can connect an account of, each with its connect form (no account’s values) */
        get: operations["channelKindsList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rename a channel account, or disable and enable it, from the version read (credentials are changed by connecting again) */
        post: operations["channelUpdate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{id}/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A channel account with the settings that are not credentials, to fill in its connect form when it is connected again */
        get: operations["channelSettingsRead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{id}/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The health of the mailbox an email account reads: its last successful poll, and since when and why polling it fails (decision 0175), or why no mailbox is polled (decision 0181) */
        get: operations["channelMailboxRead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{id}/reconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Connect an account again: new settings and credentials replace its own in place, and the old credentials stop working at once */
        post: operations["channelReconnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/inbound": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent raw inbound requests (rejected ones wait here for a fix and a replay) */
        get: operations["channelInboundList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/inbound/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Parse a stored raw request again (after a parser fix) and ingest what it holds */
        post: operations["channelInboundReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The live stream of the force's queue, alert and control-room changes (a WebSocket of JSON messages) */
        get: operations["liveSubscribe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/api/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generic API: inbound messages and delivery statuses */
        post: operations["postApiChannelsApiMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/notify/inbound-sms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SMS (GOV.UK Notify): inbound messages and delivery statuses */
        post: operations["postWebhooksNotifyInboundSms"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/notify/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SMS (GOV.UK Notify): inbound messages and delivery statuses */
        post: operations["postWebhooksNotifyStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/meta": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Facebook, Instagram and WhatsApp: subscription handshake */
        get: operations["getWebhooksMeta"];
        put?: never;
        /** Facebook, Instagram and WhatsApp: inbound messages and delivery statuses */
        post: operations["postWebhooksMeta"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/x": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** X (Twitter): subscription handshake */
        get: operations["getWebhooksX"];
        put?: never;
        /** X (Twitter): inbound messages and delivery statuses */
        post: operations["postWebhooksX"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/twilio/sms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SMS (Twilio): inbound messages and delivery statuses */
        post: operations["postWebhooksTwilioSms"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/twilio/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** SMS (Twilio): inbound messages and delivery statuses */
        post: operations["postWebhooksTwilioStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/telephony/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Phone (999/101) and AML: inbound messages and delivery statuses */
        post: operations["postWebhooksTelephonyCalls"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhooks/telephony/aml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Phone (999/101) and AML: inbound messages and delivery statuses */
        post: operations["postWebhooksTelephonyAml"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chat/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Opens a chat session for a visitor (from the force's own site or a site the chat allows) */
        post: operations["chatSessionCreate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chat/sessions/{sessionId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The conversation of a chat session (the visitor's token as a Bearer token) */
        get: operations["chatHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/chat/socket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The visitor's chat socket: authenticate with an auth frame, then send messages and hear replies */
        get: operations["chatSocket"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcknowledgementAllowance: {
            /** @description Acknowledgements one email address is sent in 24 hours */
            perAddress: number;
            /** @description Acknowledgements a trusted reporting address is sent in 24 hours */
            trustedPerAddress: number;
        };
        Alert: {
            id: string;
            /** @enum {string} */
            kind: "threat_to_life" | "sla_breach";
            contactId: string;
            contactReference: string;
            message: string;
            /** @description when supervisors were alerted; a missed target found late (at its clock's stop) is alerted long after it was due */
            raisedAt: string;
            /** @description a missed SLA target: when it was due (null for a threat to life) */
            dueAt: string | null;
            /** @description a missed SLA target: when its clock stopped (a reply, a close, an escalation, a raised priority), null while it still runs; less `dueAt`, how late it stopped */
            clockStoppedAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            acknowledgedAt: string | null;
            acknowledgedByName: string | null;
            note: string | null;
        };
        Area: {
            id: string;
            name: string;
            /** @enum {string} */
            kind: "district" | "beat";
            /**
             * @description response targets differ between urban and rural areas
             * @enum {string}
             */
            setting: "urban" | "rural";
            geometry: {
                /** @enum {string} */
                type: "Polygon";
                coordinates: number[][][];
            } | {
                /** @enum {string} */
                type: "MultiPolygon";
                coordinates: number[][][][];
            };
        };
        AreaImportPreview: {
            features: {
                index: number;
                name: string | null;
                /** @enum {string|null} */
                kind: "district" | "beat" | null;
                /** @enum {string|null} */
                setting: "urban" | "rural" | null;
                skip: boolean;
                /**
                 * @description draw: a new area; reshape: the live area of that kind and name gets this shape; null: skipped or not ready
                 * @enum {string|null}
                 */
                action: "draw" | "reshape" | null;
                /** @description what must be chosen or mended before this feature can be imported */
                problem: string | null;
                positions: number;
                properties: {
                    [key: string]: string;
                };
                geometry: {
                    /** @enum {string} */
                    type: "Polygon";
                    coordinates: number[][][];
                } | {
                    /** @enum {string} */
                    type: "MultiPolygon";
                    coordinates: number[][][][];
                };
            }[];
            warnings: string[];
            /** @description every feature not skipped has a name, a kind and a setting, and no two share a kind and name */
            ready: boolean;
        };
        AreaImportRequestInput: {
            /**
             * @description GeoJSON (RFC 7946, longitude first) or KML (Placemarks with Polygons)
             * @enum {string}
             */
            format: "geojson" | "kml";
            /** @description the file's text */
            text: string;
            /** @description the property that names each feature; by default a KML Placemark's name, else a property called name */
            nameProperty?: string;
            /**
             * @description each feature's kind when neither its properties nor a choice below give one
             * @enum {string}
             */
            kind?: "district" | "beat";
            /**
             * @description each feature's setting when neither its properties nor a choice below give one
             * @enum {string}
             */
            setting?: "urban" | "rural";
            /** @description choices for single features, by their index in the file */
            features?: {
                index: number;
                name?: string;
                /** @enum {string} */
                kind?: "district" | "beat";
                /** @enum {string} */
                setting?: "urban" | "rural";
                skip?: boolean;
            }[];
            /** @description the admin saw the preview's warnings (positions outside the UK) and imports anyway */
            confirmWarnings?: boolean;
        };
        AreaImportResult: {
            drawn: {
                id: string;
                name: string;
                /** @enum {string} */
                kind: "district" | "beat";
            }[];
            reshaped: {
                id: string;
                name: string;
                /** @enum {string} */
                kind: "district" | "beat";
            }[];
        };
        BoardContact: {
            id: string;
            reference: string;
            channel: string;
            priority: number;
            isThreatToLife: boolean;
            queueName: string | null;
            /** @description ISO 8601 date and time (UTC) */
            assignedAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            enqueuedAt: string | null;
            /** @enum {string|null} */
            slaState: "running" | "warning" | "breached" | "met" | "missed" | "cancelled" | null;
            /** @description ISO 8601 date and time (UTC) */
            nextDueAt: string | null;
        };
        Case: {
            id: string;
            reference: string;
            /** @enum {string} */
            status: "recorded" | "allocated" | "under_investigation" | "charged" | "closed";
            crimeType: string | null;
            summary: string;
            officerInCase: string | null;
            team: string | null;
            /** @enum {string} */
            suspect: "none" | "identified" | "arrested" | "interviewed";
            charged: boolean;
            outcomeCode: string | null;
            contactId: string | null;
            recordsReference: string | null;
            createdAt: string;
            updatedAt: string;
            closedReason: string | null;
            people: {
                /** @description The person on the case (case_people): the victimId of their contact preferences */
                id: string;
                /** @enum {string} */
                role: "victim" | "witness" | "suspect";
                name: string;
                /** @description A victim's enhanced rights under the Victims' Code: told within one working day, not five */
                enhancedRights: boolean;
                /** @description The known person they are, or null for someone named only */
                personId: string | null;
                email: string | null;
                phone: string | null;
                /** @description A victim's postal address, where their letters go; null when none is kept */
                postalAddress: components["schemas"]["PostalAddressView"] | null;
                /** @description When their number replied STOP to our texts, or staff recorded an opt-out (ISO 8601, UTC): no text is sent to it; null when it has not */
                smsOptedOutAt: string | null;
                /**
                 * @description keyword: they texted STOP, and only their START lifts it; staff: a member of staff recorded it; null when not opted out
                 * @enum {string|null}
                 */
                smsOptOutSource: "keyword" | "staff" | null;
            }[];
            /** @description The newest events of the case, oldest first */
            timeline: {
                at: string;
                type: string;
                actor: string;
                note: string | null;
                /** @description The event's particulars. A victim's sign-in to the case page, and its ending (with how), say who signed in: victim on_case with victimName as the people panel names them, or with no name removed (a victim of the case no longer), reporter (its reporter, never its victim) or unknown (anyone else) */
                details: {
                    [key: string]: string;
                };
            }[];
            /** @description How many older events the timeline leaves out (0 when it has them all) */
            olderEventsLeftOut: number;
        };
        CaseAlert: {
            id: string;
            /** @enum {string} */
            kind: "victim_updates_unopened";
            caseId: string;
            caseReference: string;
            message: string;
            /** @description ISO 8601 date and time (UTC) */
            raisedAt: string;
            /** @description when the case's clocks were opened after all: its victims' updates are watched again, and the alert waits only for a supervisor's acknowledgement (decision 0128) */
            putRightAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            acknowledgedAt: string | null;
            acknowledgedByName: string | null;
            note: string | null;
        };
        CaseAppointment: {
            /** @description The id of the milestone that made it; give it as appointmentId to change or cancel it */
            id: string;
            /** @enum {string} */
            status: "current" | "cancelled";
            at: string | null;
            /** @description Only its day is known (no time was given, by the records system or by staff): `at` is the UK midnight that begins it */
            isDateOnly: boolean;
            place: string | null;
            note: string | null;
            madeAt: string;
            changedAt: string | null;
            cancelledAt: string | null;
        };
        CaseConversationMessage: {
            id: string;
            /** @enum {string} */
            from: "victim" | "staff";
            /** @description As written: a victim's text is public input, to be shown as text and never as markup */
            body: string;
            /** @description ISO 8601 date and time (UTC) it reached us, or a reply was written */
            at: string;
            /** @description ISO 8601 date and time (UTC) the victim sent it, where believed (decision 0172); the thread is ordered by it, else by `at` (decision 0186) */
            sentAt: string | null;
            /** @description The member of staff who wrote a reply */
            authorName: string | null;
        };
        CaseConversationThread: {
            /** @description The contact the thread is in the queue as */
            contactId: string;
            contactReference: string;
            /**
             * @description A closed contact takes no reply until it is reopened
             * @enum {string}
             */
            contactStatus: "open" | "closed";
            victim: {
                personId: string;
                name: string | null;
            };
            messages: components["schemas"]["CaseConversationMessage"][];
        };
        CaseMessage: {
            id: string;
            /**
             * @description A message in the outbox, or one a journey did not send (with the reason)
             * @enum {string}
             */
            kind: "outbox" | "not_sent";
            victim: {
                id: string;
                name: string;
            } | null;
            channel: string;
            /** @description Masked: j***@example.com, •••• 0123 */
            recipient: string | null;
            purpose: string;
            subject: string | null;
            body: string | null;
            /** @enum {string} */
            status: "pending" | "sent" | "delivered" | "failed" | "held" | "suppressed";
            queuedAt: string;
            notBefore: string | null;
            sentAt: string | null;
            deliveredAt: string | null;
            attempts: number;
            reason: string | null;
            wentAfterAll: components["schemas"]["WentAfterAll"];
        };
        ChainVerification: {
            ok: boolean;
            /** @description events verified */
            checked: number;
            firstBroken: {
                seq: number;
                reason: string;
            } | null;
        };
        ChangeAreaRequestInput: {
            name?: string;
            /** @enum {string} */
            setting?: "urban" | "rural";
        };
        ChannelAccount: {
            id: string;
            forceId: string;
            channel: string;
            label: string;
            isEnabled: boolean;
            /** @description still holds the demo force’s published credentials for the provider’s real address, so nothing sent through it leaves the machine */
            isDemoStandIn: boolean;
            /** @description counts the times its settings and credentials were given: send it back to connect it again from these settings */
            version: number;
        };
        ChannelAccountSettings: {
            account: components["schemas"]["ChannelAccount"];
            /** @description by connect field name (dotted inside a nested object), every setting not of kind secret that the account holds */
            settings: {
                [key: string]: (string | number | boolean | string[]) | null;
            };
        };
        ChannelConnectField: {
            /** @description its place in the configuration, dotted inside a nested object: imap.host */
            name: string;
            label: string;
            /** @description what it is, and where to find it at the provider */
            hint: string;
            /**
             * @description secret: a credential, typed in a password input and never sent back; lines: a list, one a line
             * @enum {string}
             */
            kind: "text" | "secret" | "url" | "email" | "number" | "boolean" | "lines" | "choice";
            /** @description left blank, it takes its default (or none); inside a nested object, when the object is given */
            isOptional: boolean;
            /** @description what a blank optional setting takes, when that is a value */
            default: (string | number | boolean) | null;
            /** @description the values of a choice */
            options: {
                value: string;
                label: string;
            }[] | null;
            /** @description only for configurations whose platform is one of these; null for all */
            platforms: string[] | null;
            /** @description the account is known by it: connecting again with the same value replaces its credentials, with another connects another account */
            identifiesAccount: boolean;
        };
        ChannelKind: {
            /** @description the name to connect it by (POST /api/channels) */
            channel: string;
            label: string;
            /** @description the provider as staff know it; null when Bluelamp itself is the other end */
            providerName: string | null;
            fields: components["schemas"]["ChannelConnectField"][];
        };
        /** @description A kind of channel's response targets; each applies when tighter than the queue's */
        ChannelTargets: {
            /** @enum {string} */
            channel: "chat" | "sms" | "social" | "email" | "portal" | "voice";
            label: string;
            firstResponseMinutes: number | null;
            nextResponseMinutes: number | null;
        };
        ChatHistory: {
            welcomeMessage: string;
            messages: components["schemas"]["ChatHistoryItem"][];
        };
        ChatHistoryItem: {
            /** @enum {string} */
            from: "visitor";
            clientId: string;
            body: string;
            /** @description when the visitor sent it, where believed; else when it reached us (UTC) */
            at: string;
        } | {
            /** @enum {string} */
            from: "force";
            id: string;
            body: string;
            /** @description ISO 8601 date and time (UTC) */
            at: string;
        };
        ChatServerFrame: {
            /** @enum {string} */
            type: "history";
            welcomeMessage: string;
            messages: components["schemas"]["ChatHistoryItem"][];
        } | {
            /** @enum {string} */
            type: "ack";
            clientId: string;
            /** @description the contact's reference */
            reference: string;
            /** @description when the message was sent, as the history gives it: the visitor's time where believed, else when it reached us (UTC) */
            at: string;
        } | {
            /** @enum {string} */
            type: "reply";
            id: string;
            body: string;
            /** @description ISO 8601 date and time (UTC) */
            at: string;
        } | {
            /** @enum {string} */
            type: "error";
            reason: string;
            clientId?: string;
        };
        ChatSession: {
            sessionId: string;
            /** @description keep it in the page; send it as a Bearer token or in the auth frame */
            visitorToken: string;
        };
        ContactDetail: {
            contact: {
                id: string;
                reference: string;
                channel: string;
                /** @enum {string} */
                status: "open" | "closed";
                /** @description 1 (most urgent) to 4 */
                priority: number;
                priorityLabel: string;
                score: number;
                summary: string;
                personName: string | null;
                /** @description ISO 8601 date and time (UTC) */
                receivedAt: string;
                queueName: string | null;
                assignedToId: string | null;
                assignedToName: string | null;
                isThreatToLife: boolean;
                /** @description the contact's earliest-due running SLA clock, if any */
                sla: {
                    kind: string;
                    /** @description ISO 8601 date and time (UTC) */
                    dueAt: string;
                    /** @description ISO 8601 date and time (UTC) */
                    warnAt: string;
                    /** @enum {string} */
                    state: "running" | "warning" | "breached" | "met" | "missed" | "cancelled";
                } | null;
                outcome: string | null;
                /** @description ISO 8601 date and time (UTC) */
                closedAt: string | null;
                caseId: string | null;
                caseReference: string | null;
                /** @description where it happened, in the reporter's words */
                location: string | null;
                /** @description when it happened, in the reporter's words */
                occurredText: string | null;
                /** @description false for a call or a callback: the person is answered by calling them back */
                canReplyInWriting: boolean;
                /** @description the window within which a reply reaches the person (WhatsApp; Messenger and Instagram); null for channels and replies without one */
                replyWindow: {
                    /** @description when the window closes: `hours` after the person last wrote on this account; null if they never have */
                    closesAt: string | null;
                    /** @description false once it has closed: a WhatsApp reply then goes only as the force’s approved template, or fails if none is set; a Messenger or Instagram reply fails before Meta */
                    isOpen: boolean;
                    /**
                     * @description whose rule: WhatsApp’s customer service window, Meta’s messaging window for direct messages, or Meta’s days for one private reply to a comment
                     * @enum {string}
                     */
                    kind: "whatsapp" | "meta_message" | "meta_private_reply";
                    /** @description how long the window lasts after the person’s last message: 24, or 168 (7 days) for Meta replies tagged HUMAN_AGENT and private replies to comments */
                    hours: number;
                } | null;
                /** @description the comment’s one private reply (Meta allows one, within 7 days of the comment), for an account that answers comments privately; null otherwise */
                privateReply: {
                    /** @description when the comment a private reply answers (the contact’s latest) was made, by Meta’s time of it where it gave one, else when it was received */
                    commentedAt: string;
                    /** @description when the private reply Meta took was written; null if none has been */
                    sentAt: string | null;
                    /** @description true while a private reply to the comment is queued or being retried: it holds the one Meta allows */
                    isSending: boolean;
                    /** @description why a private reply cannot go (one was sent or is on its way; the comment is more than 7 days old), as a reply would be refused (409); null when it can */
                    refusal: string | null;
                } | null;
                /** @description the newest position a channel gave for the person */
                place: components["schemas"]["ContactPlace"] | null;
                /** @description the language the person chose or wrote in (en, cy) */
                language: string | null;
            };
            routing: {
                queue: {
                    id: string;
                    key: string;
                    name: string;
                    isControlRoom: boolean;
                } | null;
                assignedTo: {
                    id: string;
                    name: string;
                } | null;
                /** @description ISO 8601 date and time (UTC) */
                assignedAt: string | null;
                /** @description ISO 8601 date and time (UTC) */
                enqueuedAt: string | null;
                isThreatToLife: boolean;
                requiredSkills: string[];
                preferredSkills: string[];
                clocks: components["schemas"]["SlaClock"][];
                alerts: components["schemas"]["Alert"][];
                /** @description set when this contact is a call back the person asked for */
                callback: {
                    forContactId: string | null;
                    forReference: string | null;
                    number: string | null;
                    /** @description what whoever asked for the callback wants the caller to know */
                    note: string | null;
                } | null;
            };
            /** @description In the order a conversation is read, as the case conversation is: by `sentAt` where known, else `createdAt`; equal times in the order stored (decision 0186) */
            messages: components["schemas"]["ThreadMessage"][];
            triage: components["schemas"]["StoredTriage"] | null;
            person: {
                id: string;
                name: string | null;
                email: string | null;
                identities: {
                    kind: string;
                    value: string;
                    isLinked: boolean;
                    /** @description For a phone number that replied STOP to our texts or whose opt-out staff recorded, when (ISO 8601, UTC): no text goes to it */
                    smsOptedOutAt: string | null;
                    /**
                     * @description keyword: they texted STOP, and only their START lifts it; staff: a member of staff recorded it; null when not opted out
                     * @enum {string|null}
                     */
                    smsOptOutSource: "keyword" | "staff" | null;
                }[];
                /** @description of this person and every record linked to them, newest first */
                earlierContacts: {
                    id: string;
                    reference: string;
                    channel: string;
                    /** @enum {string} */
                    status: "open" | "closed";
                    /** @description ISO 8601 date and time (UTC) */
                    receivedAt: string;
                    summary: string;
                }[];
            } | null;
            timeline: {
                seq: number;
                type: string;
                /** @description ISO 8601 date and time (UTC) */
                at: string;
                actor: string;
                summary: string;
            }[];
            /** @description the incidents this contact is linked to now (by grading it, or from the incident), oldest link first; a contact is on at most one live incident */
            incidents: {
                id: string;
                /** @description e.g. INC-42 */
                reference: string;
                /** @enum {string} */
                status: "open" | "dispatched" | "en_route" | "on_scene" | "resolved" | "closed" | "cancelled" | "resolved_without_deployment";
                /** @enum {string|null} */
                grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment" | null;
                /** @description ISO 8601 date and time (UTC) */
                linkedAt: string;
            }[];
        };
        ContactPlace: {
            lat: number;
            lon: number;
            /** @description how far off the position may be, when the channel says */
            radiusMetres: number | null;
            /**
             * @description aml: Advanced Mobile Location from the handset; shared: the person shared their location
             * @enum {string}
             */
            source: "aml" | "shared";
            /** @description when the position was taken, when the channel says */
            at: string | null;
        };
        ContactSearchPage: {
            contacts: components["schemas"]["ContactSummary"][];
            /** @description how many contacts the search finds in all */
            total: number;
            /** @description pass as `after` for the next page; null on the last */
            nextCursor: string | null;
            /** @description pass as `before` for the previous page; null on the first */
            previousCursor: string | null;
        };
        ContactSummary: {
            id: string;
            reference: string;
            channel: string;
            /** @enum {string} */
            status: "open" | "closed";
            /** @description 1 (most urgent) to 4 */
            priority: number;
            priorityLabel: string;
            score: number;
            summary: string;
            personName: string | null;
            /** @description ISO 8601 date and time (UTC) */
            receivedAt: string;
            queueName: string | null;
            assignedToId: string | null;
            assignedToName: string | null;
            isThreatToLife: boolean;
            /** @description the contact's earliest-due running SLA clock, if any */
            sla: {
                kind: string;
                /** @description ISO 8601 date and time (UTC) */
                dueAt: string;
                /** @description ISO 8601 date and time (UTC) */
                warnAt: string;
                /** @enum {string} */
                state: "running" | "warning" | "breached" | "met" | "missed" | "cancelled";
            } | null;
        };
        ControlRoomListEntry: {
            code: string;
            label: string;
            isActive: boolean;
        };
        CreatedCase: {
            id: string;
            reference: string;
        };
        /** @description A NENA Emergency Incident Data Object (NENA-STA-021, EIDO JSON) */
        EidoDocument: {
            $id: string;
            lastUpdateTimeStamp: string;
            /** @enum {string} */
            EIDOVersion: "1.0";
            incidentTrackingIdentifier: string;
            reasonForIssueRegistryText: string;
            issuingElementIdentification: string;
            agentReference: {
                $ref: string;
            };
            incidentComponent: {
                incidentTypeCommonRegistryText: string;
            } & {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description A refusal or failure: a stable code, a message for a person, and the fields at fault */
        Error: {
            error: {
                /**
                 * @description stable; clients branch on it
                 * @enum {string}
                 */
                code: "validation_failed" | "unauthenticated" | "forbidden" | "csrf_failed" | "password_change_required" | "account_deactivated" | "not_found" | "conflict" | "request_timeout" | "payload_too_large" | "unsupported_media_type" | "expectation_failed" | "headers_too_large" | "outbound_refused" | "rate_limited" | "internal" | "unavailable" | "overloaded";
                /** @description for a person to read */
                message: string;
                /** @description the inputs at fault, when the request was invalid */
                fields?: {
                    /** @description where the field sits in the request, for programs: e.g. body.rules.0.weight */
                    path: string;
                    /** @description what is wrong, as the check said it */
                    message: string;
                    /** @description what a person calls the field: e.g. Weight of rule 1 */
                    label: string;
                    /** @description the problem as a sentence naming the field: e.g. Weight of rule 1 must be 100 or less */
                    sentence: string;
                }[];
            };
        };
        ForceSettings: {
            reopenClosedWithinHours?: number;
            thriveReassessAfterMinutes?: number;
            anonymousPortalReports?: boolean;
            onlineReportProcessedWithinMinutes?: number;
            onlineReportClassifiedWithinHours?: number;
            positionStaleAfterMinutes?: number;
            positionHistoryDays?: number;
            acknowledgementsPerAddress?: number;
            trustedAcknowledgementsPerAddress?: number;
            gradeTargets?: {
                immediate?: number | null;
                priority?: number | null;
                scheduled?: number | null;
                resolution_without_deployment?: number | null;
            } & {
                [key: string]: unknown;
            };
            roadRouting?: ({
                engine: string;
                url: string;
                profile?: string;
                timeoutMs?: number;
                durationFactor?: number;
            } & {
                [key: string]: unknown;
            }) | null;
        } & {
            [key: string]: unknown;
        };
        Grade: {
            contactId: string;
            current: components["schemas"]["GradeRecord"] | null;
            /** @description newest first, including the current grade */
            history: components["schemas"]["GradeRecord"][];
            isTargetBreached: boolean;
            /** @description the live incident this contact is linked to, which the grade is carried onto */
            incidentId: string | null;
        };
        GradeDefinition: {
            /** @enum {string} */
            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
            label: string;
            description: string;
            /** @description minutes from grading to attendance; null means no attendance target */
            targetMinutes: number | null;
        };
        GradeRecord: {
            id: string;
            /** @enum {string} */
            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
            /** @enum {string|null} */
            previousGrade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment" | null;
            reason: string | null;
            /** @description ISO 8601 date and time (UTC) */
            gradedAt: string;
            gradedBy: {
                id: string;
                name: string;
            };
            targetMinutes: number | null;
            /** @description ISO 8601 date and time (UTC) */
            targetAt: string | null;
        };
        HelpArticle: {
            id: string;
            slug: string;
            title: string;
            titleCy: string;
            body: string;
            bodyCy: string;
            milestoneTypes: string[];
            published: boolean;
            /** @description ISO 8601 date and time (UTC) */
            updatedAt: string;
        };
        InboundRequest: {
            id: string;
            channel: string;
            /** @description ISO 8601 date and time (UTC) */
            receivedAt: string;
            /** @enum {string} */
            status: "processed" | "rejected" | "replayed";
            error: string | null;
            messageCount: number;
        };
        Incident: {
            id: string;
            number: number;
            /** @description the number as staff say it, e.g. INC-42 */
            reference: string;
            type: string;
            summary: string;
            grade: {
                /** @enum {string} */
                code: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                label: string;
            } | null;
            /** @description the countdown running now (deploy, then arrive); null when none runs */
            clock: components["schemas"]["IncidentClock"] | null;
            /** @description targets met late (the unit sent or on scene after its target) whose reason is still to be recorded, oldest first; a countdown still running past its target is `clock` */
            missedTargets: ("deploy" | "arrive")[];
            /** @enum {string} */
            status: "open" | "dispatched" | "en_route" | "on_scene" | "resolved" | "closed" | "cancelled" | "resolved_without_deployment";
            closingCode: string | null;
            location: {
                text: string | null;
                lat: number | null;
                lon: number | null;
                district: {
                    id: string;
                    name: string;
                } | null;
                beat: {
                    id: string;
                    name: string;
                } | null;
            };
            requiredCapabilities: string[];
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            /** @description ISO 8601 date and time (UTC) */
            updatedAt: string;
            contacts: {
                contactId: string;
                reference: string;
                /** @description ISO 8601 date and time (UTC) */
                linkedAt: string;
                /** @description ISO 8601 date and time (UTC) */
                unlinkedAt: string | null;
            }[];
            notes: {
                id: string;
                body: string;
                authorId: string | null;
                /** @description ISO 8601 date and time (UTC) */
                createdAt: string;
            }[];
            units: {
                unitId: string;
                callSign: string;
                status: string;
                /** @description what the unit's machine allows it to report next (`POST /api/units/:id/status`); none once it has cleared from this incident */
                moves: ("en_route" | "on_scene" | "clear" | "available" | "unavailable" | "off_duty")[];
                /** @description ISO 8601 date and time (UTC) */
                assignedAt: string;
                /** @description ISO 8601 date and time (UTC) */
                clearedAt: string | null;
            }[];
            /** @description every countdown it has run, oldest first */
            clocks: components["schemas"]["ResponseClock"][];
            /** @description for an incident merged as a duplicate, the one it went into */
            mergedIntoId: string | null;
            /** @description what happened to it, oldest first: one line per event of the force's log about it */
            history: {
                seq: number;
                type: string;
                /** @description ISO 8601 date and time (UTC) */
                at: string;
                actor: string;
                summary: string;
            }[];
        };
        IncidentAlert: {
            id: string;
            /** @enum {string} */
            kind: "response_breach";
            incidentId: string;
            /** @description e.g. INC-42 */
            incidentReference: string;
            /** @description the grade whose target was missed */
            grade: {
                /** @enum {string} */
                code: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                label: string;
            };
            clockId: string;
            /**
             * @description deploy or arrive
             * @enum {string}
             */
            clockKind: "deploy" | "arrive";
            /** @description ISO 8601 date and time (UTC) */
            dueAt: string;
            message: string;
            /** @description ISO 8601 date and time (UTC) */
            raisedAt: string;
            /** @description ISO 8601 date and time (UTC) */
            acknowledgedAt: string | null;
            acknowledgedByName: string | null;
            note: string | null;
        };
        IncidentClock: {
            /** @enum {string} */
            kind: "deploy" | "arrive";
            /** @description when this countdown began (creation, first dispatch or a regrade); the target is measured from the incident's creation */
            startedAt: string;
            /** @description ISO 8601 date and time (UTC) */
            warnAt: string;
            /** @description ISO 8601 date and time (UTC) */
            dueAt: string;
            /** @description when the breach was found (its due check, later if the check was behind, or the clock's stop); the target was missed at dueAt */
            breachedAt: string | null;
        };
        IncidentSummary: {
            id: string;
            number: number;
            /** @description the number as staff say it, e.g. INC-42 */
            reference: string;
            type: string;
            summary: string;
            grade: {
                /** @enum {string} */
                code: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                label: string;
            } | null;
            /** @description the countdown running now (deploy, then arrive); null when none runs */
            clock: components["schemas"]["IncidentClock"] | null;
            /** @description targets met late (the unit sent or on scene after its target) whose reason is still to be recorded, oldest first; a countdown still running past its target is `clock` */
            missedTargets: ("deploy" | "arrive")[];
            /** @enum {string} */
            status: "open" | "dispatched" | "en_route" | "on_scene" | "resolved" | "closed" | "cancelled" | "resolved_without_deployment";
            closingCode: string | null;
            location: {
                text: string | null;
                lat: number | null;
                lon: number | null;
                district: {
                    id: string;
                    name: string;
                } | null;
                beat: {
                    id: string;
                    name: string;
                } | null;
            };
            requiredCapabilities: string[];
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            /** @description ISO 8601 date and time (UTC) */
            updatedAt: string;
        };
        IncidentType: {
            code: string;
            label: string;
            isActive: boolean;
            /** @enum {string} */
            category: "public_safety_welfare" | "crime" | "anti_social_behaviour" | "transport";
            categoryLabel: string;
        };
        Job: {
            id: string;
            type: string;
            /** @enum {string} */
            state: "pending" | "running" | "done" | "dead";
            attempts: number;
            maxAttempts: number;
            lastError: string | null;
            /** @description ISO 8601 date and time (UTC) */
            runAt: string;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
        };
        JourneyRule: {
            id: string;
            milestone: string;
            templateKey: string;
            crimeType: string | null;
            /** @enum {string} */
            victimCategory: "all" | "standard" | "enhanced" | "domestic_abuse";
            outcomeCodes: string[] | null;
            delayMinutes: number;
            /** @enum {string} */
            delayFrom: "milestone" | "at";
            statutory: boolean;
            fallback: boolean;
            active: boolean;
            position: number;
            /** @description Counts the changes and switches off and on of the rule (not its place in the order); send it back with a change or switch to have it refused if the rule has changed since */
            version: number;
        };
        JourneyRuleChoices: {
            milestones: {
                milestone: string;
                label: string;
                namesATime: boolean;
                hasOutcome: boolean;
            }[];
            templates: {
                key: string;
                purpose: string;
            }[];
            crimeTypes: {
                code: string;
                label: string;
            }[];
            outcomes: {
                code: string;
                label: string;
            }[];
        };
        LetterToPrint: {
            id: string;
            caseId: string | null;
            /** @description The case’s reference, as staff and the victim know it */
            caseReference: string | null;
            /** @description The postal address, as the journey rendered it */
            recipient: string;
            subject: string;
            body: string;
            purpose: string;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            /** @description Why this letter must not be posted: what it tells no longer stands (an appointment moved or cancelled, a hearing moved or ended, its time come) and its withdrawal has not run or was given up. Marking it printed withdraws it instead. Null when it may be posted */
            doNotPrint: string | null;
        };
        LiveMessage: {
            /** @enum {string} */
            type: "hello";
        } | {
            /** @enum {string} */
            type: "queue.changed";
            contactId: string;
            reference?: string;
        } | {
            /** @enum {string} */
            type: "routing.changed";
        } | {
            /** @enum {string} */
            type: "alert.raised";
            alertId: string;
            kind: string;
            contactId?: string;
            incidentId?: string;
            caseId?: string;
        } | {
            /** @enum {string} */
            type: "alert.acknowledged";
            alertId: string;
            caseId?: string;
        } | {
            /** @enum {string} */
            type: "alert.put_right";
            alertId: string;
            caseId: string;
        } | {
            /** @enum {string} */
            type: "incidents.changed";
            incidentId: string;
        } | {
            /** @enum {string} */
            type: "units.changed";
            unitId: string;
        } | {
            /** @enum {string} */
            type: "case.victim_updates_changed";
            caseId: string;
        } | {
            /** @enum {string} */
            type: "areas.changed";
            byStaffId?: string;
        } | {
            /** @enum {string} */
            type: "print_queue.changed";
            /** @enum {string} */
            change: "queued" | "printed" | "withdrawn" | "overtaken";
            letterId?: string;
            caseId?: string;
            byStaffId?: string;
        } | {
            /** @enum {string} */
            type: "journey_rules.changed";
        } | {
            /** @enum {string} */
            type: "record.changed";
            /** @enum {string} */
            record: "journey_rule" | "template" | "queue" | "queue_rules" | "channel_targets" | "staff_role" | "staff_profile" | "channel_account";
            id?: string;
            byStaffId?: string;
        } | {
            /** @enum {string} */
            type: "resync";
        };
        MailboxHealth: {
            /** @description the health of the mailbox the account’s settings name now; null when it is not polled (see notPolled) or no poll of it has been stored yet */
            mailbox: {
                /** @description ISO 8601 date and time (UTC) of the last successful poll, to the minute while it stays healthy; null if none yet */
                lastSuccessAt: string | null;
                /** @description ISO 8601 date and time (UTC) of the first of the current run of failed polls; null while the last poll succeeded */
                failingSince: string | null;
                /**
                 * @description why the last poll failed: connect (the server could not be reached), auth (it refused the sign-in), fetch (reading the mailbox), store (storing a mail), module_not_loaded (Bluelamp could not load what reads mail: it needs a restart)
                 * @enum {string|null}
                 */
                failure: "connect" | "auth" | "fetch" | "store" | "module_not_loaded" | null;
                /** @description the failure lasts until Bluelamp is restarted */
                isRestartNeeded: boolean;
                /** @description ISO 8601 date and time (UTC) the poller last wrote this */
                updatedAt: string;
                /** @description stored before Bluelamp noted which mailbox each health is of (decision 0188): the poll of the account’s mailbox under the settings as they still stand, shown until the next poll writes it again */
                isFromBeforeUpgrade: boolean;
            } | null;
            /**
             * @description why no mailbox is polled for the account (decision 0181): no_mailbox_settings (it has no IMAP settings, or is not an email account), account_disabled (it is switched off), settings_unreadable (its stored settings no longer open: connect it again); null while its mailbox is polled
             * @enum {string|null}
             */
            notPolled: "no_mailbox_settings" | "account_disabled" | "settings_unreadable" | null;
        };
        MapBase: {
            /** @description null: no tile source is set, so the map draws on a plain background and requests nothing */
            tiles: {
                /** @description raster tile URL template with {z}, {x} and {y} */
                url: string;
                attribution: string;
            } | null;
        };
        MessageAttachment: {
            id: string;
            /** @description the name the sender gave it, if any (theirs: treat it as text, never as a path) */
            filename: string | null;
            /** @description what its bytes are, by their first bytes (null if unrecognised or not fetched yet) */
            contentType: string | null;
            /** @description what the sender or provider said it was; never used to open it */
            declaredType: string | null;
            sizeBytes: number;
            /** @description SHA-256 of the bytes as received (hex); null until fetched */
            sha256: string | null;
            /**
             * @description stored: it can be opened; too_large: over 10 MB, only its hash was kept; fetching: the provider only linked to it and the download has not finished (or is being tried again); refused: not downloaded, for the reason in refusal (for good unless canRetry)
             * @enum {string}
             */
            state: "stored" | "too_large" | "fetching" | "refused";
            /** @description why the file was not downloaded (its hash was not the one the provider gave, it was too large or not a kind of file the channel carries, or the provider kept failing); null unless refused */
            refusal: string | null;
            /** @description true for JPEG, PNG and GIF images, which the browser shows; anything else downloads */
            isShownInPlace: boolean;
            /** @description true when it was refused because the provider could not be reached: staff who may reply can try again (POST /api/attachments/{id}/retry); false for a check's refusal and any other state */
            canRetry: boolean;
        };
        MessageQuote: {
            /** @description the provider's id of the quoted message, as the provider gave it */
            providerMessageId: string;
            /** @description that message, when it is one of this conversation we sent or received; null when it never reached us (or is not ours to show) */
            messageId: string | null;
            /** @description the contact that message belongs to (an earlier contact of the same conversation, perhaps) */
            contactId: string | null;
            /**
             * @description whether the quoted message was the person's or ours; null when unknown
             * @enum {string|null}
             */
            direction: "inbound" | "outbound" | null;
            /** @description the first words of the quoted message, as plain text; null when unknown */
            excerpt: string | null;
        };
        MessageTemplate: {
            key: string;
            channel: string;
            /** @enum {string} */
            locale: "en" | "cy";
            subject: string;
            body: string;
            /** @description Counts the saves of this language of the template; send it back with a save to have it refused if the text has been saved since (decision 0082) */
            version: number;
        };
        MessageTemplateKey: {
            key: string;
            purpose: string;
            placeholders: string[];
            required: string[];
        };
        MessageTemplateVersion: {
            version: number;
            subject: string;
            body: string;
            replacedAt: string;
            replacedBy: string | null;
        };
        MyRouting: {
            /** @enum {string} */
            presence: "available" | "busy" | "away" | "offline";
            /** @description ISO 8601 date and time (UTC) */
            presenceSince: string | null;
            skills: string[];
            capacity: {
                call?: number;
                chat?: number;
                social?: number;
                sms?: number;
                email?: number;
                online?: number;
            };
            load: {
                call?: number;
                chat?: number;
                social?: number;
                sms?: number;
                email?: number;
                online?: number;
            };
        };
        NearbyIncident: {
            id: string;
            reference: string;
            type: string;
            summary: string;
            /** @enum {string|null} */
            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment" | null;
            /** @enum {string} */
            status: "open" | "dispatched" | "en_route" | "on_scene" | "resolved" | "closed" | "cancelled" | "resolved_without_deployment";
            locationText: string | null;
            distanceMetres: number;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
        };
        NotReady: {
            /** @enum {string} */
            status: "not ready";
            /** @enum {string} */
            engine: "pglite" | "postgres";
            reason: string;
            parts: {
                /** @enum {string} */
                database: "ok" | "unreachable";
                /** @enum {string} */
                migrations: "applied" | "pending" | "unknown";
                /**
                 * @description LISTEN: without it, changes made by other processes reach neither consoles nor chat sockets
                 * @enum {string}
                 */
                listener: "listening" | "down";
            };
            /** @description ISO 8601 date and time (UTC) */
            listenerDownSince?: string;
            /** @description Present where this process polls mailboxes, and only to a caller presenting the METRICS_TOKEN bearer token (never without one set). Counts only: failing mailboxes never make the process unready, not even all of them */
            mailPollers?: {
                /** @description Mailboxes this process polls over IMAP */
                mailboxes: number;
                /** @description Of them, those whose last poll failed */
                failing: number;
                /** @description A library the pollers need failed as it loaded; Node keeps that failure until the process is restarted */
                restartNeeded: boolean;
                /** @description ISO 8601 date and time (UTC) the longest-failing of them began failing */
                failingSince?: string;
            };
        };
        OnlineReport: {
            contactId: string;
            contactReference: string;
            caseId: string;
            caseReference: string;
            summary: string;
            receivedAt: string;
            draftedAt: string;
            /** @enum {string} */
            stage: "drafted" | "processed" | "classified";
            suggestedCrimeType: string | null;
            /** @description the words (or triage categories) that led to the suggestion */
            reasons: {
                crimeType: string;
                cue: string;
                weight: number;
            }[];
            crimeType: string | null;
            processed: {
                dueAt: string;
                doneAt: string | null;
                isPastDue: boolean;
                /** @description when the target was missed (its due time) once a breach is recorded, however late it was found; null while none is */
                breachedAt: string | null;
            };
            classified: {
                dueAt: string;
                doneAt: string | null;
                isPastDue: boolean;
                /** @description when the target was missed (its due time) once a breach is recorded, however late it was found; null while none is */
                breachedAt: string | null;
            };
        };
        OpenApiDocument: {
            openapi: string;
            info: {
                title: string;
                version: string;
            } & {
                [key: string]: unknown;
            };
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        OutboxMessage: {
            id: string;
            channel: string;
            recipient: string;
            subject: string;
            body: string;
            purpose: string;
            /** @enum {string} */
            status: "pending" | "sent" | "delivered" | "failed" | "held" | "suppressed";
            attempts: number;
            lastError: string | null;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            /** @description ISO 8601 date and time (UTC) */
            sentAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            deliveredAt: string | null;
            wentAfterAll: components["schemas"]["WentAfterAll"];
        };
        Person: {
            id: string;
            name: string | null;
            identities: {
                id: string;
                personId: string;
                kind: string;
                value: string;
                /** @description belongs to a linked record, not to this one */
                isLinked: boolean;
            }[];
            links: {
                id: string;
                otherPersonId: string;
                reason: string;
                /** @description ISO 8601 date and time (UTC) */
                linkedAt: string;
                linkedByName: string | null;
                /** @description ISO 8601 date and time (UTC) */
                unlinkedAt: string | null;
            }[];
        };
        PersonMatch: {
            id: string;
            name: string | null;
            kind: string;
            /** @description the handle that matched */
            value: string;
        };
        PositionIngestResult: {
            /** @description positions newer than the one held, now the latest */
            stored: number;
            /** @description positions no newer than the one held (late or out of order), or beaten by a newer one in the same batch */
            ignored: number;
            /** @description positions of retired units, each refused and kept nowhere (decision 0086); the batch's other positions are stored */
            refused: {
                /** @description the position refused: `positions.3.unitId` */
                path: string;
                unitId: string;
                /** @description why, in a sentence: `ZZ41 is retired: its positions are not kept. …` */
                reason: string;
            }[];
        };
        PositionTrail: {
            unitId: string;
            /** @description ISO 8601 date and time (UTC) */
            since: string;
            /** @description ISO 8601 date and time (UTC) */
            until: string;
            /** @description oldest first */
            positions: {
                lat: number;
                lon: number;
                /** @description ISO 8601 date and time (UTC) */
                recordedAt: string;
            }[];
            /** @description more positions fall in the window: ask again with `since` set to the last `recordedAt` */
            hasMore: boolean;
        };
        PostalAddressInput: {
            /** @description The address lines before the town: one to three (a flat or building, the street) */
            lines: string[];
            /** @description The town or city */
            town: string;
            /** @description A UK postcode, kept as Royal Mail writes it (SW1A 2AA) */
            postcode: string;
        };
        PostalAddressView: {
            lines: string[];
            town: string;
            postcode: string;
        };
        Queue: {
            id: string;
            key: string;
            name: string;
            description: string;
            requiredSkills: string[];
            isControlRoom: boolean;
            isDefault: boolean;
            /** @description targets by priority (1 most urgent) */
            sla: {
                1: {
                    firstResponseMinutes: number;
                    nextResponseMinutes: number;
                    resolutionMinutes: number;
                };
                2: {
                    firstResponseMinutes: number;
                    nextResponseMinutes: number;
                    resolutionMinutes: number;
                };
                3: {
                    firstResponseMinutes: number;
                    nextResponseMinutes: number;
                    resolutionMinutes: number;
                };
                4: {
                    firstResponseMinutes: number;
                    nextResponseMinutes: number;
                    resolutionMinutes: number;
                };
            };
            warnAtPercent: number;
            position: number;
            /** @description Counts the queue's changes; send it back with a change to have it refused if the queue has changed since */
            version: number;
        };
        QueueRule: {
            queueId: string;
            position: number;
            channels: string[] | null;
            categories: string[] | null;
            priorities: number[] | null;
            /** @description Why saving the rules with this rule as it is would be refused (a rule stored before that was checked), in the words of that refusal; null: it would not be. Contacts are routed by it until it is changed or removed */
            refusedBecause: string | null;
        };
        Ready: {
            /** @enum {string} */
            status: "ready";
            /** @enum {string} */
            engine: "pglite" | "postgres";
            /** @description Present where this process polls mailboxes, and only to a caller presenting the METRICS_TOKEN bearer token (never without one set). Counts only: failing mailboxes never make the process unready, not even all of them */
            mailPollers?: {
                /** @description Mailboxes this process polls over IMAP */
                mailboxes: number;
                /** @description Of them, those whose last poll failed */
                failing: number;
                /** @description A library the pollers need failed as it loaded; Node keeps that failure until the process is restarted */
                restartNeeded: boolean;
                /** @description ISO 8601 date and time (UTC) the longest-failing of them began failing */
                failingSince?: string;
            };
        };
        Recommendation: {
            incidentId: string;
            /**
             * @description how arrival times were worked out: `road` from the force's routing service, `distance` from straight-line distance, a road factor and a speed per unit type
             * @enum {string}
             */
            method: "distance" | "road";
            /** @description the force's road-routing service and whether this recommendation used it */
            routing: {
                /** @enum {string} */
                status: "not_configured" | "used" | "unavailable";
                /** @enum {string|null} */
                engine: "osrm" | "valhalla" | null;
                /** @description why the routing service was not used, when it is configured */
                detail: string | null;
            };
            candidates: {
                unitId: string;
                callSign: string;
                type: string;
                distanceKm: number;
                etaSeconds: number;
                reasons: ({
                    /** @enum {string} */
                    code: "has_capabilities";
                    capabilities: string[];
                } | {
                    /** @enum {string} */
                    code: "estimated_arrival";
                    seconds: number;
                    distanceKm: number;
                    /** @enum {string} */
                    method: "distance" | "road";
                } | {
                    /** @enum {string} */
                    code: "returning_from_job";
                } | {
                    /** @enum {string} */
                    code: "position_age";
                    seconds: number;
                })[];
            }[];
            /** @description why fewer units than asked for could be recommended */
            shortfalls: ({
                /** @enum {string} */
                code: "no_units";
            } | {
                /** @enum {string} */
                code: "none_dispatchable";
                units: number;
            } | {
                /** @enum {string} */
                code: "positions_stale";
                units: number;
            } | {
                /** @enum {string} */
                code: "no_position";
                units: number;
            } | {
                /** @enum {string} */
                code: "lacking_capability";
                units: number;
                capabilities: string[];
            } | {
                /** @enum {string} */
                code: "outside_radius";
                units: number;
                radiusKm: number;
            } | {
                /** @enum {string} */
                code: "incident_has_no_position";
            } | {
                /** @enum {string} */
                code: "no_road_route";
                units: number;
            })[];
        };
        ResponseClock: {
            id: string;
            /** @enum {string} */
            kind: "deploy" | "arrive";
            /** @enum {string} */
            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
            /** @enum {string} */
            setting: "urban" | "rural";
            targetMinutes: number;
            /** @description ISO 8601 date and time (UTC) */
            measuredFrom: string;
            /** @description ISO 8601 date and time (UTC) */
            startedAt: string;
            /** @description ISO 8601 date and time (UTC) */
            warnAt: string;
            /** @description ISO 8601 date and time (UTC) */
            dueAt: string;
            /** @description ISO 8601 date and time (UTC) */
            stoppedAt: string | null;
            /** @enum {string|null} */
            stopReason: "dispatched" | "arrived" | "regraded" | "ended" | null;
            /** @description when the breach was found (its due check, later if the check was behind, or the clock's stop); the target was missed at dueAt */
            breachedAt: string | null;
            breachReason: {
                code: string;
                label: string;
                text: string | null;
                /** @description ISO 8601 date and time (UTC) */
                recordedAt: string;
                recordedBy: string | null;
            } | null;
        };
        ResponseTarget: {
            /** @enum {string} */
            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
            /** @enum {string} */
            setting: "urban" | "rural";
            /** @description incident created to first unit dispatched; null: no deploy target */
            deployMinutes: number | null;
            /** @description incident created to first unit on scene; null: no arrival target */
            arriveMinutes: number | null;
        };
        RoutingBoard: {
            /** @description ISO 8601 date and time (UTC) */
            at: string;
            queues: {
                id: string;
                key: string;
                name: string;
                isControlRoom: boolean;
                requiredSkills: string[];
                waiting: number;
                assigned: number;
                /** @description ISO 8601 date and time (UTC) */
                oldestWaitingSince: string | null;
                threatToLifeWaiting: number;
                sla: {
                    running: number;
                    warning: number;
                    breached: number;
                };
            }[];
            staff: {
                id: string;
                name: string;
                role: string;
                /** @enum {string} */
                presence: "available" | "busy" | "away" | "offline";
                /** @description ISO 8601 date and time (UTC) */
                presenceSince: string | null;
                skills: string[];
                capacity: {
                    call?: number;
                    chat?: number;
                    social?: number;
                    sms?: number;
                    email?: number;
                    online?: number;
                };
                load: {
                    call?: number;
                    chat?: number;
                    social?: number;
                    sms?: number;
                    email?: number;
                    online?: number;
                };
                /** @description available, but the console has not been heard from lately: not given work until it is */
                isStale: boolean;
                /** @description Counts the changes of their skills and capacity (never of presence); send it as the profile change's version to have it refused if they have changed since */
                profileVersion: number;
                contacts: components["schemas"]["BoardContact"][];
            }[];
            waiting: components["schemas"]["BoardContact"][];
            alerts: components["schemas"]["Alert"][];
        };
        RoutingProfile: {
            skills: string[];
            capacity: {
                [key: string]: number;
            };
            /** @description Counts the changes of skills and capacity (never of presence); send it back with a change to have it refused if they have changed since */
            version: number;
        };
        RuleSet: {
            version: number;
            isActive: boolean;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            ruleCount: number;
            variantCount: number;
            rules: {
                id: string;
                phrase: string;
                variants?: string[];
                category: string;
                weight: number;
            }[];
        };
        RuleSetSummary: {
            version: number;
            isActive: boolean;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            ruleCount: number;
            variantCount: number;
        };
        SentReply: {
            id: string;
            /** @enum {string} */
            direction: "outbound";
            body: string;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            channel: string;
            deliveryStatus: string;
            /** @description the message the reply answers, when quoteMessageId was given and the channel carries it */
            quotes: components["schemas"]["MessageQuote"] | null;
            /** @description why a reply asked to quote a message went without the quote (the channel cannot show one); null otherwise */
            quoteNote: string | null;
        };
        Session: {
            user: components["schemas"]["SignedInUser"];
            csrfToken: string;
        };
        SignedInUser: {
            id: string;
            name: string;
            email: string;
            /** @enum {string} */
            role: "call_handler" | "digital_desk_operator" | "dispatcher" | "supervisor" | "investigator" | "force_admin";
            forceId: string;
            forceName: string;
            permissions: ("contacts:read" | "contacts:reply" | "contacts:close" | "cases:create" | "cases:read" | "cases:investigate" | "cases:supervise" | "outbox:read" | "outbox:send_again" | "outbox:withdraw" | "sms_opt_outs:manage" | "jobs:manage" | "audit:verify" | "people:link" | "channels:manage" | "force:settings" | "journeys:read" | "thrive:assess" | "grade:set" | "rules:manage" | "queue:work" | "contacts:escalate" | "routing:supervise" | "routing:manage" | "staff:manage" | "incidents:read" | "incidents:write" | "dispatch:act" | "units:manage" | "positions:ingest" | "areas:manage" | "reports:read")[];
            /** @description a one-time password: only change-password, me and logout are open until it is changed */
            mustChangePassword: boolean;
        };
        SlaClock: {
            id: string;
            /** @enum {string} */
            kind: "first_response" | "next_response" | "resolution";
            label: string;
            queueId: string;
            priority: number;
            /** @description ISO 8601 date and time (UTC) */
            startedAt: string;
            /** @description ISO 8601 date and time (UTC) */
            warnAt: string;
            /** @description ISO 8601 date and time (UTC) */
            dueAt: string;
            /** @description ISO 8601 date and time (UTC) */
            stoppedAt: string | null;
            stopReason: string | null;
            /** @enum {string} */
            state: "running" | "warning" | "breached" | "met" | "missed" | "cancelled";
            /** @description until due (negative once overdue); for a stopped clock, how early or late it stopped */
            remainingMs: number;
        };
        SmsOptOut: {
            /** @description The number, in E.164 */
            phoneNumber: string;
            /** @description When it texted STOP, or staff recorded it, ISO 8601 (UTC) */
            optedOutAt: string;
            /**
             * @description keyword: the person texted STOP; staff: a member of staff recorded it
             * @enum {string}
             */
            source: "keyword" | "staff";
            /** @description The force's channel account (its number) that the STOP was sent to; null for one staff recorded */
            account: {
                id: string;
                channel: string;
                label: string;
            } | null;
            /** @description The member of staff who recorded it; null for a STOP */
            recordedBy: {
                id: string;
                name: string;
            } | null;
            /** @description Why staff recorded it; null for a STOP */
            reason: string | null;
        };
        StaffMember: {
            id: string;
            name: string;
            email: string;
            role: string;
            isActive: boolean;
            mustChangePassword: boolean;
            /** @description ISO 8601 date and time (UTC) */
            deactivatedAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            passwordChangedAt: string | null;
            /** @description ISO 8601 date and time (UTC) */
            createdAt: string;
            /** @description Counts the changes of their role; send it back with a role change to have it refused if the role has changed since */
            roleVersion: number;
            /** @description skills and capacity per channel class; null for roles that do not work the queue */
            routing: components["schemas"]["RoutingProfile"] | null;
        };
        StoredTriage: {
            score: number;
            priority: number;
            priorityLabel: string;
            ruleSetVersion: number;
            matches: ({
                ruleId: string;
                phrase: string;
                category: string;
                weight: number;
                /** @description UTF-16 offset into the message body (inclusive) */
                start: number;
                /** @description UTF-16 offset into the message body (exclusive) */
                end: number;
                matchedText: string;
                /** @description the message the text was found in */
                messageId: string;
                /** @enum {string} */
                treatment?: "counted" | "reported" | "uncorroborated" | "hyperbole" | "negated" | "repeat";
                negatedBy?: string;
            } & {
                [key: string]: unknown;
            })[];
            negatedMatches?: ({
                ruleId: string;
                phrase: string;
                category: string;
                weight: number;
                /** @description UTF-16 offset into the message body (inclusive) */
                start: number;
                /** @description UTF-16 offset into the message body (exclusive) */
                end: number;
                matchedText: string;
                /** @description the message the text was found in */
                messageId: string;
                /** @enum {string} */
                treatment?: "counted" | "reported" | "uncorroborated" | "hyperbole" | "negated" | "repeat";
                negatedBy?: string;
            } & {
                [key: string]: unknown;
            })[];
            categories?: string[];
            contributions: ({
                label: string;
                points: number;
                signal?: string;
            } & {
                [key: string]: unknown;
            })[];
            explanation: string[];
        } & {
            [key: string]: unknown;
        };
        SupervisorAlert: components["schemas"]["Alert"] | components["schemas"]["IncidentAlert"] | components["schemas"]["CaseAlert"];
        TeamSatisfaction: {
            /** @description the case's team when the victim answered; null for none */
            team: string | null;
            responses: number;
            counts: {
                1: number;
                2: number;
                3: number;
                4: number;
                5: number;
            };
            average: number;
            /** @description answers of 4 or 5, per cent */
            satisfiedPercent: number;
        };
        ThreadMessage: {
            id: string;
            /** @enum {string} */
            direction: "inbound" | "outbound";
            /**
             * @description who wrote it: the public, staff, or the system (a call's record, a handset's location, an automatic acknowledgement)
             * @enum {string}
             */
            author: "public" | "staff" | "system";
            body: string;
            /** @description when it reached us (or was written, for staff and the system): the time the thread is ordered by where `sentAt` is null */
            createdAt: string;
            /** @description when the person sent it, as the provider says, for a message from the public whose provider gave a time it could be; null when unknown (none given, or one that could not be a time). The thread is ordered by it where known, else by `createdAt`; equal times in the order stored (decision 0186) */
            sentAt: string | null;
            authorName: string | null;
            channel: string;
            /**
             * @description how it travelled when its channel carries more than one way: whatsapp for WhatsApp through the Twilio text channel; null otherwise
             * @enum {string|null}
             */
            medium: "whatsapp" | null;
            /** @description for a correction the person made to an earlier message (Messenger and Instagram let them edit one, kept as a message of its own; the earlier text stays as sent); null otherwise */
            editOf: {
                /** @description the message of this thread it changes; null when that one never reached us */
                messageId: string | null;
                /** @description which edit of that message this is (Meta's count), when known */
                number: number | null;
            } | null;
            /** @description for a reply to an earlier message (the person's on WhatsApp, or staff's chosen with "reply to this message"): which message; null otherwise */
            quotes: components["schemas"]["MessageQuote"] | null;
            /** @description true when staff may reply to this message in particular (quoteMessageId): the contact is open, its channel shows which message a reply answers, and the message has the provider's id */
            canBeQuoted: boolean;
            /**
             * @description whether the provider marked the message forwarded (frequently: WhatsApp's "forwarded many times"); null otherwise
             * @enum {string|null}
             */
            forwarded: "once" | "frequently" | null;
            deliveryStatus: string | null;
            /** @description the provider's reason when a reply could not be delivered (or is being retried) */
            deliveryError: string | null;
            /** @description files sent with the message, oldest first */
            attachments: components["schemas"]["MessageAttachment"][];
        };
        Thrive: {
            contactId: string;
            latest: components["schemas"]["ThriveAssessment"] | null;
            /** @description newest first, including the latest */
            history: components["schemas"]["ThriveAssessment"][];
            draft: {
                threat: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
                harm: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
                risk: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
                investigation: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
                vulnerability: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
                engagement: {
                    /** @description null when triage said nothing about this element: the assessor must choose */
                    rating: string | null;
                    /** @description the triage signals behind the suggestion, e.g. `"going to kill me" (threat to life)` */
                    suggestedBy: string[];
                };
            };
            reassessAfterMinutes: number;
            /** @description ISO 8601 date and time (UTC) */
            reassessmentDueAt: string | null;
            isOverdue: boolean;
            /** @description the re-assessment job found the latest assessment unanswered at its due time */
            isReassessmentFlagged: boolean;
        };
        ThriveAssessment: {
            id: string;
            /** @description ISO 8601 date and time (UTC) */
            assessedAt: string;
            assessor: {
                id: string;
                name: string;
            };
            elements: {
                threat: {
                    rating: string;
                    rationale: string;
                };
                harm: {
                    rating: string;
                    rationale: string;
                };
                risk: {
                    rating: string;
                    rationale: string;
                };
                investigation: {
                    rating: string;
                    rationale: string;
                };
                vulnerability: {
                    rating: string;
                    rationale: string;
                };
                engagement: {
                    rating: string;
                    rationale: string;
                };
            };
            /** @description ISO 8601 date and time (UTC) */
            reassessmentDueAt: string;
        };
        TriageMatch: {
            ruleId: string;
            /** @description the rule's main phrase, even when a variant matched */
            phrase: string;
            category: string;
            weight: number;
            /** @description UTF-16 offset into the text (inclusive) */
            start: number;
            /** @description UTF-16 offset into the text (exclusive) */
            end: number;
            matchedText: string;
            /** @enum {string} */
            treatment: "counted" | "reported" | "uncorroborated" | "hyperbole" | "negated" | "repeat";
            /** @description the negating word when treatment is negated */
            negatedBy?: string;
            /**
             * @description how the words were read when not as written: a misspelling, leetspeak, spaced letters, an emoji
             * @enum {string}
             */
            readAs?: "plain" | "leet" | "spaced" | "emoji" | "expanded" | "typo";
        };
        TriagePatternMatch: {
            patternId: string;
            category: string | null;
            points: number;
            /** @description UTF-16 offset into the text (inclusive) */
            start: number;
            /** @description UTF-16 offset into the text (exclusive) */
            end: number;
            matchedText: string;
            /** @enum {string} */
            treatment: "counted" | "reported" | "uncorroborated" | "hyperbole" | "negated" | "repeat";
            negatedBy?: string;
        };
        TriageResult: {
            score: number;
            priority: 1 | 2 | 3 | 4;
            priorityLabel: string;
            ruleSetVersion: number;
            matches: components["schemas"]["TriageMatch"][];
            /** @description occurrences that did not count because a negation came just before them */
            negatedMatches: components["schemas"]["TriageMatch"][];
            /** @description built-in phrase patterns that matched, with how each was treated */
            patterns: components["schemas"]["TriagePatternMatch"][];
            /** @description categories with at least one occurrence counted at full weight */
            categories: string[];
            contributions: {
                label: string;
                points: number;
                /** @enum {string} */
                signal: "channel" | "keyword" | "pattern" | "sentiment" | "distress" | "time" | "person";
            }[];
            signals: {
                sentiment: number;
                /** @description the most negative AFINN sum over any 25 words */
                sentimentWindow: number;
                capsRatio: number;
                exclamationRuns: number;
                localHour: number | null;
            };
            /** @description in the language asked for (English unless the operator's is Welsh) */
            explanation: string[];
            /** @description the explanation in English and in Welsh */
            explanations: {
                en: string[];
                cy: string[];
            };
            /** @description set when the text was longer than is scored: only this many characters were read */
            scoredLength?: number;
        };
        TrustedAddress: {
            id: string;
            /** @description The email address, in lower case with its domain in ASCII, as acknowledgements are counted */
            address: string;
            /** @description When it was added, ISO 8601 (UTC) */
            addedAt: string;
            /** @description The force admin who added it */
            addedBy: {
                id: string;
                name: string;
            };
        };
        Unit: {
            id: string;
            callSign: string;
            type: string;
            capabilities: string[];
            homeStation: string | null;
            homeAreaId: string | null;
            /** @enum {string} */
            status: "available" | "dispatched" | "en_route" | "on_scene" | "returning" | "unavailable" | "off_duty" | "retired";
            /** @description the NENA EIDO unit status this exports as (provisional, decision 0021) */
            eidoStatus: string;
            statusReason: string | null;
            incidentId: string | null;
            /** @description the statuses the unit's machine allows it to report next (`POST /api/units/:id/status`); others are refused (409) */
            moves: ("en_route" | "on_scene" | "clear" | "available" | "unavailable" | "off_duty")[];
            /** @description `retire` when it may be retired (off duty), `reinstate` when it is retired (`POST /api/units/:id/retire`, `/reinstate`, `units:manage`) */
            fleetMoves: ("retire" | "reinstate")[];
            position: {
                lat: number;
                lon: number;
                /** @description ISO 8601 date and time (UTC) */
                recordedAt: string;
                isStale: boolean;
            } | null;
        };
        VictimContactPreferences: {
            channels: ("email" | "sms" | "portal" | "letter")[];
            /** @enum {string|null} */
            language: "en" | "cy" | null;
            safeWindows: {
                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                from: string;
                to: string;
            }[];
            neverSms: boolean;
            portalOnly: boolean;
            optOutNonStatutory: boolean;
            domesticAbuse: boolean;
            victimId: string;
            isSet: boolean;
            updatedAt: string | null;
        };
        VictimUpdate: {
            id: string;
            caseId: string;
            caseReference: string;
            /** @enum {string} */
            duty: "arrest" | "charge" | "released_under_investigation" | "bail" | "out_of_court_disposal" | "no_further_action" | "not_investigated" | "referral";
            victimName: string | null;
            /** @description The timescale this update runs on, or was missed against: one working day (enhanced rights) or five */
            enhancedRights: boolean;
            /** @description The named victim's enhanced rights now; a missed update keeps the timescale it was missed against, so the two can differ. Null with no victim named */
            victimEnhancedRights: boolean | null;
            /** @description Missed before the victim it is now owed to was named: its due time had passed when they were added to the case */
            missedBeforeNamed: boolean;
            milestoneType: string;
            milestoneAt: string;
            /** @description When the update's due time counts from: its milestone, or the victim's addition to the case when they were added after it */
            countedFrom: string;
            workingDays: number;
            dueAt: string;
            warnAt: string;
            /** @enum {string} */
            standing: "open" | "due_soon" | "overdue" | "on_time" | "late" | "declined" | "withdrawn";
            satisfiedAt: string | null;
            /** @enum {string|null} */
            how: "journey" | "phone" | "visit" | "letter" | "email" | "referred" | "declined" | "withdrawn" | null;
            note: string | null;
            breachedAt: string | null;
            officerInCase: string | null;
            officerName: string | null;
            team: string | null;
        };
        /** @description Null unless the message was failed because whether it went was unknown and the provider then said it went after all. It stays failed (what followed its failure stands); once delivered the person has it, and may have a second copy if it was sent again or they were called; once undelivered they do not have it */
        WentAfterAll: {
            /** @description When the delivery run that stopped reported, late, that the provider took it */
            sentAt: string | null;
            /** @description When the provider says it reached the person (when its receipt came, if it gave no time) */
            deliveredAt: string | null;
            /** @description When the provider says the carrier could not deliver it after all (when its receipt came, if it gave no time): the person does not have it. Never set with deliveredAt */
            undeliveredAt: string | null;
            /** @description Why it could not be delivered, in the provider’s words; null unless undeliveredAt is set */
            undeliveredReason: string | null;
        } | null;
        WithdrawnMessage: {
            id: string;
            /** @enum {string} */
            status: "suppressed";
            reason: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    metricsRead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Prometheus text exposition format (version 0.0.4) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description The bearer token is missing or wrong */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description An error page (the request was refused) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An error page (the service failed or is busy) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    operationsAlive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "alive";
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    operationsReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ready"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotReady"] | components["schemas"]["Error"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    operationsApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffSignIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffSignOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactList: {
        parameters: {
            query?: {
                status?: "open" | "closed";
                limit?: number;
                assigned?: "me" | "unassigned" | "any";
                queue?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contacts: components["schemas"]["ContactSummary"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactSearch: {
        parameters: {
            query?: {
                /** @description text found in the reference, the person's name, phone or email, or any message; any case, wildcards taken literally */
                q?: string;
                status?: "open" | "closed" | "any";
                queue?: string;
                channel?: string;
                priority?: number;
                assignee?: ("me" | "unassigned") | string;
                limit?: number;
                /** @description nextCursor of the page before */
                after?: string;
                /** @description previousCursor of the page after */
                before?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactSearchPage"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactDetail"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactReply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Reply */
                    body: string;
                    /**
                     * Format: uuid
                     * @description reply to this message: the id of one of the conversation's messages (the person's or ours, from this contact's messages). WhatsApp shows it quoted and email names it in In-Reply-To; on other channels the reply goes unquoted and quoteNote says so. 404 when it is not this conversation's, 409 when it has no provider id (it was never sent)
                     */
                    quoteMessageId?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: components["schemas"]["SentReply"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactClose: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "advice_given" | "referred" | "no_further_action" | "duplicate" | "crime_recorded" | "incident_created";
                    note?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["ContactSummary"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactReopen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contact: components["schemas"]["ContactSummary"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    attachmentOpen: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bytes as received; X-Content-SHA256 is their SHA-256 at capture */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                    "image/jpeg": string;
                    "image/png": string;
                    "image/gif": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    attachmentRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The file is being fetched from the provider again
                         * @enum {string}
                         */
                        state: "fetching";
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    outboxList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messages: components["schemas"]["OutboxMessage"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    outboxSendAgain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: components["schemas"]["OutboxMessage"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    jobList: {
        parameters: {
            query?: {
                state?: "pending" | "running" | "done" | "dead";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobs: components["schemas"]["Job"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    jobRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job: components["schemas"]["Job"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    auditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainVerification"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    outboxLettersList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        letters: components["schemas"]["LetterToPrint"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    outboxLetterPrinted: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    outboxWithdraw: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Why it is withdrawn */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: components["schemas"]["WithdrawnMessage"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    smsOptOutList: {
        parameters: {
            query?: {
                /** @description Only this number, written any way (07700 900123, +44 7700 900123, 447700900123) */
                number?: string;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest first */
                        optOuts: components["schemas"]["SmsOptOut"][];
                        /** @description How many the force holds (of the number searched for, 0 or 1) */
                        total: number;
                        /** @description The number searched for, in E.164; null when listing them all */
                        number: string | null;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    smsOptOutRecord: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Phone number
                     * @description The number, written any way (07700 900123, +44 7700 900123, 447700900123)
                     */
                    number: string;
                    /** Reason */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SmsOptOut"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    smsOptOutLift: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Phone number
                     * @description The number, written any way (07700 900123, +44 7700 900123, 447700900123)
                     */
                    number: string;
                    /** Reason */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The number, in E.164 */
                        phoneNumber: string;
                        /** @description When staff lifted it, ISO 8601 (UTC) */
                        liftedAt: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    personSearch: {
        parameters: {
            query: {
                kind: "email" | "phone" | "social";
                value: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        people: components["schemas"]["PersonMatch"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    personView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        person: components["schemas"]["Person"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    personLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    personId: string;
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        link: {
                            id: string;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    personUnlink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                linkId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    thriveView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thrive"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    thriveAssess: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    threat: {
                        /** @enum {string} */
                        rating: "none" | "low" | "medium" | "high";
                        rationale: string;
                    };
                    harm: {
                        /** @enum {string} */
                        rating: "none" | "low" | "medium" | "high";
                        rationale: string;
                    };
                    risk: {
                        /** @enum {string} */
                        rating: "none" | "low" | "medium" | "high";
                        rationale: string;
                    };
                    investigation: {
                        /** @enum {string} */
                        rating: "none" | "required" | "urgent";
                        rationale: string;
                    };
                    vulnerability: {
                        /** @enum {string} */
                        rating: "none" | "possible" | "confirmed";
                        rationale: string;
                    };
                    engagement: {
                        /** @enum {string} */
                        rating: "engaged" | "reluctant" | "unable";
                        rationale: string;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thrive"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    gradeDefinitions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grades: components["schemas"]["GradeDefinition"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    gradeView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Grade"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    gradeSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Grade"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentList: {
        parameters: {
            query?: {
                which?: "live" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incidents: components["schemas"]["IncidentSummary"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the force's incident classification, e.g. `crime_violence` */
                    type: string;
                    summary?: string;
                    /** @enum {string} */
                    grade?: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                    /** @default [] */
                    contactIds?: string[];
                    locationText?: string;
                    lat?: number;
                    lon?: number;
                    /**
                     * @description every unit recommended must have these; each must be a capability some unit of the force has (not retired); `Firearms` is `firearms`
                     * @default []
                     */
                    requiredCapabilities?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentNearby: {
        parameters: {
            query: {
                lat: number;
                lon: number;
                type: string;
                radiusKm?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incidents: components["schemas"]["NearbyIncident"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentMerge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    intoIncidentId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description one of the force's incident types */
                    type?: string;
                    summary?: string;
                    /** @description replaces the list; each must be a capability some unit of the force has (not retired); `Firearms` is `firearms` */
                    requiredCapabilities?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentLinkContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    contactId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentUnlinkContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentLocation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    locationText?: string;
                    lat?: number;
                    lon?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseList: {
        parameters: {
            query?: {
                which?: "mine" | "open" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cases: {
                            id: string;
                            reference: string;
                            /** @enum {string} */
                            status: "recorded" | "allocated" | "under_investigation" | "charged" | "closed";
                            crimeType: string | null;
                            summary: string;
                            officerInCase: string | null;
                            team: string | null;
                            /** @enum {string} */
                            suspect: "none" | "identified" | "arrested" | "interviewed";
                            charged: boolean;
                            outcomeCode: string | null;
                            contactId: string | null;
                            recordsReference: string | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseRecord: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    crimeType?: string | null;
                    summary?: string;
                    victims?: {
                        name: string;
                        enhancedRights?: boolean;
                    }[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseCreate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Whether the person who made the contact is recorded as the victim (the default: yes) */
                    reporterIsVictim?: boolean;
                } | null;
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["CreatedCase"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseCatalogues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        crimeTypes: {
                            code: string;
                            group: string;
                            label: string;
                            labelCy: string;
                        }[];
                        outcomeTypes: {
                            code: string;
                            label: string;
                            labelCy: string;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseMilestone: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    type: "allocate" | "investigate" | "suspect_identified" | "suspect_arrested" | "suspect_interviewed" | "released_under_investigation" | "bailed" | "charged" | "out_of_court_disposal" | "court_date_set" | "court_result" | "property_returned" | "appointment_made" | "appointment_changed" | "appointment_cancelled" | "close" | "reopen";
                    note?: string | null;
                    /** Format: uuid */
                    officerInCase?: string | null;
                    team?: string | null;
                    /** @description For close: must agree with the case. 1 only after a charge, and a charged case closes with 1; an outcome naming a suspect needs one; 14 and 18 (nobody identified) cannot follow one */
                    outcomeCode?: string;
                    reason?: string;
                    /** @description For close: the reason in Welsh, told to a Welsh-speaking victim */
                    reasonCy?: string;
                    /** @description Required for appointment_made, appointment_changed and court_date_set: in the future, within five years. An appointment whose time is not known yet may be a date alone (2026-03-17), today or later: the victim is told the day, reminded at 09:00 UK time, and given an all-day calendar entry */
                    at?: string;
                    /** @description Required for appointment_made and court_date_set; a change without one keeps the place it had */
                    place?: string;
                    crimeType?: string;
                    /** Format: uuid */
                    appointmentId?: string;
                    /**
                     * Format: uuid
                     * @description A UUID the client makes once per milestone it means to record and sends again with any retry: a milestone already recorded on the case with it is not recorded again
                     */
                    submissionId?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseMessages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messages: components["schemas"]["CaseMessage"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseAppointments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        appointments: components["schemas"]["CaseAppointment"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    casePersonAdd: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "victim" | "witness" | "suspect";
                    /** @description Their name; a known person's own by default */
                    name?: string;
                    /**
                     * Format: uuid
                     * @description The known person they are (their email and phone by default)
                     */
                    personId?: string;
                    email?: string | null;
                    phone?: string | null;
                    /** @description A victim's postal address, for their letters; null clears it */
                    postalAddress?: components["schemas"]["PostalAddressInput"] | null;
                    /** @description A victim with enhanced rights under the Victims' Code (vulnerable, intimidated, persistently targeted, or of the most serious crime) */
                    enhancedRights?: boolean;
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                        casePersonId: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    casePersonRemove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                casePersonId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    casePersonChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                casePersonId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    email?: string | null;
                    phone?: string | null;
                    /** @description A victim's postal address, for their letters; null clears it */
                    postalAddress?: components["schemas"]["PostalAddressInput"] | null;
                    /** @description A victim's enhanced rights: their clocks not yet met fall due in one working day, or five */
                    enhancedRights?: boolean;
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        case: components["schemas"]["Case"];
                        /** @description How many of their open updates were re-timed */
                        retimed: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsCaseUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the records system: niche, athena, connect, or another name */
                    system: string;
                    /** @description the records system's own reference for the crime or occurrence */
                    reference: string;
                    /**
                     * Format: date-time
                     * @description when the records system made this change: an update older than the last one applied is ignored
                     */
                    updatedAt: string;
                    /** @description the records system's own status code, mapped to case moves by the force's mapping */
                    status?: string | null;
                    /** @description one of the force's crime types, or the records system's crime code mapped to one */
                    crimeType?: string | null;
                    /** @description the occurrence summary */
                    summary?: string;
                    /** @description the officer in case: their email address (matched to the force's staff) or collar number */
                    officerInCase?: string | null;
                    team?: string | null;
                    /** @description the same reference twice is one victim when both entries say the same; when they differ the update is refused (400) */
                    victims?: {
                        /** @description the records system's reference for this person */
                        reference: string;
                        name: string;
                        /** @description an IDN domain is kept in ASCII (punycode); an address needing SMTPUTF8 is refused (decision 0146) */
                        email?: string;
                        phone?: string;
                        /** @description where their letters go (decision 0136); an update without one clears it, as it does an email address or a phone number */
                        postalAddress?: components["schemas"]["PostalAddressInput"];
                        /** @enum {string} */
                        language?: "en" | "cy";
                        /** @description a victim entitled to enhanced rights under the Victims' Code */
                        enhancedRights?: boolean;
                    }[];
                    appointments?: {
                        reference: string;
                        /** @description the day of the appointment (a date alone, or midnight UK time, when its time is not known: the victim is told the day only), or its date and time */
                        at: string;
                        /** @description where it is; without one the victim is told "a place to be confirmed" */
                        place?: string;
                        isCancelled?: boolean;
                    }[];
                    /** @description the hearing: a status that sets a court date (CRT) without one records the court date when an update gives it */
                    courtDate?: {
                        /** @description the day of the hearing (a date alone, or midnight UK time, when its time is not known: the victim is told the day only), or its date and time */
                        at: string;
                        /** @description the court; without one the victim is told "a court to be confirmed" */
                        place?: string;
                    } | null;
                    /** @description the outcome for a status that closes the case, instead of the mapping's */
                    outcome?: {
                        /** @description a Home Office outcome type number */
                        code: string;
                        reason?: string;
                        /** @description the reason in Welsh, told to a Welsh-speaking victim */
                        reasonCy?: string;
                    } | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        result: "created" | "updated" | "duplicate" | "out_of_order";
                        caseId: string;
                        caseReference: string;
                        status: string;
                        moves: {
                            move: string;
                            event: string;
                            implied: boolean;
                        }[];
                        warnings: string[];
                        message: string;
                    };
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        result: "created" | "updated" | "duplicate" | "out_of_order";
                        caseId: string;
                        caseReference: string;
                        status: string;
                        moves: {
                            move: string;
                            event: string;
                            implied: boolean;
                        }[];
                        warnings: string[];
                        message: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsTokenList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            id: string;
                            label: string;
                            hint: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsTokenIssue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default Records system */
                    label?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        tokenInfo: {
                            id: string;
                            label: string;
                            hint: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsTokenRotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default Records system */
                    label?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        tokenInfo: {
                            id: string;
                            label: string;
                            hint: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        };
                        revoked: string[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsTokenRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsMappingView: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the force has not saved a mapping of its own: this is the default one */
                        isDefault: boolean;
                        statuses: {
                            system: string;
                            code: string;
                            label: string;
                            moves: string[];
                            outcomeCode: string | null;
                            reason: string | null;
                            reasonCy: string | null;
                        }[];
                        crimeTypes: {
                            system: string;
                            code: string;
                            crimeType: string;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordsMappingChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    statuses: {
                        system: string;
                        code: string;
                        /** @default  */
                        label?: string;
                        moves: ("allocate" | "investigate" | "suspect_identified" | "suspect_arrested" | "suspect_interviewed" | "released_under_investigation" | "bailed" | "charged" | "out_of_court_disposal" | "court_date_set" | "court_result" | "property_returned" | "appointment_made" | "appointment_changed" | "appointment_cancelled" | "close" | "reopen")[];
                        /** @default null */
                        outcomeCode?: string | null;
                        /** @default null */
                        reason?: string | null;
                        /**
                         * @description the reason in Welsh; a Welsh-speaking victim is told it (null: the English one)
                         * @default null
                         */
                        reasonCy?: string | null;
                    }[];
                    /** @default [] */
                    crimeTypes?: {
                        system: string;
                        code: string;
                        crimeType: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the force has not saved a mapping of its own: this is the default one */
                        isDefault: boolean;
                        statuses: {
                            system: string;
                            code: string;
                            label: string;
                            moves: string[];
                            outcomeCode: string | null;
                            reason: string | null;
                            reasonCy: string | null;
                        }[];
                        crimeTypes: {
                            system: string;
                            code: string;
                            crimeType: string;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    onlineReportQueue: {
        parameters: {
            query?: {
                which?: "open" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reports: components["schemas"]["OnlineReport"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    onlineReportProcess: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    summary?: string;
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        report: components["schemas"]["OnlineReport"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    onlineReportClassify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    crimeType: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        report: components["schemas"]["OnlineReport"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    onlineReportDashboard: {
        parameters: {
            query?: {
                since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        since: string;
                        received: number;
                        drafted: number;
                        processed: number;
                        classified: number;
                        awaitingDraft: number;
                        pastProcessedClock: {
                            overdue: number;
                            late: number;
                        };
                        pastClassifiedClock: {
                            overdue: number;
                            late: number;
                        };
                        isEveryReportAccountedFor: boolean;
                        unaccounted: {
                            contactId: string;
                            reference: string;
                            receivedAt: string;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseVictimUpdates: {
        parameters: {
            query?: {
                which?: "mine" | "team" | "all";
                team?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        updates: components["schemas"]["VictimUpdate"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseVictimUpdatesOfCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        updates: components["schemas"]["VictimUpdate"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseVictimInformed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                updateId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    how: "phone" | "visit" | "letter" | "email" | "referred" | "declined";
                    note?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        update: components["schemas"]["VictimUpdate"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportVictimsCode: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        teams: {
                            team: string | null;
                            total: number;
                            onTime: number;
                            late: number;
                            overdue: number;
                            open: number;
                            declined: number;
                            /** @description Withdrawn before they fell due: the victim was removed from the case (not in total) */
                            withdrawn: number;
                            breaches: number;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    helpList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        articles: components["schemas"]["HelpArticle"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    helpCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    slug: string;
                    title: string;
                    titleCy: string;
                    /** @description plain text; a blank line starts a new paragraph */
                    body: string;
                    bodyCy: string;
                    /** @description case updates of these types link to the article */
                    milestoneTypes?: ("case.created" | "case.allocated" | "case.investigation_started" | "case.suspect_identified" | "case.suspect_arrested" | "case.suspect_interviewed" | "case.released_under_investigation" | "case.bailed" | "case.charged" | "case.out_of_court_disposal" | "case.court_date_set" | "case.court_result" | "case.property_returned" | "case.appointment_made" | "case.appointment_changed" | "case.appointment_cancelled" | "case.closed" | "case.reopened" | "case.victim_update_opened" | "case.victim_update_due_soon" | "case.victim_update_breached" | "case.victim_informed" | "case.victim_update_reassigned" | "case.victim_update_retimed" | "case.victim_update_withdrawn" | "case.victim_updates_not_opened" | "case.victim_updates_alert_acknowledged" | "case.victim_updates_put_right")[];
                    published?: boolean;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        article: components["schemas"]["HelpArticle"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    helpUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    title?: string;
                    titleCy?: string;
                    /** @description plain text; a blank line starts a new paragraph */
                    body?: string;
                    bodyCy?: string;
                    /** @description case updates of these types link to the article */
                    milestoneTypes?: ("case.created" | "case.allocated" | "case.investigation_started" | "case.suspect_identified" | "case.suspect_arrested" | "case.suspect_interviewed" | "case.released_under_investigation" | "case.bailed" | "case.charged" | "case.out_of_court_disposal" | "case.court_date_set" | "case.court_result" | "case.property_returned" | "case.appointment_made" | "case.appointment_changed" | "case.appointment_cancelled" | "case.closed" | "case.reopened" | "case.victim_update_opened" | "case.victim_update_due_soon" | "case.victim_update_breached" | "case.victim_informed" | "case.victim_update_reassigned" | "case.victim_update_retimed" | "case.victim_update_withdrawn" | "case.victim_updates_not_opened" | "case.victim_updates_alert_acknowledged" | "case.victim_updates_put_right")[];
                    published?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        article: components["schemas"]["HelpArticle"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportSatisfaction: {
        parameters: {
            query: {
                from: string;
                to: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        teams: components["schemas"]["TeamSatisfaction"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseConversation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest first, each by when its first message was sent where believed, else when it reached us (decision 0186) */
                        threads: components["schemas"]["CaseConversationThread"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseConversationReply: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    contactId: string;
                    body: string;
                    /**
                     * Format: uuid
                     * @description A UUID the client makes once per reply it means to send and sends again with any retry: the same id again returns the reply it sent and sends nothing more
                     */
                    submissionId?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messageId: string;
                        at: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseVictimPreferencesView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                victimId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        preferences: components["schemas"]["VictimContactPreferences"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    caseVictimPreferencesSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                victimId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    channels: ("email" | "sms" | "portal" | "letter")[];
                    /** @enum {string|null} */
                    language: "en" | "cy" | null;
                    safeWindows: {
                        days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                        from: string;
                        to: string;
                    }[];
                    neverSms: boolean;
                    portalOnly: boolean;
                    optOutNonStatutory: boolean;
                    domesticAbuse: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        preferences: components["schemas"]["VictimContactPreferences"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentGrade: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentBreachReason: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                clockId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description one of the force's breach reasons */
                    reasonCode: string;
                    /** @description what happened, in the words of whoever explains it */
                    text?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    responseTargetsView: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        targets: components["schemas"]["ResponseTarget"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    responseTargetsSet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    targets: {
                        /** @enum {string} */
                        grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                        /** @enum {string} */
                        setting: "urban" | "rural";
                        /** @description incident created to first unit dispatched; null: no deploy target */
                        deployMinutes: number | null;
                        /** @description incident created to first unit on scene; null: no arrival target */
                        arriveMinutes: number | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        targets: components["schemas"]["ResponseTarget"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    breachReasonsList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["ControlRoomListEntry"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    breachReasonsReplace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entries: {
                        code: string;
                        label: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["ControlRoomListEntry"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    closingCodesList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["ControlRoomListEntry"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    closingCodesReplace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entries: {
                        code: string;
                        label: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["ControlRoomListEntry"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentTypesList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["IncidentType"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentTypesReplace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entries: {
                        code: string;
                        label: string;
                        /** @enum {string} */
                        category: "public_safety_welfare" | "crime" | "anti_social_behaviour" | "transport";
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["IncidentType"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportResponse: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        asOf: string;
                        rows: {
                            areaName: string | null;
                            /** @enum {string} */
                            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                            incidents: number;
                            deploy: {
                                measured: number;
                                withinTarget: number;
                                withinTargetPercent: number | null;
                                medianMinutes: number | null;
                                p90Minutes: number | null;
                            };
                            arrive: {
                                measured: number;
                                withinTarget: number;
                                withinTargetPercent: number | null;
                                medianMinutes: number | null;
                                p90Minutes: number | null;
                            };
                            breaches: number;
                        }[];
                        totals: {
                            areaName: string | null;
                            /** @enum {string} */
                            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                            incidents: number;
                            deploy: {
                                measured: number;
                                withinTarget: number;
                                withinTargetPercent: number | null;
                                medianMinutes: number | null;
                                p90Minutes: number | null;
                            };
                            arrive: {
                                measured: number;
                                withinTarget: number;
                                withinTargetPercent: number | null;
                                medianMinutes: number | null;
                                p90Minutes: number | null;
                            };
                            breaches: number;
                        }[];
                        breaches: {
                            incidentId: string;
                            number: number;
                            areaName: string | null;
                            /** @enum {string} */
                            grade: "immediate" | "priority" | "scheduled" | "resolution_without_deployment";
                            /** @enum {string} */
                            kind: "deploy" | "arrive";
                            dueAt: string;
                            /** @description when the target was missed: its due time, however late the breach was found */
                            breachedAt: string;
                            reasonCode: string | null;
                            reasonLabel: string | null;
                            reasonText: string | null;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportResponseCsv: {
        parameters: {
            query?: {
                from?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The response report, one table of figures and one of breaches, separated by a blank line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentEido: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EidoDocument"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitList: {
        parameters: {
            query?: {
                /** @description `active`: every unit not retired; `all`: the retired too (decision 0086) */
                which?: "active" | "all";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        units: components["schemas"]["Unit"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description stored in upper case without spaces: `zz 99` is ZZ99, and taken if ZZ99 is */
                    callSign: string;
                    /** @description e.g. `response`, `neighbourhood`, `dog`, `armed_response`, `roads_policing` */
                    type: string;
                    /**
                     * @description e.g. `firearms`, `taser`, `dog`, `first_aid_2`; `Firearms` is `firearms`, and one capability given twice is kept once
                     * @default []
                     */
                    capabilities?: string[];
                    homeStation?: string;
                    /** Format: uuid */
                    homeAreaId?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    type?: string;
                    /** @description replaces the list; `Firearms` is `firearms`, and one capability given twice is kept once */
                    capabilities?: string[];
                    homeStation?: string | null;
                    /** Format: uuid */
                    homeAreaId?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitRetire: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description e.g. `sold`, `written off`, `call sign disbanded` */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitReinstate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitPositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    positions: {
                        /** Format: uuid */
                        unitId: string;
                        lat: number;
                        lon: number;
                        /** Format: date-time */
                        recordedAt: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PositionIngestResult"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitTrail: {
        parameters: {
            query?: {
                /** @description positions recorded after this (default: an hour before `until`) */
                since?: string;
                /** @description positions recorded at or before this (default: now) */
                until?: string;
                /** @description at most this many, oldest first (at most 5000) */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PositionTrail"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trackingTokenList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            id: string;
                            label: string;
                            hint: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trackingTokenIssue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default Vehicle tracking */
                    label?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        token: string;
                        tokenInfo: {
                            id: string;
                            label: string;
                            hint: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trackingTokenRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentRecommend: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Recommendation"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentDispatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    unitIds: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    incidentStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    move: "resolve" | "close" | "cancel" | "resolve_without_deployment";
                    closingCode?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        incident: components["schemas"]["Incident"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unitStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    status: "en_route" | "on_scene" | "clear" | "available" | "unavailable" | "off_duty";
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        unit: components["schemas"]["Unit"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    areaList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        areas: components["schemas"]["Area"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    mapBase: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MapBase"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    areaImportPreview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AreaImportRequestInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AreaImportPreview"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    areaImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AreaImportRequestInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AreaImportResult"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    areaChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeAreaRequestInput"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        area: components["schemas"]["Area"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    areaRemove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        areas: components["schemas"]["Area"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingBoard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoutingBoard"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyRouting"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactTake: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactPush: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: uuid */
                    staffId: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactTakeBack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactEscalate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queue: {
                            queueId: string;
                            queueName: string;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    contactCallback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    number?: string;
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the new contact for the call back */
                        callback: {
                            id: string;
                            reference: string;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    alertList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alerts: components["schemas"]["SupervisorAlert"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    alertAcknowledge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                } | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        alert: components["schemas"]["SupervisorAlert"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    queueList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queues: components["schemas"]["Queue"][];
                        rules: components["schemas"]["QueueRule"][];
                        /** @description Counts the replacements of the force's rules; send it back with a replacement to have it refused if the rules have been replaced since */
                        rulesVersion: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    queueRulesReplace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rules: {
                        /**
                         * Queue
                         * Format: uuid
                         */
                        queueId: string;
                        channels?: ("chat" | "sms_twilio" | "sms_notify" | "meta" | "x" | "email" | "portal" | "api" | "phone" | "callback")[];
                        categories?: ("weapons" | "threat_to_life" | "self_harm" | "domestic_abuse" | "child_at_risk" | "missing_person" | "hate" | "road_danger" | "violence" | "sexual_offence" | "fire" | "exclusion")[];
                        priorities?: number[];
                    }[];
                    /**
                     * Version
                     * @description The rules' version as read (`rulesVersion` of GET /api/queues): if the force's rules have been replaced since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: components["schemas"]["QueueRule"][];
                        /** @description Counts the replacements of the force's rules; send it back with a replacement to have it refused if the rules have been replaced since */
                        rulesVersion: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    queueUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    sla?: {
                        1: {
                            firstResponseMinutes: number;
                            nextResponseMinutes: number;
                            resolutionMinutes: number;
                        };
                        2: {
                            firstResponseMinutes: number;
                            nextResponseMinutes: number;
                            resolutionMinutes: number;
                        };
                        3: {
                            firstResponseMinutes: number;
                            nextResponseMinutes: number;
                            resolutionMinutes: number;
                        };
                        4: {
                            firstResponseMinutes: number;
                            nextResponseMinutes: number;
                            resolutionMinutes: number;
                        };
                    };
                    warnAtPercent?: number;
                    requiredSkills?: ("control_room" | "domestic_abuse" | "child_protection" | "mental_health" | "hate_crime" | "social_media" | "welsh" | "bsl")[];
                    /**
                     * Version
                     * @description The queue's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queue: components["schemas"]["Queue"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    queueMakeDefault: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        queue: components["schemas"]["Queue"];
                        /** @description the queue that was the default until now */
                        previousDefault: components["schemas"]["Queue"] | null;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelSlaTargetsView: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channels: components["schemas"]["ChannelTargets"][];
                        /** @description Counts the changes of the force's targets by channel, as a whole; send it back with a change to have it refused if they have changed since */
                        version: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelSlaTargetsSet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Web chat */
                    chat?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /** Text message */
                    sms?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /** Social media */
                    social?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /** Email */
                    email?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /** Online report */
                    portal?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /** Phone */
                    voice?: {
                        /** First response target */
                        firstResponseMinutes: number | null;
                        /** Next response target */
                        nextResponseMinutes: number | null;
                    };
                    /**
                     * Version
                     * @description The targets' version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channels: components["schemas"]["ChannelTargets"][];
                        /** @description Counts the changes of the force's targets by channel, as a whole; send it back with a change to have it refused if they have changed since */
                        version: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingPresence: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    presence: "available" | "busy" | "away" | "offline";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        presence: "available" | "busy" | "away" | "offline";
                        /** @description contacts given back to their queues by going offline */
                        returnedContacts: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingHeartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingPresenceSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    presence: "available" | "busy" | "away" | "offline";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        presence: "available" | "busy" | "away" | "offline";
                        /** @description contacts given back to their queues by going offline */
                        returnedContacts: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    routingProfileSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    skills?: ("control_room" | "domestic_abuse" | "child_protection" | "mental_health" | "hate_crime" | "social_media" | "welsh" | "bsl")[];
                    capacity?: {
                        [key: string]: number;
                    };
                    /**
                     * Version
                     * @description The routing profile's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                        routing: components["schemas"]["RoutingProfile"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triageRuleSetList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ruleSets: components["schemas"]["RuleSetSummary"][];
                        categories: ("weapons" | "threat_to_life" | "self_harm" | "domestic_abuse" | "child_at_risk" | "missing_person" | "hate" | "road_danger" | "violence" | "sexual_offence" | "fire" | "exclusion")[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triageRuleSetCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    rules: {
                        phrase: string;
                        /** @default [] */
                        variants?: string[];
                        /** @enum {string} */
                        category: "weapons" | "threat_to_life" | "self_harm" | "domestic_abuse" | "child_at_risk" | "missing_person" | "hate" | "road_danger" | "violence" | "sexual_offence" | "fire" | "exclusion";
                        weight: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: number;
                        isActive: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triageRuleSetRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ruleSet: components["schemas"]["RuleSet"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triageRuleSetActivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: number;
                        isActive: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    triageTry: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                    version?: number;
                    channel?: string;
                    line?: string;
                    /** @enum {string} */
                    language?: "en" | "cy";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        result: components["schemas"]["TriageResult"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forceSettingsView: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        settings: components["schemas"]["ForceSettings"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forceSettingsChange: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description a message on a thread closed this recently re-opens it; later ones start a new contact */
                    reopenClosedWithinHours?: number;
                    /** @description re-THRIVE an open contact after this long */
                    thriveReassessAfterMinutes?: number;
                    /** @description the public may report online without giving an email address or phone number */
                    anonymousPortalReports?: boolean;
                    /** @description an online report is processed within this many minutes of being received (default 60) */
                    onlineReportProcessedWithinMinutes?: number;
                    /** @description an online report is classified within this many hours of being received (default 24) */
                    onlineReportClassifiedWithinHours?: number;
                    /** @description minutes from grading to the target for each grade; null for none */
                    gradeTargets?: {
                        immediate?: number | null;
                        priority?: number | null;
                        scheduled?: number | null;
                        resolution_without_deployment?: number | null;
                    };
                    /** @description the case page of the victim portal; replaces the stored value as a whole */
                    victimPortal?: {
                        /** @description how a victim reaches the officer in case, in English ({reference} is filled in), e.g. "Call 101 and quote {reference}" */
                        contactRoute?: string;
                        /** @description the same in Welsh */
                        contactRouteCy?: string;
                        /** @description show victims the officer in case's email address (off: only the contact route) */
                        showOfficerEmail?: boolean;
                    };
                    /** @description the force's road-routing service (OSRM or Valhalla) for arrival times in recommendations; null to use straight-line estimates */
                    roadRouting?: {
                        /**
                         * @description `osrm` (table service) or `valhalla` (time-distance matrix)
                         * @enum {string}
                         */
                        engine: "osrm" | "valhalla";
                        /**
                         * Format: uri
                         * @description the base URL of the service; it must pass the outbound address checks (OUTBOUND_ALLOW_LIST for one inside the force network)
                         */
                        url: string;
                        /** @description OSRM profile (default `driving`) or Valhalla costing (default `auto`) */
                        profile?: string;
                        /** @description how long to wait before using straight-line estimates (default 2,000) */
                        timeoutMs?: number;
                        /** @description multiplies the service's times (under 1 for blue-light driving; default 1) */
                        durationFactor?: number;
                    } | null;
                    /** @description a unit whose latest position is older than this is stale: shown so, and not recommended (default 5) */
                    positionStaleAfterMinutes?: number;
                    /** @description units' past positions are kept this many days, then deleted (default 7) */
                    positionHistoryDays?: number;
                    /** @description the most portal acknowledgements one email address is sent in 24 hours (default 5) */
                    acknowledgementsPerAddress?: number;
                    /** @description the most one of the force's trusted reporting addresses is sent in 24 hours (default 200; never fewer than any other address) */
                    trustedAcknowledgementsPerAddress?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        settings: components["schemas"]["ForceSettings"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trustedAddressList: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest first */
                        addresses: components["schemas"]["TrustedAddress"][];
                        /** @description How many the force trusts */
                        total: number;
                        allowance: components["schemas"]["AcknowledgementAllowance"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trustedAddressAdd: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Email address */
                    address: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: components["schemas"]["TrustedAddress"];
                        added: boolean;
                    };
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: components["schemas"]["TrustedAddress"];
                        added: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    trustedAddressRemove: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Email address */
                    address: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        /** @description ISO 8601 (UTC) */
                        removedAt: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffChangePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    currentPassword: string;
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changed: boolean;
                        /** @description sessions of this account on other devices, now signed out */
                        otherSessionsEnded: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffMember"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffAdd: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** Format: email */
                    email: string;
                    /** @enum {string} */
                    role: "call_handler" | "digital_desk_operator" | "dispatcher" | "supervisor" | "investigator" | "force_admin";
                    skills?: ("control_room" | "domestic_abuse" | "child_protection" | "mental_health" | "hate_crime" | "social_media" | "welsh" | "bsl")[];
                    capacity?: {
                        [key: string]: number;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffMember"];
                        /** @description shown once; never stored in the clear */
                        oneTimePassword: string;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffResetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description shown once; never stored in the clear */
                        oneTimePassword: string;
                        sessionsEnded: number;
                        returnedContacts: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffDeactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        sessionsEnded: number;
                        returnedContacts: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffReactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reactivated: boolean;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    staffChangeRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    role: "call_handler" | "digital_desk_operator" | "dispatcher" | "supervisor" | "investigator" | "force_admin";
                    /**
                     * Version
                     * @description The role's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        staff: components["schemas"]["StaffMember"];
                        returnedContacts: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templateList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        templates: components["schemas"]["MessageTemplate"][];
                        keys: components["schemas"]["MessageTemplateKey"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templateSave: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default email
                     * @enum {string}
                     */
                    channel?: "email" | "sms";
                    /** @enum {string} */
                    locale: "en" | "cy";
                    /** @default  */
                    subject?: string;
                    /** Message */
                    body: string;
                    /**
                     * Version
                     * @description The template's version as read (its `version`; 0 if it was not written yet): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        template: components["schemas"]["MessageTemplate"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templatePreview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    subject?: string;
                    /** Message */
                    body: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        preview: {
                            subject: string;
                            body: string;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templateVersions: {
        parameters: {
            query: {
                channel?: "email" | "sms";
                locale: "en" | "cy";
            };
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        versions: components["schemas"]["MessageTemplateVersion"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    templateTestSend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default email
                     * @enum {string}
                     */
                    channel?: "email" | "sms";
                    /** @enum {string} */
                    locale: "en" | "cy";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        outboxId: string;
                        preview: {
                            subject: string;
                            body: string;
                        };
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    journeyRuleList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: components["schemas"]["JourneyRule"][];
                        /** @description Counts the changes of the order of the force's rules (a new order, a rule added last); send it back with a new order to have it refused if the order has changed since */
                        orderVersion: number;
                        choices: components["schemas"]["JourneyRuleChoices"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    journeyRuleAdd: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Milestone */
                    milestone: string;
                    /** Message */
                    templateKey: string;
                    /**
                     * Crime type
                     * @default null
                     */
                    crimeType?: string | null;
                    /**
                     * Victims
                     * @default all
                     * @enum {string}
                     */
                    victimCategory?: "all" | "standard" | "enhanced" | "domestic_abuse";
                    /**
                     * Outcomes
                     * @default null
                     */
                    outcomeCodes?: string[] | null;
                    /**
                     * Delay
                     * @default 0
                     */
                    delayMinutes?: number;
                    /**
                     * Counted from
                     * @default milestone
                     * @enum {string}
                     */
                    delayFrom?: "milestone" | "at";
                    /**
                     * Victims' Code update
                     * @default false
                     */
                    statutory?: boolean;
                    /**
                     * Fallback
                     * @default false
                     */
                    fallback?: boolean;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: components["schemas"]["JourneyRule"];
                        warnings: string[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    journeyRuleChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Milestone */
                    milestone?: string;
                    /** Message */
                    templateKey?: string;
                    /** Crime type */
                    crimeType?: string | null;
                    /**
                     * Victims
                     * @enum {string}
                     */
                    victimCategory?: "all" | "standard" | "enhanced" | "domestic_abuse";
                    /** Outcomes */
                    outcomeCodes?: string[] | null;
                    /** Delay */
                    delayMinutes?: number;
                    /**
                     * Counted from
                     * @enum {string}
                     */
                    delayFrom?: "milestone" | "at";
                    /** Victims' Code update */
                    statutory?: boolean;
                    /** Fallback */
                    fallback?: boolean;
                    /**
                     * Version
                     * @description The rule's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: components["schemas"]["JourneyRule"];
                        warnings: string[];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    journeyRuleSwitch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Switched on */
                    active: boolean;
                    /**
                     * Withdraw its waiting messages
                     * @description When switching off: withdraw the messages the rule queued that have not gone yet (true unless false is given; decision 0074). Ignored when switching on
                     */
                    withdrawQueued?: boolean;
                    /**
                     * Version
                     * @description The rule's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rule: components["schemas"]["JourneyRule"];
                        warnings: string[];
                        /** @description How many messages the rule had queued, not yet gone, were withdrawn */
                        withdrawn: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    journeyRuleReorder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Order */
                    ruleIds: string[];
                    /**
                     * Version
                     * @description The order's version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: components["schemas"]["JourneyRule"][];
                        /** @description Counts the changes of the order of the force's rules (a new order, a rule added last); send it back with a new order to have it refused if the order has changed since */
                        orderVersion: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accounts: components["schemas"]["ChannelAccount"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelConnect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    channel: string;
                    label: string;
                    config: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        account: components["schemas"]["ChannelAccount"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelKindsList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        channels: components["schemas"]["ChannelKind"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelUpdate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    label?: string;
                    isEnabled?: boolean;
                    /**
                     * Version
                     * @description The account’s version as read (its `version`): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked
                     */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        account: components["schemas"]["ChannelAccount"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelSettingsRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelAccountSettings"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelMailboxRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailboxHealth"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelReconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    label: string;
                    config: {
                        [key: string]: unknown;
                    };
                    /** @description the account’s version its settings were read at: refused with a 409 once it has been connected again since */
                    version?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        account: components["schemas"]["ChannelAccount"];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelInboundList: {
        parameters: {
            query?: {
                status?: "processed" | "rejected" | "replayed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requests: components["schemas"]["InboundRequest"][];
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    channelInboundReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description new messages */
                        stored: number;
                        /** @description messages already stored from an earlier delivery */
                        duplicates: number;
                    };
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    liveSubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching Protocols: a WebSocket of JSON text messages */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveMessage"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postApiChannelsApiMessages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksNotifyInboundSms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksNotifyStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhooksMeta: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksMeta: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhooksX: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksX: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksTwilioSms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksTwilioStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksTelephonyCalls: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhooksTelephonyAml: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's acknowledgement or handshake answer, in the form that provider expects */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "*/*": string;
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chatSessionCreate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    widgetKey: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatSession"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chatHistory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sessionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatHistory"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chatSocket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching Protocols: a WebSocket of JSON text messages */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatServerFrame"];
                };
            };
            /** @description Refused: the request cannot be served as it is (error.code says why) */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Failed, or too busy to serve (error.code says which; a 503 carries Retry-After) */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
