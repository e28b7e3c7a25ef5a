import type { FastifyInstance } from 'fastify';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { addTrustedAddress, listTrustedAddresses, removeTrustedAddress } from './trusted-addresses.service.ts';
import { trustedAddressAdded, trustedAddressBody, trustedAddressPage, trustedAddressQuery, trustedAddressRemoved } from './acknowledgement-allowance.schema.ts';

/**
 * The force's trusted reporting addresses (decision 0166), kept by its admins: addresses of
 * reporting centres sent more portal acknowledgements a day than any other. The allowances
 * themselves are force settings (`POST /api/force/settings`). The address travels in the body, so
 * it never reaches a URL or a log.
 */
export function registerTrustedAddressRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/force/trusted-addresses',
    permission: 'force:settings',
    audit: 'trusted_address.list',
    summary: "The force's trusted reporting addresses, newest first, with the acknowledgement allowances in force",
    tags: ['admin'],
    query: trustedAddressQuery,
    response: { 200: trustedAddressPage },
    handler: async ({ staff, query }) => listTrustedAddresses(deps, staff.forceId, query),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/force/trusted-addresses',
    permission: 'force:settings',
    audit: 'trusted_address.add',
    summary: 'Trust an email address with more portal acknowledgements a day; 201 when added, 200 when it was trusted already (nothing changes)',
    tags: ['admin'],
    body: trustedAddressBody,
    response: { 200: trustedAddressAdded, 201: trustedAddressAdded },
    handler: async ({ staff, body, reply }) => {
      const result = await addTrustedAddress(deps, staff.forceId, staff.staffId, body.address);
      return reply.status(result.added ? 201 : 200).send(result);
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/force/trusted-addresses/remove',
    permission: 'force:settings',
    audit: 'trusted_address.remove',
    summary: 'Stop trusting an address: it is sent the allowance of any other again; 409 if the force does not trust it',
    tags: ['admin'],
    body: trustedAddressBody,
    response: { 200: trustedAddressRemoved },
    handler: async ({ staff, body }) => removeTrustedAddress(deps, staff.forceId, staff.staffId, body.address),
  });
}
