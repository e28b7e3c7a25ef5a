import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Staff console build. Run from the repository root:
//   npx vite build --config web/console/vite.config.ts
// No React plugin: Vite's built-in Oxc transform handles TSX with the automatic runtime.
const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.BLUELAMP_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // MapLibre GL is one chunk of about 1 MB, loaded only when the dispatcher's map is shown.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      checks: {
        // Rolldown reports how long plugins took whenever they took a share of the build it
        // thinks worth a look (InputOptions.checks.bundlerTimings): a timing, printed in yellow
        // as a [PLUGIN_TIMINGS] warning, that a newcomer's `npm start` reads as a failure. Our
        // one plugin set is Vite's own; profile with `node --cpu-prof` when a build is slow.
        bundlerTimings: false,
      },
      onwarn(warning, warn) {
        // TanStack Query marks its modules "use client" for React Server Components; a plain
        // browser bundle has no server components, so the directive means nothing here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
});
