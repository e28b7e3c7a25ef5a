#!/usr/bin/env node
// Runs the built JavaScript in dist/ (`npm run build`; `npm start` builds first). For development,
// `npm run dev` runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Bluelamp has not been built. Run `npm run build` (or `npm start`, which builds and starts it).\n');
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(entry.href);
