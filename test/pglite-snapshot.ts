import { inject } from 'vitest';
import { readTemplateSnapshot, type TemplateDatabase } from './template-database.ts';

/**
 * The run's migrated and seeded PGlite template as a data-folder snapshot, for tests of PGlite
 * itself that need a database but not the product: loading it takes a fraction of a second where
 * a new empty PGlite runs initdb for five or more. Undefined when the run is on PostgreSQL, where
 * such tests do not run (they test the embedded engine, which the PGlite run covers).
 */
export function pgliteTemplateSnapshot(): Blob | undefined {
  const template: TemplateDatabase | undefined = inject('bluelampTemplate');
  return template?.engine === 'pglite' ? readTemplateSnapshot(template.snapshotFile) : undefined;
}
