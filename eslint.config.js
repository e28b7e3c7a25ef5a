// Type-aware linting for the server, the tests, the benchmarks and the console. Rules are the
// typescript-eslint "recommended type-checked" set plus the few the house style asks for
// (STYLE.md): no `any`, no floating promises, named exports only. A rule is switched off here,
// for everyone, with the reason beside it; never per file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/console/dist/**', 'web/console/src/api/schema.ts', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.js', 'bin/*.js'] },
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
    },
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
    // The chat widget runs in visitors' browsers; the server inlines its message catalogue.
    files: ['src/capabilities/channels/chat/widget/*.js'],
    languageOptions: { globals: { ...globals.browser, __BLUELAMP_CHAT_MESSAGES__: 'readonly' } },
  },
);
