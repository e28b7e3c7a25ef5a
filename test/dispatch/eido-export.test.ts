import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type Eido = {
  EIDOVersion: string;
  incidentTrackingIdentifier: string;
  incidentComponent: { internalIncidentId: string; incidentTypeInternalCode: string; incidentCommonPriorityNumber: number; locationReference: { $ref: string }[] };
  locationInformationComponent: { $id: string; locationByValue: string; locationDescriptionText: string }[];
  emergencyResourceComponent: { enforcementUnitName: string; primaryUnitStatusRegistryText: string; unitStatusInternal: string[] }[];
  notesComponent: { notesActionComments: string }[];
  dispatchComponent: { emergencyResourceReference: { $ref: string }[] }[];
};

describe(`EIDO export of an incident (${ENGINE})`, () => {
  let app: TestApp;
  let dispatcher: Session;
  let supervisor: Session;

  beforeAll(async () => {
    app = await createTestApp();
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  it('exports the incident with its place, its dispatched unit in EIDO terms, and notes escaped', async () => {
    const { api, incidentWithUnit } = dispatchKit(() => app);
    const { incident: { id, reference } } = await incidentWithUnit<{ id: string; reference: string }>(
      { createdBy: dispatcher, addedBy: supervisor, sentBy: dispatcher },
      { type: 'crime_violence', summary: 'Fight outside the bar', grade: 'immediate', locationText: 'Prince of Wales Road', lat: 52.6285, lon: 1.2990 },
      { callSign: 'EX01', type: 'response', capabilities: ['taser'] },
    );
    expect((await api(dispatcher, 'POST', `/api/incidents/${id}/notes`, { body: 'Two men <script>x</script> & a dog' })).status).toBe(201);

    const exported = await api<Eido>(dispatcher, 'GET', `/api/incidents/${id}/eido`);
    expect(exported.status, exported.raw).toBe(200);
    const eido = exported.body;
    expect(eido.EIDOVersion).toBe('1.0');
    expect(eido.incidentTrackingIdentifier).toBe(`urn:emergency:uid:incidentid:${id}:demo.invalid`);
    expect(eido.incidentComponent).toMatchObject({ internalIncidentId: reference, incidentTypeInternalCode: 'crime_violence', incidentCommonPriorityNumber: 4 });
    const [place] = eido.locationInformationComponent;
    expect(eido.incidentComponent.locationReference).toEqual([{ $ref: place?.$id }]);
    expect(place?.locationDescriptionText).toBe('Prince of Wales Road');
    expect(place?.locationByValue).toContain('<gml:pos>52.6285 1.299</gml:pos>');
    expect(eido.emergencyResourceComponent).toEqual([expect.objectContaining({ enforcementUnitName: 'EX01', primaryUnitStatusRegistryText: 'Dispatched', unitStatusInternal: ['dispatched'] })]);
    expect(eido.dispatchComponent[0]?.emergencyResourceReference).toHaveLength(1);
    // The incident's own description first, then the notes staff added.
    expect(eido.notesComponent).toHaveLength(2);
    expect(eido.notesComponent[1]?.notesActionComments).toBe('Two men &lt;script&gt;x&lt;/script&gt; &amp; a dog');
    expect(exported.raw).not.toContain('<script>');

    // Another force cannot export it; a malformed id is a 400.
    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    expect((await api(outsider, 'GET', `/api/incidents/${id}/eido`)).status).toBe(404);
    expect((await api(dispatcher, 'GET', '/api/incidents/not-an-id/eido')).status).toBe(400);
  });
});
