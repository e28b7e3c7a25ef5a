import { PGlite } from '@electric-sql/pglite';
import { templateImageFs } from './template-image.ts';

// Opening a PGlite engine from the template costs a test app about 0.7 s of CPU (the WebAssembly
// memory, the engine's own files, its start-up and the template's files), most of the PGlite suite's
// set-up time. A test file's engine is instead handed on to the next test file of the same process
// once its app has closed, after being put back as the template left it: its rows emptied and
// reloaded, its sequences set back and its session reset, in about a tenth of that time. An engine
// whose schema, roles, settings or planner statistics a test changed is never handed on: it is closed, and the next
// app opens a new one, so a test that alters the database's structure cannot reach another file.

/** What the template held, read from a freshly opened engine: what an engine is put back to. */
type TemplateState = {
  folder: string;
  /** Every table of the schema, quoted: all are emptied. */
  tables: string[];
  /** The rows of each table that has any, as binary COPY data. */
  rows: { table: string; data: Blob }[];
  /** Each sequence's position: one statement that sets them all back. */
  setSequences: string;
  /**
   * The planner's size of each table and index, which emptying a table forgets: one statement
   * that puts them back, so queries are planned as on the template (a test that reads a plan
   * sees the template's).
   */
  setSizes: string;
  fingerprint: string;
};

/** Engines put back and waiting for the next app; a few, so two apps alive at once still reuse. */
const idle: PGlite[] = [];
const MOST_IDLE = 2;
let template: TemplateState | undefined;

/**
 * An engine holding the template for one test app, and the function that gives it back when the
 * app's database closes (at most once).
 */
export async function borrowTemplateEngine(imageFolder: string): Promise<{ pglite: PGlite; giveBack: () => Promise<void> }> {
  if (template && template.folder !== imageFolder) {
    template = undefined;
    for (const engine of idle.splice(0)) await engine.close();
  }
  let pglite = idle.pop();
  if (!pglite) {
    pglite = await PGlite.create({ fs: templateImageFs(imageFolder) });
    template ??= await readTemplateState(pglite, imageFolder);
  }
  const engine = pglite;
  let givenBack = false;
  return {
    pglite: engine,
    async giveBack() {
      if (givenBack) return;
      givenBack = true;
      await putBack(engine);
    },
  };
}

/** Resets an engine to the template and keeps it for the next app, or closes it when it cannot be trusted to match. */
async function putBack(engine: PGlite): Promise<void> {
  const state = template;
  let reusable = false;
  if (state && !engine.closed && idle.length < MOST_IDLE) {
    try {
      await resetToTemplate(engine, state);
      reusable = (await schemaFingerprint(engine)) === state.fingerprint;
    } catch {
      reusable = false;
    }
  }
  if (reusable) idle.push(engine);
  else if (!engine.closed) await engine.close();
}

async function resetToTemplate(engine: PGlite, state: TemplateState): Promise<void> {
  // A transaction a test left open would hold the reset inside it; DISCARD ALL then ends every
  // session state an app leaves behind: settings, LISTENs, advisory locks, prepared statements
  // and temporary tables.
  if (engine.isInTransaction()) await engine.exec('rollback');
  await engine.exec('discard all');
  // Triggers (the event log's refusal to be truncated among them) and foreign keys are the
  // template's own rows going back: they are not checked again here.
  await engine.exec(`set session_replication_role = replica; truncate table ${state.tables.join(', ')};`);
  for (const { table, data } of state.rows) await engine.query(`copy ${table} from '/dev/blob' with (format binary)`, [], { blob: data });
  if (state.setSequences) await engine.exec(state.setSequences);
  if (state.setSizes) await engine.exec(state.setSizes);
  await engine.exec('reset session_replication_role');
}

async function readTemplateState(engine: PGlite, folder: string): Promise<TemplateState> {
  const tables = await engine.query<{ name: string; kind: string }>(
    `select format('%I', c.relname) as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  const rows: TemplateState['rows'] = [];
  for (const { name, kind } of tables.rows) {
    if (kind !== 'r') continue;
    const count = await engine.query<{ n: number }>(`select count(*)::int as n from ${name}`);
    if ((count.rows[0]?.n ?? 0) === 0) continue;
    const copied = await engine.query(`copy ${name} to '/dev/blob' with (format binary)`);
    if (!copied.blob) throw new Error(`copying ${name} gave no data`);
    rows.push({ table: name, data: copied.blob });
  }
  const sequences = await engine.query<{ name: string }>(
    `select format('%I', c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
  );
  const settings: string[] = [];
  for (const { name } of sequences.rows) {
    const position = await engine.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${name}`);
    const row = position.rows[0];
    if (row) settings.push(`setval('${name.replaceAll("'", "''")}', ${Number(row.last_value)}, ${row.is_called})`);
  }
  const sizes = await engine.query<{ oid: number; pages: number; tuples: number; visible: number }>(
    `select c.oid::int as oid, c.relpages as pages, c.reltuples::float8 as tuples, c.relallvisible as visible
     from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'i', 't')`,
  );
  const sizeValues = sizes.rows.map((row) => `(${row.oid}, ${row.pages}, ${row.tuples}, ${row.visible})`).join(', ');
  return {
    folder,
    tables: tables.rows.map((table) => table.name),
    rows,
    setSequences: settings.length ? `select ${settings.join(', ')};` : '',
    setSizes: sizeValues
      ? `update pg_class c set relpages = v.pages, reltuples = v.tuples, relallvisible = v.visible
         from (values ${sizeValues}) as v(oid, pages, tuples, visible) where c.oid = v.oid::oid;`
      : '',
    fingerprint: await schemaFingerprint(engine),
  };
}

/**
 * The database's structure, roles, grants and settings, and the planner's statistics of its tables
 * (an ANALYZE's, which emptying a table keeps and SQL cannot put back), summed up: what a test could
 * change that a reset of rows would not put back.
 */
async function schemaFingerprint(engine: PGlite): Promise<string> {
  const result = await engine.query<{ fingerprint: string }>(`
    select md5(string_agg(item, E'\\n' order by item)) as fingerprint from (
      select format('rel %s %s %s %s %s', c.oid::regclass, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relacl) as item
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'
      union all select format('att %s %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull, a.atthasdef, a.attisdropped)
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and a.attnum > 0
      union all select format('def %s %s', d.adrelid::regclass, pg_get_expr(d.adbin, d.adrelid)) from pg_attrdef d
      union all select format('pol %s %s %s %s %s', polrelid::regclass, polname, polcmd, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)) from pg_policy
      union all select format('trg %s %s %s', tgrelid::regclass, tgname, tgenabled) from pg_trigger
      union all select format('con %s %s %s %s', conrelid::regclass, conname, contype, convalidated)
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname = 'public'
      union all select format('fn %s %s %s', p.oid::regprocedure, md5(p.prosrc), p.proacl) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public'
      union all select format('role %s %s %s %s', rolname, rolsuper, rolbypassrls, rolcanlogin) from pg_roles
      union all select format('member %s %s', roleid, member) from pg_auth_members
      union all select format('set %s %s %s', setdatabase, setrole, setconfig) from pg_db_role_setting
      union all select format('ns %s %s', nspname, nspacl) from pg_namespace where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
      union all select format('ext %s %s', extname, extversion) from pg_extension
      union all select format('db %s %s', datname, datacl) from pg_database
      union all select format('stat %s %s %s %s %s %s %s %s', s.starelid::regclass, s.staattnum, s.stainherit, s.stanullfrac, s.stadistinct,
          s.stavalues1::text, s.stavalues2::text, s.stanumbers1) from pg_statistic s join pg_class c on c.oid = s.starelid
          join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
    ) items`);
  return result.rows[0]?.fingerprint ?? '';
}
