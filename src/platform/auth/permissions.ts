/** Staff roles, as the force assigns them. */
export const STAFF_ROLES = [
  'call_handler',
  'digital_desk_operator',
  'dispatcher',
  'supervisor',
  'investigator',
  'force_admin',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every permission a route can require. */
export const PERMISSIONS = [
  'contacts:read',
  'contacts:reply',
  'contacts:close',
  'cases:create',
  /** See cases, the people on them and their timelines. */
  'cases:read',
  /** Record cases and their milestones: allocate, investigate, suspects, charges, court, appointments, close. */
  'cases:investigate',
  /** See the force's Victims' Code clocks and their breaches, by team. */
  'cases:supervise',
  'outbox:read',
  /** Send a failed outbox message again, once its cause is mended (decision 0058). */
  'outbox:send_again',
  /** Withdraw a message that has not gone yet, with the reason (decision 0074). */
  'outbox:withdraw',
  /** Record by hand that a number is not to be texted, and lift such an opt-out (decision 0071). */
  'sms_opt_outs:manage',
  'jobs:manage',
  'audit:verify',
  'people:link',
  'channels:manage',
  'force:settings',
  /** See the force's journey rules: which message each case milestone sends, to whom and when (changing them is force:settings). */
  'journeys:read',
  'thrive:assess',
  'grade:set',
  'rules:manage',
  /** Set one's own presence, take a waiting contact, be given work. */
  'queue:work',
  /** Move a contact to the control-room queue. */
  'contacts:escalate',
  /** Watch every queue and person live, push and take back contacts, acknowledge alerts. */
  'routing:supervise',
  /** Change queues' SLA targets and staff skills and capacity. */
  'routing:manage',
  /** List the force's staff, reset their passwords, deactivate and reactivate them. */
  'staff:manage',
  /** See incidents, units and their positions. */
  'incidents:read',
  /** Create incidents (from contacts or directly), link and unlink contacts, add notes. */
  'incidents:write',
  /** Recommend and dispatch units, move units and incidents through their statuses. */
  'dispatch:act',
  /** Add units, change their type, capabilities and home, and retire or reinstate them. */
  'units:manage',
  /** Send unit positions (a tracking feed signed in as staff, or a dispatcher by hand). */
  'positions:ingest',
  /** Import the force's districts and beats from a boundary file, rename them, set them urban or rural, remove them. */
  'areas:manage',
  /** See the force's performance reports (response times by area and grade) and export them. */
  'reports:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CONTACT_WORK: Permission[] = [
  'contacts:read',
  'contacts:reply',
  'contacts:close',
  'cases:create',
  'people:link',
  // Risk assessment and grading belong to whoever handles the contact; dispatchers act on the grade.
  'thrive:assess',
  'grade:set',
  'queue:work',
  'contacts:escalate',
  // A call handler grades a call and turns it into an incident; dispatchers act on it.
  'incidents:read',
  'incidents:write',
];
const DISPATCH_WORK: Permission[] = ['incidents:read', 'incidents:write', 'dispatch:act', 'positions:ingest'];

/** What each role may do. A force admin administers; it does not work the queue. */
export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  call_handler: CONTACT_WORK,
  digital_desk_operator: CONTACT_WORK,
  dispatcher: ['contacts:read', ...DISPATCH_WORK],
  supervisor: [...CONTACT_WORK, 'cases:read', 'cases:investigate', 'cases:supervise', 'journeys:read', 'outbox:read', 'outbox:send_again', 'outbox:withdraw', 'sms_opt_outs:manage', 'rules:manage', 'routing:supervise', 'routing:manage', 'dispatch:act', 'positions:ingest', 'units:manage', 'reports:read'],
  investigator: ['contacts:read', 'cases:create', 'cases:read', 'cases:investigate', 'journeys:read', 'outbox:withdraw', 'incidents:read'],
  force_admin: [
    'contacts:read',
    'outbox:read',
    'outbox:send_again',
    'outbox:withdraw',
    'sms_opt_outs:manage',
    'jobs:manage',
    'audit:verify',
    'channels:manage',
    'rules:manage',
    'force:settings',
    'journeys:read',
    'routing:manage',
    'staff:manage',
    'incidents:read',
    'units:manage',
    'areas:manage',
    'reports:read',
  ],
};

export function roleHasPermission(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export const ROLE_LABELS: Record<StaffRole, string> = {
  call_handler: 'Call handler',
  digital_desk_operator: 'Digital desk operator',
  dispatcher: 'Dispatcher',
  supervisor: 'Supervisor',
  investigator: 'Investigator',
  force_admin: 'Force admin',
};
