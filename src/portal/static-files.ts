import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GOVUK_DIST, STATIC_DIR } from './render.ts';

export type StaticFile = { body: Buffer; type: string };

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

async function load(file: string): Promise<StaticFile | null> {
  const type = TYPES[path.extname(file)];
  return type ? { body: await readFile(file), type } : null;
}

/**
 * The files the portal serves, read once at start-up (a few hundred kilobytes). Requests are
 * answered from this fixed map, so no request path ever reaches the file system.
 */
export async function loadStaticFiles(): Promise<{ assets: Map<string, StaticFile>; portal: Map<string, StaticFile> }> {
  const assetsRoot = path.join(GOVUK_DIST, 'govuk', 'assets');
  const assets = new Map<string, StaticFile>();
  for (const file of await listFiles(assetsRoot)) {
    const loaded = await load(file);
    if (loaded) assets.set(path.relative(assetsRoot, file).split(path.sep).join('/'), loaded);
  }
  const portal = new Map<string, StaticFile>();
  const sources: [string, string][] = [
    ['govuk-frontend.min.css', path.join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.css')],
    ['govuk-frontend.min.js', path.join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.js')],
    ['init.js', path.join(STATIC_DIR, 'init.js')],
    ['portal.css', path.join(STATIC_DIR, 'portal.css')],
  ];
  for (const [name, file] of sources) {
    const loaded = await load(file);
    if (loaded) portal.set(name, loaded);
  }
  return { assets, portal };
}
