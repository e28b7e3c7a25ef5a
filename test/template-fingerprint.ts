import type { PGlite } from '@electric-sql/pglite';

// What a test could change in an engine that putting its rows back would not undo, summed up in one
// query: an engine handed on to the next test file must give the same sum as the template
// (test/template-engines.ts). Catalog rows are read as stored (object ids, and expressions as
// PostgreSQL keeps them, not printed back as SQL, which cost the hand-on several times as much),
// so an object dropped and made again, even under the same name and definition, is seen, and so
// is a view, index, default, constraint, trigger, rule or policy replaced by another definition.
// Every dependency between objects a database made (object ids from 16384, PostgreSQL's first for
// user objects) is listed too, so an object of a kind not named here (an operator, a cast, a
// collation, a text search configuration, a publication) is seen when it is made.
const USER_SCHEMAS = `select oid from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'`;
const USER_RELATIONS = `select oid from pg_class where relnamespace in (${USER_SCHEMAS})`;

/** A catalog row's columns as one line of text. */
const columnsOf = (...columns: string[]) => `format('${columns.map(() => '%s').join(' ')}', ${columns.join(', ')})`;

/** Each catalog's rows that matter, one line a row, in a fixed order. */
const SECTIONS: { what: string; line: string; from: string; order: string }[] = [
  {
    what: 'relations',
    line: columnsOf('oid', 'relname', 'relnamespace', 'relkind', 'relam', 'relowner', 'relpersistence', 'relreplident', 'relrowsecurity',
      'relforcerowsecurity', 'relacl', 'reloptions'),
    from: `pg_class where oid in (${USER_RELATIONS})`,
    order: 'oid',
  },
  {
    what: 'columns',
    line: columnsOf('attrelid', 'attnum', 'attname', 'atttypid', 'atttypmod', 'attnotnull', 'atthasdef', 'attidentity', 'attgenerated', 'attisdropped',
      'attcollation', 'attstorage', 'attstattarget', 'attacl', 'attoptions'),
    from: `pg_attribute where attnum > 0 and attrelid in (${USER_RELATIONS})`,
    order: 'attrelid, attnum',
  },
  {
    what: 'indexes',
    line: columnsOf('indexrelid', 'indrelid', 'indisunique', 'indnullsnotdistinct', 'indisprimary', 'indisexclusion', 'indimmediate', 'indisclustered',
      'indisvalid', 'indisreplident', 'indkey', 'indclass', 'indcollation', 'indoption', 'md5(indexprs::text)', 'md5(indpred::text)'),
    from: `pg_index where indrelid in (${USER_RELATIONS})`,
    order: 'indexrelid',
  },
  { what: 'defaults', line: columnsOf('adrelid', 'adnum', 'md5(adbin::text)'), from: 'pg_attrdef', order: 'adrelid, adnum' },
  {
    what: 'constraints',
    line: columnsOf('oid', 'conname', 'connamespace', 'contype', 'condeferrable', 'condeferred', 'convalidated', 'conrelid', 'contypid', 'conindid',
      'confrelid', 'confupdtype', 'confdeltype', 'confmatchtype', 'conkey', 'confkey', 'conexclop', 'connoinherit', 'md5(conbin::text)'),
    from: `pg_constraint where connamespace in (${USER_SCHEMAS})`,
    order: 'oid',
  },
  {
    what: 'triggers',
    line: columnsOf('oid', 'tgrelid', 'tgname', 'tgfoid', 'tgtype', 'tgenabled', 'tgconstraint', 'tgdeferrable', 'tginitdeferred', 'tgattr', 'tgargs',
      'md5(tgqual::text)', 'tgoldtable', 'tgnewtable'),
    from: 'pg_trigger',
    order: 'oid',
  },
  {
    // A view's definition is its rule.
    what: 'rules',
    line: columnsOf('oid', 'ev_class', 'rulename', 'ev_type', 'ev_enabled', 'is_instead', 'md5(ev_qual::text)', 'md5(ev_action::text)'),
    from: `pg_rewrite where ev_class in (${USER_RELATIONS})`,
    order: 'oid',
  },
  {
    what: 'policies',
    line: columnsOf('oid', 'polrelid', 'polname', 'polcmd', 'polpermissive', 'polroles', 'md5(polqual::text)', 'md5(polwithcheck::text)'),
    from: 'pg_policy',
    order: 'oid',
  },
  {
    what: 'functions',
    line: columnsOf('oid', 'proname', 'pronamespace', 'proargtypes', 'prokind', 'prorettype', 'proretset', 'provolatile', 'prosecdef', 'proisstrict',
      'proleakproof', 'proparallel', 'procost', 'prorows', 'prolang', 'proowner', 'proacl', 'proconfig', 'md5(prosrc)', 'md5(prosqlbody::text)',
      'md5(proargdefaults::text)'),
    from: `pg_proc where pronamespace in (${USER_SCHEMAS})`,
    order: 'oid',
  },
  {
    what: 'types',
    line: columnsOf('oid', 'typname', 'typnamespace', 'typtype', 'typowner', 'typnotnull', 'typbasetype', 'typtypmod', 'typdefault', 'typacl'),
    from: `pg_type where typnamespace in (${USER_SCHEMAS})`,
    order: 'oid',
  },
  { what: 'enum labels', line: columnsOf('oid', 'enumtypid', 'enumsortorder', 'enumlabel'), from: 'pg_enum', order: 'oid' },
  {
    what: 'sequences',
    line: columnsOf('seqrelid', 'seqtypid', 'seqstart', 'seqincrement', 'seqmax', 'seqmin', 'seqcache', 'seqcycle'),
    from: 'pg_sequence',
    order: 'seqrelid',
  },
  // Roles' every attribute, password included.
  { what: 'roles', line: 'a::text', from: 'pg_authid a', order: 'oid' },
  { what: 'role members', line: 'm::text', from: 'pg_auth_members m', order: 'oid' },
  // ALTER ROLE … SET and ALTER DATABASE … SET.
  { what: 'role settings', line: columnsOf('setdatabase', 'setrole', 'setconfig'), from: 'pg_db_role_setting', order: 'setdatabase, setrole' },
  {
    what: 'schemas',
    line: columnsOf('oid', 'nspname', 'nspowner', 'nspacl'),
    from: `pg_namespace where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'`,
    order: 'oid',
  },
  { what: 'extensions', line: columnsOf('oid', 'extname', 'extversion', 'extnamespace', 'extowner', 'extconfig'), from: 'pg_extension', order: 'oid' },
  {
    what: 'databases',
    line: columnsOf('oid', 'datname', 'datdba', 'datallowconn', 'datconnlimit', 'datistemplate', 'datacl'),
    from: 'pg_database',
    order: 'oid',
  },
  { what: 'default privileges', line: 'd::text', from: 'pg_default_acl d', order: 'oid' },
  {
    what: 'comments',
    line: columnsOf('classoid', 'objoid', 'objsubid', 'md5(description)'),
    from: 'pg_description where objoid >= 16384',
    order: 'classoid, objoid, objsubid',
  },
  { what: 'shared comments', line: columnsOf('classoid', 'objoid', 'md5(description)'), from: 'pg_shdescription', order: 'classoid, objoid' },
  { what: 'large objects', line: columnsOf('oid', 'lomowner', 'lomacl'), from: 'pg_largeobject_metadata', order: 'oid' },
  {
    what: 'large objects’ data',
    line: columnsOf('loid', 'content'),
    from: `(select loid, md5(string_agg(data, ''::bytea order by pageno)) as content from pg_largeobject group by loid) o`,
    order: 'loid',
  },
  { what: 'event triggers', line: 'e::text', from: 'pg_event_trigger e', order: 'oid' },
  { what: 'extended statistics', line: 'x::text', from: 'pg_statistic_ext x', order: 'oid' },
  { what: 'extended statistics’ data', line: 'md5(x::text)', from: 'pg_statistic_ext_data x', order: 'stxoid, stxdinherit' },
  { what: 'inheritance', line: 'i::text', from: 'pg_inherits i', order: 'inhrelid, inhseqno' },
  // What ALTER SYSTEM writes (postgresql.auto.conf) as well as postgresql.conf.
  { what: 'setting files', line: columnsOf('sourcefile', 'seqno', 'name', 'setting', 'error'), from: 'pg_file_settings', order: 'sourcefile, seqno' },
  {
    what: 'dependencies',
    line: columnsOf('classid', 'objid', 'objsubid', 'refclassid', 'refobjid', 'refobjsubid', 'deptype'),
    from: 'pg_depend where objid >= 16384',
    order: 'classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype',
  },
  { what: 'shared dependencies', line: 'd::text', from: 'pg_shdepend d', order: 'dbid, classid, objid, objsubid, refclassid, refobjid, deptype' },
  {
    what: 'planner statistics',
    line: columnsOf('starelid', 'staattnum', 'stainherit', 'stanullfrac', 'stadistinct', 'stavalues1::text', 'stavalues2::text', 'stanumbers1'),
    from: `pg_statistic where starelid in (${USER_RELATIONS})`,
    order: 'starelid, staattnum, stainherit',
  },
];

const FINGERPRINT = `select md5(concat_ws(E'\\n', ${SECTIONS.map(
  ({ what, line, from, order }) => `'${what.replaceAll("'", "''")}', (select string_agg(${line}, E'\\n' order by ${order}) from ${from})`,
).join(', ')})) as fingerprint`;

/**
 * The database's structure and definitions, roles, grants, owners and settings (ALTER SYSTEM's
 * file among them), comments, large objects, and the planner's statistics of its tables (an
 * ANALYZE's, which emptying a table keeps and SQL cannot put back), summed up: what a test could
 * change that a reset of rows would not put back.
 */
export async function schemaFingerprint(engine: PGlite): Promise<string> {
  const result = await engine.query<{ fingerprint: string }>(FINGERPRINT);
  return result.rows[0]?.fingerprint ?? '';
}
