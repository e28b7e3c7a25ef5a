// Placeholder until the portal lands.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../platform/deps.ts';
import type { Config } from '../platform/config/config.ts';

export async function registerPortal(_app: FastifyInstance, _deps: ServiceDeps & { config: Config }): Promise<void> {}

export function renderPortalError(_request: FastifyRequest, status: number, message: string): string {
  return `<!doctype html><title>${status}</title><p>${message.replace(/[<>&"]/g, '')}</p>`;
}
