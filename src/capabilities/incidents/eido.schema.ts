import { EIDO_UNIT_STATUS, type UnitStatus } from '../units/unit.machine.ts';
import type { Grade } from '../grading/grading.schema.ts';
import type { IncidentView } from './incidents.schema.ts';

// An incident as a NENA Emergency Incident Data Object (EIDO, NENA-STA-021, JSON), built from the
// incident as Bluelamp holds it: pure, so it can be tested against the schema's required fields.
// Field names follow the EIDO JSON OpenAPI schema (EmergencyIncidentDataObjectType and its
// component types). Values that must come from NENA registries are mapped in the tables below;
// where the registry itself was not available to check against, the value is marked provisional
// (decision 0021) and our own code always travels beside it (…InternalCode / unitStatusInternal).

/** What the export needs beyond the incident view. */
export type EidoInput = {
  incident: IncidentView;
  /** The force: its name, and a domain that identifies it (NENA-STA-010 agency identifier). */
  agency: { name: string; domain: string };
  incidentType: { code: string; label: string; category: string } | null;
  /** One entry per assignment (a unit cleared and sent again has two); `status` is the unit's now. */
  units: { unitId: string; callSign: string; type: string; capabilities: string[]; status: UnitStatus; assignedAt: string; clearedAt: string | null }[];
  /** Incidents merged into this one as duplicates. */
  mergedFrom: { id: string; reference: string; mergedAt: string }[];
  /** When the document is issued. */
  issuedAt: Date;
  /** Why it is issued (Reason For Issue registry): exported on request. */
  reason?: string;
};

/** Our grade as the common priority number (higher is more urgent) and the text staff use. */
const PRIORITY: Record<Grade, number> = { immediate: 4, priority: 3, scheduled: 2, resolution_without_deployment: 1 };

/**
 * The Incident Type registry entry for each of our national categories. Provisional: the registry
 * values were not at hand; the force's own code and label are always sent as the internal code.
 */
export const EIDO_INCIDENT_TYPE: Record<string, string> = {
  public_safety_welfare: 'PublicSafety',
  crime: 'Crime',
  anti_social_behaviour: 'PublicDisorder',
  transport: 'Traffic',
};

/** The Emergency Resource Type registry entry for a unit type. Provisional, as above. */
export const EIDO_RESOURCE_TYPE: Record<string, string> = {
  response: 'LawEnforcementPatrol',
  neighbourhood: 'LawEnforcementPatrol',
  roads_policing: 'LawEnforcementTraffic',
  armed_response: 'LawEnforcementTactical',
  dog: 'LawEnforcementK9',
};

/** An incident's globally unique tracking identifier (urn:emergency:uid:incidentid:<id>:<agency>). */
export function incidentTrackingIdentifier(incidentId: string, agencyDomain: string): string {
  return `urn:emergency:uid:incidentid:${incidentId}:${agencyDomain}`;
}

/** Escapes text for XML (the PIDF-LO location). */
const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** A PIDF-LO point for a latitude and longitude (RFC 4119 / RFC 5491, WGS 84). */
export function pidfLoPoint(entity: string, lat: number, lon: number, at: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" entity="${xml(entity)}">` +
    `<device id="incident"><gp:geopriv><gp:location-info><gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>${lat} ${lon}</gml:pos></gml:Point></gp:location-info>` +
    `<gp:usage-rules/></gp:geopriv><timestamp>${xml(at)}</timestamp></device></presence>`
  );
}

/**
 * Notes are HTML5 in EIDO: the text staff typed is escaped, never passed through, so a note can
 * never carry markup into a receiving system.
 */
const html = (text: string) => xml(text).replace(/\r?\n/g, '<br>');

/** The EIDO document for one incident. */
export function buildEido(input: EidoInput): Record<string, unknown> {
  const { incident, agency } = input;
  const base = `incidentid:${incident.id}:${agency.domain}`;
  const id = (part: string) => `${base}:${part}`;
  const issued = input.issuedAt.toISOString();
  const prologue = (part: string, updated: string = incident.updatedAt) => ({ $id: id(part), lastUpdateTimeStamp: updated, owningAgencyIdentifier: agency.domain });
  const ref = (part: string) => ({ $ref: id(part) });

  // The schema lists `personRoleRegistryText` as required for an agent but describes the role as
  // `agentRoleRegistryText`: both are sent, so the document validates whichever a receiver reads.
  const agent = {
    ...prologue('agent:bluelamp', issued),
    agentIdentification: `bluelamp@${agency.domain}`,
    agentRoleRegistryText: ['Dispatching'],
    personRoleRegistryText: ['Dispatching'],
    agencyReference: ref('agency:0'),
  };
  const agencyComponent = {
    ...prologue('agency:0', issued),
    organizationIdentification: agency.domain,
    agencyRoleDescriptionRegistryText: 'Dispatch',
    // Required as `agencyType`, described as `AgencyType`: both, as above.
    agencyType: ['police'],
    AgencyType: ['police'],
    incidentOwningAgencyIndicator: true,
  };

  const location = incident.location;
  const hasPoint = location.lat !== null && location.lon !== null;
  const locationComponent =
    hasPoint || location.text
      ? [
          {
            ...prologue('location:0'),
            locationTypeDescriptionRegistryText: 'Incident',
            ...(hasPoint ? { locationByValue: pidfLoPoint(`pres:${incident.id}@${agency.domain}`, location.lat as number, location.lon as number, incident.updatedAt) } : {}),
            ...(location.text ? { locationDescriptionText: location.text } : {}),
          },
        ]
      : [];

  // The incident's own description travels as its first note: the schema has no field of its own for it.
  const summary = incident.summary.trim()
    ? [{ ...prologue('notes:summary', incident.createdAt), notesActionComments: html(incident.summary), agentReference: ref('agent:bluelamp') }]
    : [];
  const notes = [...summary, ...incident.notes.map((note, index) => ({ ...prologue(`notes:${index}`, note.createdAt), notesActionComments: html(note.body), agentReference: ref('agent:bluelamp') }))];

  // One component per assignment: a unit cleared and sent again is two, each with its own id.
  const resources = input.units.map((unit) => ({
    ...prologue(`resource:${unit.unitId}:${Date.parse(unit.assignedAt)}`),
    emergencyResourceTypeCommonRegistryText: EIDO_RESOURCE_TYPE[unit.type] ?? 'LawEnforcementPatrol',
    emergencyResourceTypeInternalText: unit.type,
    enforcementUnitName: unit.callSign,
    // The schema's required list also names `enforcmentUnitName` (so spelt): sent too, to validate.
    enforcmentUnitName: unit.callSign,
    enforcementUnitIdentification: `${unit.callSign}@${agency.domain}`,
    // A unit cleared from this incident is reported as clear of it (never as what it does now,
    // which may be another job), with "cleared" as ours.
    primaryUnitStatusRegistryText: EIDO_UNIT_STATUS[unit.clearedAt ? 'returning' : unit.status],
    secondaryUnitStatusRegistryText: [],
    unitStatusInternal: [unit.clearedAt ? 'cleared' : unit.status],
    resourceAttributeRegistryText: unit.capabilities,
    agentReference: [ref('agent:bluelamp')],
  }));

  const disposition = incident.closingCode
    ? [{ ...prologue('disposition:0'), dispositionCommonRegistryCode: incident.closingCode, dispositionPrimaryIndicator: true, dispositionDescriptionText: incident.status }]
    : [];

  const incidentComponent = {
    ...prologue('incident:0'),
    incidentTypeCommonRegistryText: EIDO_INCIDENT_TYPE[input.incidentType?.category ?? ''] ?? 'Other',
    incidentTypeInternalCode: incident.type,
    ...(input.incidentType ? { incidentTypeInternalText: input.incidentType.label } : {}),
    incidentStatusInternalText: [incident.status],
    internalIncidentId: incident.reference,
    ...(incident.grade ? { incidentCommonPriorityNumber: PRIORITY[incident.grade.code], incidentPriorityInternalText: incident.grade.label } : {}),
    ...(location.beat?.name || location.district?.name ? { beatOrDispatchGroupText: location.beat?.name ?? location.district?.name } : {}),
    agentReference: [ref('agent:bluelamp')],
    ...(locationComponent.length ? { locationReference: [ref('location:0')] } : {}),
    ...(disposition.length ? { dispositionComponent: disposition } : {}),
  };

  const merges = [
    ...input.mergedFrom.map((m) => ({ ...prologue(`merge:${m.id}`, m.mergedAt), incidentTrackingIdentification: incidentTrackingIdentifier(m.id, agency.domain), incidentMergeDirectionCode: 'REPLACING', agentReference: ref('agent:bluelamp') })),
    ...(incident.mergedIntoId
      ? [{ ...prologue(`merge:${incident.mergedIntoId}`), incidentTrackingIdentification: incidentTrackingIdentifier(incident.mergedIntoId, agency.domain), incidentMergeDirectionCode: 'REPLACED', agentReference: ref('agent:bluelamp') }]
      : []),
  ];

  return {
    ...prologue('header', issued),
    EIDOVersion: '1.0',
    incidentTrackingIdentifier: incidentTrackingIdentifier(incident.id, agency.domain),
    reasonForIssueRegistryText: input.reason ?? 'Requested',
    issuingElementIdentification: `bluelamp.${agency.domain}`,
    agentReference: ref('agent:bluelamp'),
    agencyReference: [ref('agency:0')],
    incidentComponent,
    ...(resources.length ? { dispatchComponent: [{ ...prologue('dispatch:0'), organizationIdentification: agency.domain, agentReference: ref('agent:bluelamp'), emergencyResourceReference: resources.map((r) => ({ $ref: r.$id })) }] } : {}),
    agencyComponent: [agencyComponent],
    agentComponent: [agent],
    ...(notes.length ? { notesComponent: notes } : {}),
    ...(locationComponent.length ? { locationInformationComponent: locationComponent } : {}),
    ...(resources.length ? { emergencyResourceComponent: resources } : {}),
    ...(merges.length ? { mergeComponent: merges } : {}),
    '@context': { '@vocab': './JSON-LD_Contexts/EmergencyIncidentDataObjectType.jsonld' },
  };
}
