import { describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/platform/db/migrate.ts';

// Decision 0164: from 0078 on, an index on a table an earlier migration made is built concurrently,
// in a migration of its own, outside a transaction. A plain build holds off every write to the
// table until it ends, and in a migration that also alters another table it holds that table's
// exclusive lock as long. Files before 0078 were written before the rule and have all been applied.

const FIRST_UNDER_THE_RULE = '0078';

const withoutComments = (text: string) => text.replace(/--[^\n]*/g, '');

function tablesMadeIn(text: string): Set<string> {
  return new Set([...text.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?([a-z_0-9.]+)/gi)].map((m) => m[1]!.toLowerCase()));
}

/** The plain (not concurrent) index builds of a migration on tables it did not make itself. */
function plainBuildsOnExistingTables(text: string): string[] {
  const body = withoutComments(text);
  const made = tablesMadeIn(body);
  const builds = body.matchAll(/create\s+(?:unique\s+)?index\s+(concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:[a-z_0-9]+\s+)?on\s+(?:only\s+)?([a-z_0-9.]+)/gi);
  return [...builds].filter((m) => !m[1] && !made.has(m[2]!.toLowerCase())).map((m) => m[2]!.toLowerCase());
}

describe('index builds on tables in use', () => {
  it('finds-a-plain-build-on-a-table-made-before-and-not-one-on-a-table-made-here-or-built-concurrently', () => {
    expect(plainBuildsOnExistingTables('alter table outbox add column x text;\ncreate index b_received on backlog (force_id, received_at);')).toEqual(['backlog']);
    expect(plainBuildsOnExistingTables('create table backlog (id uuid);\ncreate index b_received on backlog (id);')).toEqual([]);
    expect(plainBuildsOnExistingTables('-- bluelamp: no transaction\ncreate unique index concurrently if not exists b on backlog (id) where x is null;')).toEqual([]);
    expect(plainBuildsOnExistingTables('-- create index b on backlog (id)\nselect 1;')).toEqual([]);
  });

  it('builds-every-index-on-a-table-in-use-concurrently-from-0078-on', () => {
    const offending = listMigrations()
      .filter((m) => m.name >= FIRST_UNDER_THE_RULE)
      .flatMap((m) => plainBuildsOnExistingTables(m.sql).map((table) => `${m.name}: ${table}`));
    expect(offending).toEqual([]);
  });
});
