import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config/config.ts';
import type { ServiceDeps } from '../platform/deps.ts';
import { AppError } from '../platform/errors.ts';
import { publicRoute } from '../platform/http/routes.ts';
import { htmlPage } from '../platform/http/responses.ts';
import { portalChat } from '../capabilities/channels/chat/chat.service.ts';
import { isLocale, messagesFor, monthNames, LOCALES, type Messages } from './i18n.ts';
import { langQuery } from './forms.ts';
import { pageBase, renderView } from './render.ts';
import { setLanguageCookie } from './security.ts';
import { localeOf } from './portal-pages.ts';

export type ChatPageDeps = ServiceDeps & { config: Pick<Config, 'portalForce' | 'publicUrl' | 'cookieSecure'> };

/**
 * The chat widget's strings in every portal language, for the channel that serves the widget, with
 * the months' names as the portal writes a date (`months`, twelve, comma-separated): a browser
 * may have no Welsh dates of its own, so the widget never asks it for them (decision 0180).
 */
export function chatWidgetMessages(): { [language: string]: Messages['chatWidget'] & { months: string; dayHalves: string } } {
  return Object.fromEntries(LOCALES.map((locale) => [locale, { ...messagesFor(locale).chatWidget, months: monthNames(locale).join(','), dayHalves: messagesFor(locale).checkReport.dayHalves }]));
}

/** The portal's chat page: explains the live chat, opens the widget, and says what to do without JavaScript. */
export function registerChatPage(app: FastifyInstance, deps: ChatPageDeps): void {
  const { config } = deps;
  publicRoute(app, {
    method: 'GET',
    url: '/chat',
    permission: 'public',
    undocumentedBecause: 'a page for people, not an API',
    tags: ['portal'],
    audit: 'portal.chat',
    summary: 'Portal page that explains the chat and opens it',
    query: langQuery,
    response: { 200: htmlPage('The chat page') },
    handler: async ({ request, reply, query }) => {
      const locale = localeOf(request);
      if (isLocale(query.lang)) setLanguageCookie(reply, locale, config.cookieSecure);
      const chat = await portalChat(deps, config.portalForce);
      if (!chat) throw new AppError('unavailable', `the portal force "${config.portalForce}" does not exist (PORTAL_FORCE)`);
      const base = pageBase({ locale, forceName: chat.forceName, pagePath: '/chat', publicUrl: config.publicUrl });
      const html = renderView('chat.njk', { ...base, title: base.t.chat.title, widgetKey: chat.widgetKey });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  });
}
