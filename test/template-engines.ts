import { PGlite } from '@electric-sql/pglite';
import { schemaFingerprint } from './template-fingerprint.ts';
import { templateImageFs } from './template-image.ts';

// Opening a PGlite engine from the template costs a test app about 0.7 s of CPU (the WebAssembly
// memory, the engine's own files, its start-up and the template's files), most of the PGlite suite's
// set-up time. A test file's engine is instead handed on to the next test file of the same process
// once its app has closed, after being put back as the template left it: its rows emptied and
// reloaded, its sequences set back, its activity counters zeroed and its session reset, in about a
// tenth of that time. An engine whose schema, definitions, roles, grants, settings, comments, large
// objects or planner statistics a test changed (test/template-fingerprint.ts) is never handed on: it
// is closed, and the next app opens a new one, so a test that alters the database's structure cannot
// reach another file.

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
      reusable = await isLikeTemplate(engine);
    } catch {
      reusable = false;
    }
  }
  if (reusable) idle.push(engine);
  else if (!engine.closed) await engine.close();
}

/**
 * Whether an engine's structure, definitions, roles, grants, settings, comments, large objects and
 * planner statistics are still the template's: what an engine must show, once its rows are put
 * back, to be handed on (false before any engine was opened from the template).
 */
export async function isLikeTemplate(engine: PGlite): Promise<boolean> {
  return template !== undefined && (await schemaFingerprint(engine)) === template.fingerprint;
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
  // The activity counters (pg_stat_user_tables and the other pg_stat views) start at zero in an
  // engine opened from the template; here they hold the last app's scans and writes and the rows
  // just copied back, which the next app would read (the analysis of changed tables counts a
  // table's changes since its last ANALYZE). What is still waiting to be counted is counted first
  // (when the statement ends), then every counter goes back to zero.
  await engine.exec('select pg_stat_force_next_flush()');
  await engine.exec('select pg_stat_reset(), pg_stat_reset_shared(), pg_stat_reset_slru()');
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
