import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { format, messagesFor, type Locale, type Messages } from './i18n.ts';

export const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));
export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
/** node_modules/govuk-frontend/dist: templates import `govuk/...` from here. */
export const GOVUK_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')), 'dist');

let environment: nunjucks.Environment | null = null;

/**
 * One template environment for the process. Autoescaping is on: text from the public is hostile,
 * and templates never mark it safe. Values are plain data, so one environment serves every app.
 */
export function templates(): nunjucks.Environment {
  if (environment) return environment;
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_DIST]), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('fmt', (template: unknown, values: unknown) =>
    format(typeof template === 'string' ? template : '', values !== null && typeof values === 'object' ? (values as Record<string, string>) : {}),
  );
  environment = env;
  return env;
}

export type LanguageItem = { text: string; lang: Locale; href: string; current: boolean };

/** What the layout needs on every page. */
export type PageBase = {
  locale: Locale;
  htmlLang: Locale;
  t: Messages;
  forceName: string;
  assetPath: string;
  assetUrl?: string | undefined;
  languageItems: LanguageItem[];
  /** Where "Exit this page" takes the person: a neutral page on another site. */
  exitTo: string;
  csrfToken?: string;
};

/**
 * Where "Exit this page" leads: an everyday page on a site with nothing to do with the police.
 * Without JavaScript the button goes there through /exit, which also tells the browser to drop
 * its copies of the portal's pages (see decisions/0025).
 */
export const EXIT_DESTINATION = 'https://www.bbc.co.uk/weather';

/** The language switch: each language names itself and links to the same page in that language. */
export function languageItems(locale: Locale, pagePath: string): LanguageItem[] {
  const t = messagesFor(locale);
  return [
    { text: t.common.english, lang: 'en', href: `${pagePath}?lang=en`, current: locale === 'en' },
    { text: t.common.welsh, lang: 'cy', href: `${pagePath}?lang=cy`, current: locale === 'cy' },
  ];
}

export function pageBase(input: { locale: Locale; forceName: string; pagePath: string; publicUrl?: string | undefined }): PageBase {
  return {
    locale: input.locale,
    htmlLang: input.locale,
    t: messagesFor(input.locale),
    forceName: input.forceName,
    assetPath: '/assets',
    // Only used for the absolute og:image link, which needs the public origin.
    assetUrl: input.publicUrl ? `${input.publicUrl.replace(/\/+$/, '')}/assets` : undefined,
    languageItems: languageItems(input.locale, input.pagePath),
    exitTo: EXIT_DESTINATION,
  };
}

export function renderView(view: string, context: PageBase & Record<string, unknown>): string {
  return templates().render(view, context);
}

/**
 * The CSP hashes of the inline scripts the GOV.UK template writes (the one-line `js-enabled`
 * switch). Taken from a rendered page, so an upgrade of govuk-frontend that changes the script
 * changes the hash with it, and no 'unsafe-inline' is ever needed.
 */
export function inlineScriptHashes(): string[] {
  const html = renderView('error.njk', { ...pageBase({ locale: 'en', forceName: 'x', pagePath: '/' }), title: 'x', body: 'x' });
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)) {
    const attributes = match[1] ?? '';
    const content = match[2] ?? '';
    if (/\ssrc=/.test(attributes)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}
