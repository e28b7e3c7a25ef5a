import { describe, expect, it } from 'vitest';
import { buildEido, incidentTrackingIdentifier, pidfLoPoint } from './eido.schema.ts';
import { agencyDomain } from './eido.service.ts';
import type { IncidentView } from './incidents.schema.ts';

// The required properties of each EIDO component, as NENA's EIDO JSON OpenAPI schema
// (Schema/openapi.yaml, EmergencyIncidentDataObjectType and the types it references) lists them,
// spellings included; every component also carries the prologue ($id, lastUpdateTimeStamp).
const REQUIRED: Record<string, readonly string[]> = {
  document: ['$id', 'lastUpdateTimeStamp', 'EIDOVersion', 'agentReference', 'issuingElementIdentification', 'reasonForIssueRegistryText'],
  incidentComponent: ['incidentTypeCommonRegistryText'],
  agencyComponent: ['agencyRoleDescriptionRegistryText', 'organizationIdentification', 'agencyType'],
  agentComponent: ['agentIdentification', 'personRoleRegistryText'],
  locationInformationComponent: ['locationTypeDescriptionRegistryText'],
  notesComponent: ['notesActionComments'],
  dispatchComponent: [],
  emergencyResourceComponent: [
    'agentReference',
    'emergencyResourceTypeCommonRegistryText',
    'enforcmentUnitName',
    'primaryUnitStatusRegistryText',
    'resourceAttributeRegistryText',
    'enforcementUnitName',
    'secondaryUnitStatusRegistryText',
  ],
  mergeComponent: ['incidentMergeDirectionCode', 'incidentTrackingIdentification'],
  dispositionComponent: ['dispositionCommonRegistryCode'],
};
const PROLOGUE = ['$id', 'lastUpdateTimeStamp'];

/** Every problem with the document against the required lists, and every $ref that names no $id. */
function problems(document: Record<string, unknown>): string[] {
  const found: string[] = [];
  const ids = new Set<string>();
  const refs: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.$id === 'string') {
        if (ids.has(record.$id)) found.push(`duplicate $id ${record.$id}`);
        ids.add(record.$id);
      }
      if (typeof record.$ref === 'string') refs.push(record.$ref);
      Object.values(record).forEach(walk);
    }
  };
  walk(document);
  const check = (name: string, component: Record<string, unknown>) => {
    for (const key of [...PROLOGUE, ...(REQUIRED[name] ?? [])]) if (!(key in component)) found.push(`${name} lacks ${key}`);
  };
  check('document', document);
  for (const [name, value] of Object.entries(document)) {
    if (name === 'incidentComponent') {
      const incident = value as Record<string, unknown>;
      check(name, incident);
      for (const d of (incident.dispositionComponent as Record<string, unknown>[] | undefined) ?? []) check('dispositionComponent', d);
    } else if (Array.isArray(value) && name in REQUIRED) for (const component of value as Record<string, unknown>[]) check(name, component);
  }
  for (const ref of refs) if (!ids.has(ref)) found.push(`$ref ${ref} names nothing`);
  return found;
}

const INCIDENT: IncidentView = {
  id: '2b1f0a52-52c8-4a8e-9a3c-1d1f0b7c9e10',
  number: 42,
  reference: 'INC-42',
  type: 'crime_violence',
  summary: 'Fight outside the bar',
  grade: { code: 'immediate', label: 'Immediate' },
  clock: null,
  missedTargets: [],
  status: 'closed',
  closingCode: 'arrest_made',
  location: { text: 'Prince of Wales Road', lat: 52.628, lon: 1.299, district: { id: 'd', name: 'Norwich City' }, beat: null },
  requiredCapabilities: [],
  createdAt: '2026-06-01T08:00:00.000Z',
  updatedAt: '2026-06-01T09:00:00.000Z',
  contacts: [],
  notes: [{ id: 'n1', body: 'Caller says <b>two</b> men & a dog\nOne has a bottle', authorId: null, createdAt: '2026-06-01T08:05:00.000Z' }],
  units: [{ unitId: 'u1', callSign: 'NC01', status: 'cleared', moves: [], assignedAt: '2026-06-01T08:02:00.000Z', clearedAt: '2026-06-01T08:50:00.000Z' }],
  clocks: [],
  mergedIntoId: null,
  history: [],
};

describe('EIDO export', () => {
  const document = buildEido({
    incident: INCIDENT,
    agency: { name: 'Demo Constabulary', domain: 'demo.invalid' },
    incidentType: { code: 'crime_violence', label: 'Violence', category: 'crime' },
    units: [{ unitId: 'u1', callSign: 'NC01', type: 'response', capabilities: ['taser'], status: 'available', assignedAt: '2026-06-01T08:02:00.000Z', clearedAt: '2026-06-01T08:50:00.000Z' }],
    mergedFrom: [{ id: '9f0e7a52-0000-4000-8000-000000000001', reference: 'INC-43', mergedAt: '2026-06-01T08:10:00.000Z' }],
    issuedAt: new Date('2026-06-01T10:00:00Z'),
  });

  it('has every property the schema requires, and every reference names a component of the document', () => {
    expect(problems(document)).toEqual([]);
    expect(document.EIDOVersion).toBe('1.0');
    expect(document.incidentTrackingIdentifier).toBe(incidentTrackingIdentifier(INCIDENT.id, 'demo.invalid'));
  });

  it('carries our own codes beside the registry values, and the unit status in both', () => {
    const incident = document.incidentComponent as Record<string, unknown>;
    expect(incident).toMatchObject({ incidentTypeInternalCode: 'crime_violence', incidentTypeInternalText: 'Violence', internalIncidentId: 'INC-42', incidentPriorityInternalText: 'Immediate', beatOrDispatchGroupText: 'Norwich City' });
    expect(incident.dispositionComponent).toEqual([expect.objectContaining({ dispositionCommonRegistryCode: 'arrest_made', dispositionPrimaryIndicator: true })]);
    const [unit] = document.emergencyResourceComponent as Record<string, unknown>[];
    expect(unit).toMatchObject({ enforcementUnitName: 'NC01', primaryUnitStatusRegistryText: 'AvailableReturning', unitStatusInternal: ['cleared'], resourceAttributeRegistryText: ['taser'] });
    expect(document.mergeComponent).toEqual([expect.objectContaining({ incidentMergeDirectionCode: 'REPLACING', incidentTrackingIdentification: 'urn:emergency:uid:incidentid:9f0e7a52-0000-4000-8000-000000000001:demo.invalid' })]);
  });

  it('escapes what staff typed in notes (HTML in EIDO) and in the place (XML)', () => {
    const [summary, note] = document.notesComponent as { notesActionComments: string }[];
    expect(summary?.notesActionComments).toBe('Fight outside the bar');
    expect(note?.notesActionComments).toBe('Caller says &lt;b&gt;two&lt;/b&gt; men &amp; a dog<br>One has a bottle');
    expect(pidfLoPoint('pres:x@a"b', 1, 2, '<now>')).toContain('entity="pres:x@a&quot;b"');
    expect(pidfLoPoint('e', 52.5, -1.25, 't')).toContain('<gml:pos>52.5 -1.25</gml:pos>');
  });

  it('gives a unit sent to the incident twice two resources, the one cleared reported as clear, not as it is now', () => {
    const twice = buildEido({
      incident: { ...INCIDENT, status: 'dispatched', closingCode: null },
      agency: { name: 'Demo Constabulary', domain: 'demo.invalid' },
      incidentType: null,
      units: [
        { unitId: 'u1', callSign: 'NC01', type: 'response', capabilities: [], status: 'dispatched', assignedAt: '2026-06-01T08:02:00.000Z', clearedAt: '2026-06-01T08:10:00.000Z' },
        { unitId: 'u1', callSign: 'NC01', type: 'response', capabilities: [], status: 'dispatched', assignedAt: '2026-06-01T08:20:00.000Z', clearedAt: null },
      ],
      mergedFrom: [],
      issuedAt: new Date('2026-06-01T10:00:00Z'),
    });
    expect(problems(twice)).toEqual([]);
    const resources = twice.emergencyResourceComponent as Record<string, unknown>[];
    expect(resources.map((r) => [r.primaryUnitStatusRegistryText, r.unitStatusInternal])).toEqual([
      ['AvailableReturning', ['cleared']],
      ['Dispatched', ['dispatched']],
    ]);
  });

  it('names the agency by the public address, or a reserved name that never resolves', () => {
    // The public address is the portal force's; other forces of the deployment are named under it.
    expect(agencyDomain('demo', 'https://report.demo-police.example:8443/portal', 'demo')).toBe('report.demo-police.example');
    expect(agencyDomain('other', 'https://report.demo-police.example/portal', 'demo')).toBe('other.report.demo-police.example');
    expect(agencyDomain('demo', undefined)).toBe('demo.invalid');
    expect(agencyDomain('demo', 'not a url')).toBe('demo.invalid');
  });
});
