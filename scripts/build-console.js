#!/usr/bin/env node
// Builds the staff console (web/console) with Vite into web/console/dist, only when its sources
// changed since the last build, and by swapping a finished build in: a second `npm start` while a
// server runs used to empty the folder the server was serving (404s for the console) before it
// was refused. `--force` builds whatever the stamp says.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE = path.join(ROOT, 'web', 'console');
const DIST = path.join(CONSOLE, 'dist');
const STAMP = '.build.json';

/** The newest modification time among the console's sources, its config and the installed packages. */
function newestInput() {
  const sources = readdirSync(CONSOLE, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter((file) => !file.startsWith(`${DIST}${path.sep}`) && !file.includes(`${path.sep}dist.`));
  const others = [path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)].filter((file) => existsSync(file));
  return Math.max(...[...sources, ...others].map((file) => statSync(file).mtimeMs));
}

function isUpToDate(newest) {
  const stamp = path.join(DIST, STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(DIST, 'index.html'))) return false;
  return JSON.parse(readFileSync(stamp, 'utf8')).newestInput >= newest;
}

const newest = newestInput();
if (!process.argv.includes('--force') && isUpToDate(newest)) process.exit(0);

const next = `${DIST}.${process.pid}.tmp`;
const vite = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(CONSOLE, 'vite.config.ts'), '--logLevel', 'warn', '--outDir', next, '--emptyOutDir'], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (vite.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  process.exit(vite.status ?? 1);
}
writeFileSync(path.join(next, STAMP), JSON.stringify({ newestInput: newest }));
// Two renames: the old build is out of the way for an instant, never half written.
const old = `${DIST}.${process.pid}.old`;
if (existsSync(DIST)) renameSync(DIST, old);
renameSync(next, DIST);
rmSync(old, { recursive: true, force: true });
