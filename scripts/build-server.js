#!/usr/bin/env node
// Compiles the server (src/) to JavaScript under dist/ and copies beside it every file the code
// reads at run time (SQL migrations, portal views and static files, locale files, the chat widget):
// every file under src/ that is not TypeScript, except test data in `fixtures/` folders.
// `--with-test-fixtures` also compiles test/fixtures/, the programs tests start as child processes.
// Types are checked by `npm run typecheck`, not here, so the build stays quick.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build.json');

/** Every file under `dir`, as absolute paths. */
function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

function isTestOnly(file) {
  return file.split(path.sep).includes('fixtures') || /\.test\.[cm]?[jt]sx?$/.test(file);
}

/** The newest modification time among the build's inputs. */
function newestInput(withTestFixtures) {
  const inputs = [
    ...listFiles(path.join(ROOT, 'src')),
    path.join(ROOT, 'tsconfig.json'),
    path.join(ROOT, 'tsconfig.build.json'),
    fileURLToPath(import.meta.url),
    ...(withTestFixtures ? listFiles(path.join(ROOT, 'test', 'fixtures')) : []),
  ];
  return Math.max(...inputs.map((file) => statSync(file).mtimeMs));
}

/** True when dist/ was built from the current sources (with the test fixtures, if asked for). */
export function isBuildUpToDate({ withTestFixtures = false } = {}) {
  if (!existsSync(STAMP)) return false;
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  if (withTestFixtures && !stamp.withTestFixtures) return false;
  return stamp.newestInput >= newestInput(withTestFixtures);
}

/**
 * Builds dist/ unless it is up to date. The new build is written to a temporary folder and then
 * moved into place, so a process never starts from a half-written dist/.
 */
export function buildServer({ withTestFixtures = false, force = false } = {}) {
  if (!force && isBuildUpToDate({ withTestFixtures })) return { built: false };
  const newest = newestInput(withTestFixtures);
  const staging = `${DIST}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const project = withTestFixtures ? 'test/fixtures/tsconfig.build.json' : 'tsconfig.build.json';
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--outDir', staging], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`TypeScript build failed (tsc -p ${project} exited ${result.status ?? result.signal})`);
  }
  for (const file of listFiles(path.join(ROOT, 'src'))) {
    if (file.endsWith('.ts') || isTestOnly(file)) continue;
    const target = path.join(staging, path.relative(ROOT, file));
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(file, target);
  }
  writeFileSync(path.join(staging, '.build.json'), JSON.stringify({ newestInput: newest, withTestFixtures }));
  rmSync(DIST, { recursive: true, force: true });
  renameSync(staging, DIST);
  return { built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const withTestFixtures = process.argv.includes('--with-test-fixtures');
  const force = process.argv.includes('--force');
  try {
    const { built } = buildServer({ withTestFixtures, force });
    process.stdout.write(built ? 'Server built into dist/\n' : 'Server build is up to date (dist/)\n');
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
