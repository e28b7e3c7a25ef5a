import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { incidentEido } from './eido.service.ts';

const incidentParams = z.object({ id: idField('must be an incident id') });

/** The EIDO document's top level; the components follow NENA's schema (see eido.schema.ts). */
const eidoDocument = z
  .looseObject({
    $id: z.string(),
    lastUpdateTimeStamp: z.string(),
    EIDOVersion: z.literal('1.0'),
    incidentTrackingIdentifier: z.string(),
    reasonForIssueRegistryText: z.string(),
    issuingElementIdentification: z.string(),
    agentReference: z.object({ $ref: z.string() }),
    incidentComponent: z.looseObject({ incidentTypeCommonRegistryText: z.string() }),
  })
  .meta({ id: 'EidoDocument', description: 'A NENA Emergency Incident Data Object (NENA-STA-021, EIDO JSON)' });

/** The incident as a NENA EIDO document, for another agency's or a national system. */
export function registerEidoRoutes(app: FastifyInstance, deps: ServiceDeps & { publicUrl?: string | undefined; portalForce?: string | undefined }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/incidents/:id/eido',
    permission: 'incidents:read',
    audit: 'incident.eido',
    summary: 'The incident as a NENA EIDO JSON document: incident, location, agency, units with EIDO unit statuses, dispatch, notes and merges',
    tags: ['incidents'],
    params: incidentParams,
    response: { 200: eidoDocument },
    handler: async ({ staff, params, reply }) => {
      const document = await incidentEido(deps, staff.forceId, params.id);
      return reply.header('content-disposition', `inline; filename="incident-${params.id}.eido.json"`).send(document);
    },
  });
}
