#!/usr/bin/env node
// Compiles the server (src/) to JavaScript under dist/ and copies beside it every file the code
// reads at run time (SQL migrations, portal views and static files, locale files, the chat widget):
// every file under src/ that is not TypeScript, except test data in `fixtures/` folders.
// `--with-test-fixtures` also compiles test/fixtures/, the programs tests start as child processes.
// Types are checked by `npm run typecheck`, not here, so the build stays quick: each file is
// compiled on its own (as Vitest and tsx run the sources), without building a whole program.
import { createRequire } from 'node:module';
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
 * Compiles every file of the project into `outDir`, one file at a time: each file's JavaScript
 * depends on that file alone (`isolatedModules` in tsconfig.json has the type check refuse code
 * where it would not), so this writes what `tsc -p` would, in a quarter of the time: `tsc` loads
 * and binds the whole program, every library's types included, even with `noCheck`. Syntax
 * errors still fail the build.
 */
function compile(project, outDir) {
  const ts = createRequire(import.meta.url)('typescript');
  const configFile = path.join(ROOT, project);
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { outDir }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  });
  if (!parsed) throw new Error(`${project} could not be read`);
  if (parsed.errors.length > 0) throw new Error(`${project}: ${parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  // The package is "type": "module", so every file is an ES module, as NodeNext would emit it.
  const options = { ...parsed.options, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const failures = [];
  for (const file of parsed.fileNames) {
    const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    for (const diagnostic of output.diagnostics ?? []) failures.push(`${path.relative(ROOT, file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    const target = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
    if (output.sourceMapText) {
      // Sources relative to the map, as tsc writes them, so stack traces name the project's files.
      const map = JSON.parse(output.sourceMapText);
      map.sources = [path.relative(path.dirname(target), file).split(path.sep).join('/')];
      writeFileSync(`${target}.map`, JSON.stringify(map));
    }
  }
  if (failures.length > 0) throw new Error(`TypeScript build failed:\n${failures.join('\n')}`);
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
  try {
    compile(project, staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
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
