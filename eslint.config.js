// Type-aware linting for the server, the tests, the benchmarks and the console. Rules are the
// typescript-eslint "recommended type-checked" set plus the few the house style asks for
// (STYLE.md): no `any`, no floating promises, named exports only. A rule is switched off here,
// for everyone, with the reason beside it; never per file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'dist.*.tmp/**', 'node_modules/**', 'web/console/dist/**', 'web/console/dist.*/**', 'web/console/src/api/schema.ts', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Files no tsconfig includes: the plain JavaScript entry points. The console's build config
          // is in the root tsconfig (Node types; a test reads it), not the console's (browser code).
          allowDefaultProject: ['*.js', 'scripts/*.js', 'bin/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md).' }],
      // Off: here `async` marks a function that fulfils a promise-returning contract (job and route
      // handlers, adapters' `send`, cleanups, test fakes), and Fastify's plugins and hooks must return
      // a promise or take a `done` callback. Dropping `async` where nothing is awaited would turn a
      // throw into a synchronous one that the caller's `.catch` or Fastify's promise path never sees.
      // A promise left un-awaited, the mistake this rule hints at, is caught by no-floating-promises
      // and no-misused-promises, which stay on.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Off in tests only: vitest types its asymmetric matchers (`expect.any`, `expect.stringContaining`,
    // `expect.objectContaining`, `expect.closeTo`) as `any`, so every partial expectation would be
    // reported. The other no-unsafe rules stay on in tests, and this one stays on everywhere else.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Tooling configs must export a default object; that is their format, not our code.
    files: ['*.config.ts', '*.config.js', 'web/console/vite.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // The console follows the rules of hooks.
    files: ['web/console/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Plain JavaScript entry points carry no type information to check.
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  { files: ['bin/*.js', 'scripts/*.js', 'eslint.config.js'], languageOptions: { globals: globals.node } },
  {
    // The chat widget runs in visitors' browsers; the server inlines its message catalogue, styles, parts and the server's test of visible text.
    files: ['src/capabilities/channels/chat/widget/*.js'],
    languageOptions: {
      globals: { ...globals.browser, __BLUELAMP_CHAT_MESSAGES__: 'readonly', __BLUELAMP_CHAT_STYLES__: 'readonly', __BLUELAMP_CHAT_EXIT_KEEPER__: 'readonly', __BLUELAMP_CHAT_VISIBLE__: 'readonly', __BLUELAMP_CHAT_TIME__: 'readonly' },
    },
  },
  // The portal's own script (the quick exit) runs in visitors' browsers too.
  { files: ['src/portal/static/*.js'], languageOptions: { globals: globals.browser } },
);
