import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import pino from 'pino';
import type { Config } from './platform/config/config.ts';
import { loadConfig } from './platform/config/config.ts';
import type { Db } from './platform/db/database.ts';
import type { ServiceDeps } from './platform/deps.ts';
import { systemClock } from './platform/clock.ts';
import { SecretBox } from './platform/secrets.ts';
import { createServer } from './platform/http/server.ts';
import { OutboundGuard } from './platform/http/outbound-guard.ts';
import type { Readiness } from './platform/http/readiness.ts';
import { publicRoute } from './platform/http/routes.ts';
import { redirect, textBody } from './platform/http/responses.ts';
import { registerOperationsRoutes } from './platform/http/operations.routes.ts';
import { registerMetricsRoute } from './platform/observability/metrics.ts';
import { LiveHub } from './platform/realtime/live.ts';
import { registerLiveRoute } from './platform/realtime/live.routes.ts';
import { registerAuthRoutes } from './platform/auth/auth.routes.ts';
import { registerContactRoutes } from './capabilities/contacts/contacts.routes.ts';
import { replyWindowFinder } from './capabilities/channels/reply-window.service.ts';
import { registerAdminRoutes } from './capabilities/admin/admin.routes.ts';
import { registerOutboxRoutes } from './capabilities/outbox/outbox.routes.ts';
import type { UntrueCheck } from './capabilities/outbox/outbox-withdraw.service.ts';
import { registerAttachmentRoutes } from './capabilities/channels/attachments.routes.ts';
import { registerForceSettingsRoutes } from './capabilities/admin/force-settings.routes.ts';
import { registerPeopleRoutes } from './capabilities/people/people.routes.ts';
import { registerThriveRoutes } from './capabilities/thrive/thrive.routes.ts';
import { registerRoutingRoutes } from './capabilities/queue/routing.routes.ts';
import { registerChannelTargetRoutes } from './capabilities/queue/channel-targets.routes.ts';
import { registerTriageRoutes } from './capabilities/triage/triage.routes.ts';
import { registerStaffRoutes } from './capabilities/staff/staff.routes.ts';
import { registerStaffAdminRoutes } from './capabilities/staff/staff-admin.routes.ts';
import { registerTemplateRoutes } from './capabilities/journeys/templates.routes.ts';
import { registerJourneyRuleRoutes } from './capabilities/journeys/journey-rule-admin.routes.ts';
import { registerPreferenceRoutes } from './capabilities/journeys/preferences.routes.ts';
import { registerChannelAdminRoutes } from './capabilities/channels/channels.routes.ts';
import { registerSmsOptOutRoutes } from './capabilities/channels/sms-opt-outs.routes.ts';
import { registerTrustedAddressRoutes } from './capabilities/contacts/trusted-addresses.routes.ts';
import { registerChannelWebhooks } from './capabilities/channels/webhooks.routes.ts';
import { WEBHOOKS } from './capabilities/channels/registry.ts';
import { registerChat } from './capabilities/channels/chat/chat.routes.ts';
import { registerPortal } from './portal/portal.routes.ts';
import { ReportIntake } from './capabilities/intake/received-reports.service.ts';
import { chatWidgetMessages, registerChatPage } from './portal/chat.routes.ts';
import { registerGradingRoutes } from './capabilities/grading/grading.routes.ts';
import { registerPresenceRoutes } from './capabilities/staff/presence.routes.ts';
import { registerIncidentRoutes } from './capabilities/incidents/incidents.routes.ts';
import { registerCaseRoutes } from './capabilities/cases/cases.routes.ts';
import { registerRecordsIntegrationRoutes } from './capabilities/cases/records-integration.routes.ts';
import { registerOnlineReportRoutes } from './capabilities/cases/online-reports.routes.ts';
import { registerVictimUpdateRoutes } from './capabilities/cases/victim-updates.routes.ts';
import { registerVictimPortalRoutes } from './capabilities/victim-portal/victim-portal.routes.ts';
import { registerCaseConversationRoutes } from './capabilities/victim-portal/case-conversation.routes.ts';
import { registerResponseClockRoutes } from './capabilities/incidents/response-clocks.routes.ts';
import { registerResponseReportRoutes } from './capabilities/incidents/response-report.routes.ts';
import { registerEidoRoutes } from './capabilities/incidents/eido.routes.ts';
import { registerUnitRoutes } from './capabilities/units/units.routes.ts';
import { registerTrackingTokenRoutes } from './capabilities/units/tracking-tokens.routes.ts';
import { registerDispatchRoutes } from './capabilities/dispatch/dispatch.routes.ts';
import { registerAreaRoutes } from './capabilities/areas/areas.routes.ts';

/** What the HTTP routes are built from: the process's settings, services and shared parts. */
export type HttpApiParts = {
  config: Config;
  deps: ServiceDeps;
  secrets: SecretBox;
  outbound: OutboundGuard;
  hub: LiveHub;
  /** Where portal reports are accepted, to be processed in the background (decision 0022). */
  reports: ReportIntake;
  /** Whether the process can serve, for GET /readyz. */
  readiness: () => Promise<Readiness>;
  /** Where the built console is; served under /console/ when it exists. */
  consoleDist: string;
  /** Which messages must not go, asked of a letter when staff would print it (decisions 0117, 0135). */
  findUntrue: UntrueCheck;
  /** How a boundary file's check gives the event loop a turn between slices; by default the next turn (`setImmediate`). */
  areaCheckTurn?: () => Promise<void>;
};

/**
 * Routes that are not declared through the route helpers (platform/http/routes.ts), each one
 * reviewed: test/api/route-helper.test.ts fails on any other. HEAD routes fastify adds for GET
 * routes carry their GET route's mark and need no entry.
 */
export const ROUTES_OUTSIDE_THE_HELPERS: readonly { method: 'GET' | 'HEAD'; url: string; reason: string }[] = [
  { method: 'GET', url: '/console/*', reason: '@fastify/static serves the built console: public files, the console signs in through the API' },
  { method: 'HEAD', url: '/console/*', reason: 'the same files, headers only' },
];

/**
 * Every HTTP route and WebSocket of the api role, in one place: health and the API document,
 * the staff API, provider webhooks, the portal, the chat and the console.
 */
export async function registerHttpApi(server: FastifyInstance, parts: HttpApiParts): Promise<void> {
  const { config, deps, secrets, outbound, hub } = parts;
  registerOperationsRoutes(server, { readiness: parts.readiness, metricsToken: config.metrics.token });
  registerAuthRoutes(server, { ...deps, cookieSecure: config.cookieSecure, sessionSecret: config.sessionSecret });
  registerContactRoutes(server, { ...deps, replyWindows: replyWindowFinder(secrets) });
  registerAttachmentRoutes(server, deps);
  registerAdminRoutes(server, deps);
  registerOutboxRoutes(server, { ...deps, findUntrue: parts.findUntrue });
  registerSmsOptOutRoutes(server, deps);
  registerPeopleRoutes(server, deps);
  registerThriveRoutes(server, deps);
  registerGradingRoutes(server, deps);
  registerIncidentRoutes(server, deps);
  registerCaseRoutes(server, deps);
  await registerRecordsIntegrationRoutes(server, deps);
  registerOnlineReportRoutes(server, deps);
  registerVictimUpdateRoutes(server, deps);
  registerVictimPortalRoutes(server, deps);
  registerCaseConversationRoutes(server, deps);
  registerPreferenceRoutes(server, deps);
  registerResponseClockRoutes(server, deps);
  registerResponseReportRoutes(server, deps);
  registerEidoRoutes(server, { ...deps, publicUrl: config.publicUrl, portalForce: config.portalForce });
  registerUnitRoutes(server, deps);
  registerTrackingTokenRoutes(server, deps);
  registerDispatchRoutes(server, { ...deps, fetch: outbound.fetch });
  registerAreaRoutes(server, { ...deps, mapBase: { tiles: config.mapTiles }, ...(parts.areaCheckTurn ? { checkTurn: parts.areaCheckTurn } : {}) });
  registerRoutingRoutes(server, deps);
  registerChannelTargetRoutes(server, deps);
  registerPresenceRoutes(server, deps);
  registerTriageRoutes(server, deps);
  registerForceSettingsRoutes(server, { ...deps, outbound });
  registerTrustedAddressRoutes(server, deps);
  registerStaffRoutes(server, { ...deps, sessionSecret: config.sessionSecret });
  registerStaffAdminRoutes(server, deps);
  registerTemplateRoutes(server, deps);
  registerJourneyRuleRoutes(server, deps);
  registerChannelAdminRoutes(server, { ...deps, secrets, outbound });
  registerLiveRoute(server, deps, hub);
  await registerChannelWebhooks(server, { ...deps, secrets, publicUrl: config.publicUrl }, WEBHOOKS);
  await registerPortal(server, { ...deps, config, reports: parts.reports });
  await registerChat(server, { ...deps, secrets, hub, config, widgetMessages: chatWidgetMessages() });
  registerChatPage(server, { ...deps, config });
  if (existsSync(parts.consoleDist)) {
    await server.register(fastifyStatic, { root: parts.consoleDist, prefix: '/console/', decorateReply: false, index: ['index.html'] });
  } else {
    publicRoute(server, {
      method: 'GET',
      url: '/console/',
      permission: 'public',
      audit: 'console.missing',
      summary: 'Says the console has not been built',
      undocumentedBecause: 'the console is an app for people, not an API',
      response: { 503: textBody('text/plain', 'The console has not been built') },
      handler: async ({ reply }) => reply.status(503).type('text/plain').send('The console has not been built. Run: npm run build:console'),
    });
  }
  publicRoute(server, {
    method: 'GET',
    url: '/console',
    permission: 'public',
    audit: 'console.redirect',
    summary: 'The console lives under /console/',
    undocumentedBecause: 'the console is an app for people, not an API',
    response: { 302: redirect('To /console/') },
    handler: async ({ reply }) => reply.redirect('/console/'),
  });
}

/** A database handle that runs nothing: registering routes needs one, answering them is never asked. */
function unusedDatabase(): Db {
  return new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

/**
 * The OpenAPI document of the routes registerHttpApi declares, built in this process without a
 * database or a listening socket. Settings are the development defaults, with a metrics token so
 * that /metrics is described too (it exists only when METRICS_TOKEN is set).
 */
export async function buildApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', METRICS_TOKEN: 'for-the-api-document-only' });
  const logger = pino({ level: 'silent' });
  const server = await createServer({ logger, trustProxy: false, cookieSecret: config.sessionSecret });
  try {
    registerMetricsRoute(server, config.metrics.token, { contentType: 'text/plain', metrics: async () => '' });
    await registerHttpApi(server, {
      config,
      deps: { db: unusedDatabase(), clock: systemClock, logger },
      secrets: new SecretBox(config.secretsKey, config.secretsKeysPrevious),
      outbound: new OutboundGuard({ allowHttp: true, allowList: [] }),
      hub: new LiveHub(),
      // Never started: the document needs the routes, not a processor.
      reports: new ReportIntake({ db: unusedDatabase(), clock: systemClock, logger, isProcessing: false }),
      readiness: async () => {
        throw new Error('the API document is built without a database');
      },
      // Documented the same whether or not the console is built: both forms are undocumented.
      consoleDist: '',
      findUntrue: async () => {
        throw new Error('the API document is built without a database');
      },
    });
    await server.ready();
    return { ...server.swagger() };
  } finally {
    await server.close();
  }
}
