import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { helpArticleSaved } from './victim-portal.events.ts';
import { HELP_ARTICLE_SEEDS } from './help-article-seeds.schema.ts';

// Self-service answers: a force's help articles, in English and Welsh, searched on the portal and
// linked from the case updates they explain. Text is plain: the portal escapes it like any other.

export type HelpLocale = 'en' | 'cy';

/** An article as staff edit it. */
export type HelpArticle = {
  id: string;
  slug: string;
  title: string;
  titleCy: string;
  body: string;
  bodyCy: string;
  milestoneTypes: string[];
  published: boolean;
  updatedAt: string;
};

/** An article as the public reads it, in one language. */
export type PublicHelpArticle = { slug: string; title: string; body: string };

type Row = {
  id: string;
  slug: string;
  title: string;
  title_cy: string;
  body: string;
  body_cy: string;
  milestone_types: string[];
  published: boolean;
  updated_at: Date;
};

const COLUMNS = ['id', 'slug', 'title', 'title_cy', 'body', 'body_cy', 'milestone_types', 'published', 'updated_at'] as const;

function toArticle(row: Row): HelpArticle {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    titleCy: row.title_cy,
    body: row.body,
    bodyCy: row.body_cy,
    milestoneTypes: Array.isArray(row.milestone_types) ? row.milestone_types : [],
    published: row.published,
    updatedAt: row.updated_at.toISOString(),
  };
}

function inLocale(row: Pick<Row, 'slug' | 'title' | 'title_cy' | 'body' | 'body_cy'>, locale: HelpLocale): PublicHelpArticle {
  return { slug: row.slug, title: locale === 'cy' ? row.title_cy : row.title, body: locale === 'cy' ? row.body_cy : row.body };
}

/** Adds the starter articles a force lacks (by slug); an article the force changed is left alone. */
export async function seedHelpArticles(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
  const now = clock.now();
  await tx
    .insertInto('help_articles')
    .values(
      HELP_ARTICLE_SEEDS.map((seed) => ({
        id: newId(),
        force_id: forceId,
        slug: seed.slug,
        title: seed.title,
        title_cy: seed.titleCy,
        body: seed.body,
        body_cy: seed.bodyCy,
        milestone_types: JSON.stringify(seed.milestoneTypes),
        published: true,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'slug']).doNothing())
    .execute();
}

/** Every article of the force, published or not, by slug. */
export async function listHelpArticles(deps: ServiceDeps, forceId: ForceId): Promise<HelpArticle[]> {
  return withForce(deps.db, forceId, async (tx) =>
    (await tx.selectFrom('help_articles').select(COLUMNS).where('force_id', '=', forceId).orderBy('slug').execute()).map(toArticle),
  );
}

export type HelpArticleInput = {
  slug: string;
  title: string;
  titleCy: string;
  body: string;
  bodyCy: string;
  milestoneTypes?: string[] | undefined;
  published?: boolean | undefined;
};

/** A force admin adds an article; a slug already used is a conflict. */
export async function createHelpArticle(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, input: HelpArticleInput): Promise<HelpArticle> {
  try {
    return await withForce(deps.db, forceId, async (tx) => {
      const now = deps.clock.now();
      const row = await tx
        .insertInto('help_articles')
        .values({
          id: newId(),
          force_id: forceId,
          slug: input.slug,
          title: input.title,
          title_cy: input.titleCy,
          body: input.body,
          body_cy: input.bodyCy,
          milestone_types: JSON.stringify(input.milestoneTypes ?? []),
          published: input.published ?? true,
          created_at: now,
          updated_at: now,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      record(tx, forceId, deps.clock, helpArticleSaved.of({ actor: { type: 'staff', id: staffId }, subjectId: row.id, data: { slug: row.slug, isNew: true, published: row.published } }));
      return toArticle(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`there is already an article with the slug ${input.slug}`);
    throw error;
  }
}

/** A force admin changes an article; fields left out keep their value. */
export async function updateHelpArticle(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  articleId: string,
  changes: Partial<Omit<HelpArticleInput, 'slug'>>,
): Promise<HelpArticle> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .updateTable('help_articles')
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.titleCy !== undefined ? { title_cy: changes.titleCy } : {}),
        ...(changes.body !== undefined ? { body: changes.body } : {}),
        ...(changes.bodyCy !== undefined ? { body_cy: changes.bodyCy } : {}),
        ...(changes.milestoneTypes !== undefined ? { milestone_types: JSON.stringify(changes.milestoneTypes) } : {}),
        ...(changes.published !== undefined ? { published: changes.published } : {}),
        updated_at: deps.clock.now(),
      })
      .where('force_id', '=', forceId)
      .where('id', '=', articleId)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) throw notFound('help article');
    record(tx, forceId, deps.clock, helpArticleSaved.of({ actor: { type: 'staff', id: staffId }, subjectId: row.id, data: { slug: row.slug, isNew: false, published: row.published } }));
    return toArticle(row);
  });
}

/** A published article by its slug, in the reader's language; null when there is none. */
export async function findPublishedArticle(deps: ServiceDeps, forceId: ForceId, slug: string, locale: HelpLocale): Promise<PublicHelpArticle | null> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .selectFrom('help_articles')
      .select(['slug', 'title', 'title_cy', 'body', 'body_cy'])
      .where('force_id', '=', forceId)
      .where('slug', '=', slug)
      .where('published', '=', true)
      .executeTakeFirst();
    return row ? inLocale(row, locale) : null;
  });
}

/** The most words a search takes, and the longest word: a search box, not a query language. */
const MAX_WORDS = 6;
const MAX_WORD_LENGTH = 40;

/** Words of a search, each a LIKE pattern with its wildcards escaped, so they match only themselves. */
export function searchPatterns(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}’']+/u)
    .map((word) => word.replace(/^['’]+|['’]+$/g, ''))
    .filter((word) => word.length >= 2)
    .slice(0, MAX_WORDS)
    .map((word) => word.slice(0, MAX_WORD_LENGTH));
  return [...new Set(words)].map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/**
 * Published articles whose title or body, in the reader's language, contains every word of the
 * search (case-insensitive), titles matching first. An empty search lists every published article;
 * one with no words in it lists none.
 */
export async function searchHelpArticles(deps: ServiceDeps, forceId: ForceId, query: string, locale: HelpLocale): Promise<PublicHelpArticle[]> {
  const patterns = searchPatterns(query);
  // Something typed with no word in it ("%%", "?") matches nothing, rather than everything.
  if (query.trim().length > 0 && patterns.length === 0) return [];
  const title = locale === 'cy' ? 'title_cy' : 'title';
  const body = locale === 'cy' ? 'body_cy' : 'body';
  return withForce(deps.db, forceId, async (tx) => {
    let select = tx
      .selectFrom('help_articles')
      .select(['slug', 'title', 'title_cy', 'body', 'body_cy'])
      .where('force_id', '=', forceId)
      .where('published', '=', true);
    for (const pattern of patterns) {
      select = select.where((eb) => eb.or([eb(title, 'ilike', pattern), eb(body, 'ilike', pattern)]));
    }
    const first = patterns[0];
    const ordered = first ? select.orderBy(sql`case when ${sql.ref(title)} ilike ${first} then 0 else 1 end`) : select;
    const rows = await ordered.orderBy(title).limit(50).execute();
    return rows.map((row) => inLocale(row, locale));
  });
}

/** The published articles linked from updates of these case event types, by type. */
export async function articlesForMilestones(tx: Tx, forceId: ForceId, locale: HelpLocale): Promise<Map<string, PublicHelpArticle[]>> {
  const rows = await tx
    .selectFrom('help_articles')
    .select(['slug', 'title', 'title_cy', 'body', 'body_cy', 'milestone_types'])
    .where('force_id', '=', forceId)
    .where('published', '=', true)
    .orderBy('slug')
    .limit(500)
    .execute();
  const byType = new Map<string, PublicHelpArticle[]>();
  for (const row of rows) {
    for (const type of Array.isArray(row.milestone_types) ? row.milestone_types : []) {
      const list = byType.get(type) ?? [];
      list.push(inLocale(row, locale));
      byType.set(type, list);
    }
  }
  return byType;
}
