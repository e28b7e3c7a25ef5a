import { redirect } from '../platform/http/responses.ts';
import { EXIT_DESTINATION } from './render.ts';
import { PORTAL_COOKIES, clearCookie } from './security.ts';
import type { PortalKit } from './portal-kit.ts';

/**
 * The portal's cookies that say what the person did here: every one but the language choice, which
 * says nothing and stays. Taken from the one list, so a cookie added later (as the case page's
 * sign-in was) cannot outlive an exit by being left off a second one.
 */
const TELLING_COOKIES = Object.values(PORTAL_COOKIES).filter((name) => name !== PORTAL_COOKIES.lang);

/**
 * "Exit this page" without JavaScript. The button is a link here; the answer sends the person on
 * to a neutral site at once, and on the way tells the browser to drop its cached copies of this
 * site's pages (`Clear-Site-Data: "cache"`, which also empties the back/forward cache, so Back
 * loads the form afresh and empty) and forgets the cookies that would show a reference. With
 * JavaScript the button skips this and replaces the page in the history instead (static/init.js).
 * Exempt from the admission gate: leaving must never wait behind a surge.
 */
export function registerExit(kit: PortalKit): void {
  kit.portalRoute({
    method: 'GET',
    url: '/exit',
    audit: 'portal.exit',
    summary: 'Leaves the portal for a neutral site',
    response: { 303: redirect('To a neutral page on another site') },
    handler: async ({ reply }) => {
      for (const name of TELLING_COOKIES) clearCookie(reply, name, kit.secure);
      return reply
        .header('clear-site-data', '"cache"')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(EXIT_DESTINATION, 303);
    },
  });
}
