// Names for the generated API types the console uses. Nothing here is written by hand: each is an
// alias of a schema in schema.ts (generated from the server's routes by `npm run api:generate`), so
// a change on the server is a compile error here, not a drift.
import type { components, paths } from './schema.ts';

type Schemas = components['schemas'];

/** The JSON body a POST to `P` takes. */
type PostBody<P extends keyof paths> = paths[P] extends { post: { requestBody: { content: { 'application/json': infer B } } } } ? NonNullable<B> : never;

/** The query string a GET of `P` takes. */
type GetQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

// --- who is signed in -----------------------------------------------------------

export type Session = Schemas['Session'];
export type StaffUser = Schemas['SignedInUser'];
/** Every permission the server knows, from its own list (permissions.ts on the server). */
export type Permission = StaffUser['permissions'][number];
export type StaffAccount = Schemas['StaffMember'];

// --- contacts -------------------------------------------------------------------------

export type ContactSummary = Schemas['ContactSummary'];
export type ContactDetail = Schemas['ContactDetail'];
export type ContactRecord = ContactDetail['contact'];
export type ContactRouting = ContactDetail['routing'];
export type ContactMessage = Schemas['ThreadMessage'];
export type Person = NonNullable<ContactDetail['person']>;
export type TimelineEntry = ContactDetail['timeline'][number];
export type AssignedFilter = NonNullable<GetQuery<'/api/contacts'>['assigned']>;
export type ContactSearchParams = GetQuery<'/api/contacts/search'>;
export type ContactSearchPage = Schemas['ContactSearchPage'];
export type CloseOutcome = PostBody<'/api/contacts/{id}/close'>['outcome'];
/** 1 (most urgent) to 4. */
export type Priority = ContactSummary['priority'];

// --- triage ---------------------------------------------------------------------------

/** How triage scored a contact, as stored with it. */
export type Triage = Schemas['StoredTriage'];
export type TriageMatch = Triage['matches'][number];
export type RuleSetSummary = Schemas['RuleSetSummary'];
export type RuleSet = Schemas['RuleSet'];
export type TriageRuleInput = PostBody<'/api/triage/rule-sets'>['rules'][number];
export type TriageCategory = TriageRuleInput['category'];
/** A text scored by "try it", with every match and why. */
export type TriageResult = Schemas['TriageResult'];
export type TriageResultMatch = Schemas['TriageMatch'];

// --- THRIVE and grading -------------------------------------------------------------

export type ThriveView = Schemas['Thrive'];
export type ThriveAssessment = Schemas['ThriveAssessment'];
export type ThriveInput = PostBody<'/api/contacts/{id}/thrive'>;
export type ThriveElement = keyof ThriveInput;
export type ThriveRating<E extends ThriveElement = ThriveElement> = ThriveInput[E]['rating'];
export type GradeView = Schemas['Grade'];
export type GradeDefinition = Schemas['GradeDefinition'];
export type Grade = GradeDefinition['grade'];

// --- routing, SLA clocks and alerts -------------------------------------------------------

export type SlaClock = Schemas['SlaClock'];
export type SlaState = SlaClock['state'];
export type MyRouting = Schemas['MyRouting'];
export type Presence = MyRouting['presence'];
export type CapacityClass = keyof MyRouting['capacity'];
export type RoutingBoard = Schemas['RoutingBoard'];
export type BoardQueue = RoutingBoard['queues'][number];
export type BoardStaff = RoutingBoard['staff'][number];
export type BoardContact = Schemas['BoardContact'];
export type Alert = Schemas['Alert'];
export type IncidentAlert = Schemas['IncidentAlert'];
/** What the supervisors' banner lists: a contact's alert or an incident's missed response target. */
export type SupervisorAlert = Schemas['SupervisorAlert'];
export type AlertKind = SupervisorAlert['kind'];
/** What the /api/live socket sends. */
export type LiveMessage = Schemas['LiveMessage'];

// --- administration -----------------------------------------------------------------

export type OutboxMessage = Schemas['OutboxMessage'];
export type Job = Schemas['Job'];
export type JobState = Job['state'];
export type AuditVerifyResult = Schemas['ChainVerification'];
export type QueueView = Schemas['Queue'];
export type QueueTargets = QueueView['sla'][1];
export type ChannelTargets = Schemas['ChannelTargets'];
/** One rule that puts new contacts into a queue (null: any); the rules are read and replaced as one ordered list. */
export type QueueRule = Schemas['QueueRule'];
export type QueueRuleInput = PostBody<'/api/queues/rules'>['rules'][number];
export type AreaImportInput = PostBody<'/api/areas/import'>;
export type AreaImportPreview = Schemas['AreaImportPreview'];
export type AreaChanges = PostBody<'/api/areas/{id}'>;
export type ResponseChannel = ChannelTargets['channel'];
export type ChannelAccount = Schemas['ChannelAccount'];
export type MailboxHealth = NonNullable<Schemas['MailboxHealth']['mailbox']>;
export type ChannelKind = Schemas['ChannelKind'];
export type ChannelConnectField = Schemas['ChannelConnectField'];
export type ChannelConnectInput = PostBody<'/api/channels'>;
export type ChannelReconnectInput = PostBody<'/api/channels/{id}/reconnect'>;
export type ChannelAccountSettings = Schemas['ChannelAccountSettings'];
export type MessageTemplate = Schemas['MessageTemplate'];
export type MessageTemplateKey = Schemas['MessageTemplateKey'];
export type TemplateLocale = MessageTemplate['locale'];
export type JourneyRule = Schemas['JourneyRule'];
export type JourneyRuleChoices = Schemas['JourneyRuleChoices'];
export type JourneyRuleInput = PostBody<'/api/journey-rules'>;
export type JourneyRuleChange = PostBody<'/api/journey-rules/{id}'>;
export type ForceSettings = Schemas['ForceSettings'];
export type ForceSettingsInput = PostBody<'/api/force/settings'>;
export type NewStaffInput = PostBody<'/api/staff'>;
export type StaffRoleName = NewStaffInput['role'];
export type SkillName = NonNullable<NewStaffInput['skills']>[number];
export type NewUnitInput = PostBody<'/api/units'>;
export type UnitChanges = PostBody<'/api/units/{id}'>;

// --- errors ---------------------------------------------------------------------------

/** The one error body every JSON route answers with when it refuses or fails. */
export type ErrorBody = Schemas['Error'];
export type ErrorCode = ErrorBody['error']['code'];
