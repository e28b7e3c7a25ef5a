import { readFileSync, readdirSync } from 'node:fs';

const FOLDER = new URL('../src/platform/db/migrations/', import.meta.url);

/**
 * The statements of a migration (by its number, `0055`), one at a time as it runs them, comments
 * left out: a test runs them over data written as it stood before, to show what the migration does
 * to rows it finds. `only` keeps the statements it matches (the data's, not the schema's).
 */
export function migrationStatements(number: string, only: (statement: string) => boolean = () => true): string[] {
  const file = readdirSync(FOLDER).find((name) => name.startsWith(`${number}_`) && name.endsWith('.sql'));
  if (!file) throw new Error(`no migration ${number}`);
  return readFileSync(new URL(file, FOLDER), 'utf8')
    .replace(/--.*$/gm, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '' && only(statement));
}
