// @ts-check
// Lint gate (npm run lint, part of npm test): type-checked TypeScript rules everywhere, Lit rules for web/.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import litPlugin from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Boundaries (docs/architecture.md): no import cycle, and the features never reach for an implementation
    // the composition root chooses (Redis, the cluster), so they run the same on one node and many.
    files: ['server/**/*.ts', 'web/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: ['server/chat', 'server/news', 'server/http', 'server/app.ts'],
              from: ['server/cluster', 'server/stores/redis', 'server/compose.ts'],
              message: 'features and createApp see interfaces only; the composition root (compose.ts) picks Redis',
            },
            {
              target: ['server/chat', 'server/news', 'server/http', 'server/app.ts'],
              from: ['node_modules/ioredis', 'node_modules/@socket.io/redis-streams-adapter'],
              message: 'features and createApp never talk to Redis themselves',
            },
            {
              target: 'web',
              from: 'server',
              except: ['protocol'],
              message: 'the browser client shares only the wire contract (server/protocol) with the server',
            },
          ],
        },
      ],
    },
  },
  {
    // Stores implement async interfaces (a shared store is remote); the in-process ones have nothing to
    // await, and `async` still turns their throws into rejections, as callers expect.
    files: ['server/stores/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // vitest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['web/**/*.ts'],
    ...litPlugin.configs['flat/recommended'],
  },
  {
    files: ['web/**/*.ts'],
    ...litA11y.configs.recommended,
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
