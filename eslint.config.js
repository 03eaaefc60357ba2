// ESLint flat config. The folder boundaries here are also checked, independently of lint, by
// tests/unit/boundaries.test.ts (STYLE.md: "Let machines hold conventions").
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

export default defineConfig(
  globalIgnores([
    // Build and test outputs, including the per-developer variants (.output-goals, test-results-plan).
    '.output*/',
    '.wxt/',
    'node_modules/',
    'test-results*/',
    'playwright-report*/',
    'data/',
    'coverage/',
    'dist/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    rules: {
      // `_name` marks a parameter or binding that must exist but is deliberately unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
        },
      ],
    },
  },

  // Type-aware only where it pays: an unawaited promise loses errors and ordering (writes to
  // IndexedDB, socket sends). The project service finds each file's nearest tsconfig, so
  // core/ is checked against core/tsconfig.json.
  {
    files: TS,
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },

  // Where code runs, so that plain-JS files know their globals (TypeScript checks TS files).
  {
    files: ['entrypoints/**', 'components/**', 'hooks/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: [
      'sync-server/**',
      'scripts/**',
      'tests/**',
      'harness/**',
      'bench/**',
      '*.config.{js,ts,mjs}',
      '*.{js,mjs,cjs}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },

  // React: the Rules of Hooks, and the React Compiler's checks that come with them.
  {
    files: ['components/**/*.{ts,tsx}', 'hooks/**/*.{ts,tsx}', 'entrypoints/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },

  // core/ is framework-free: no React, no WXT, no Tiptap, no browser APIs (DESIGN.md).
  {
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'react',
              message: 'core/ is framework-free: React belongs in components/ and hooks/.',
            },
            {
              name: 'react-dom',
              message: 'core/ is framework-free: React belongs in components/ and hooks/.',
            },
            {
              name: 'wxt',
              message: 'core/ must not depend on WXT: wire it in entrypoints/.',
            },
            {
              name: '#imports',
              message: 'core/ must not depend on WXT: wire it in entrypoints/.',
            },
          ],
          patterns: [
            {
              group: ['react/*', 'react-dom/*'],
              message: 'core/ is framework-free.',
            },
            {
              group: ['wxt/*', '@wxt-dev/*'],
              message: 'core/ must not depend on WXT: wire it in entrypoints/.',
            },
            {
              group: ['@tiptap/*'],
              message: 'Tiptap belongs in components/editor/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'browser',
          message: 'core/ takes host capabilities as parameters; browser.* is for entrypoints/.',
        },
        {
          name: 'chrome',
          message: 'core/ takes host capabilities as parameters; chrome.* is for entrypoints/.',
        },
        {
          name: 'window',
          message: 'core/ runs in Node and service workers too: no DOM.',
        },
        {
          name: 'document',
          message: 'core/ runs in Node and service workers too: no DOM.',
        },
      ],
    },
  },

  // Components read through hooks/ and write through core/model commands, never Yjs directly.
  {
    files: ['components/**'],
    ignores: ['components/editor/RichTextEditor.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['yjs', 'yjs/*', 'y-*', '@tiptap/y-tiptap'],
              message:
                'Components never touch Y types: use a hook from hooks/ and a command from core/model. ' +
                'Only components/editor/RichTextEditor.tsx binds Tiptap to a Y.XmlFragment.',
            },
            {
              group: ['**/hooks/platform', '**/hooks/platform.*'],
              message:
                'Components get the device through hooks (PlanProvider, RegistryProvider), never hooks/platform.ts.',
            },
            {
              group: ['**/core/sync', '**/core/sync/*'],
              importNames: [
                'PlanSession',
                'PlanReader',
                'RegistrySession',
                'LocalDoc',
                'PlanRemote',
                'DocLink',
                'connectPlan',
              ],
              message:
                'Components never open docs or connections: a hook from hooks/ does, and gives them read models.',
            },
          ],
        },
      ],
    },
  },

  // Transaction origins come from core/model/origins.ts (ORIGIN), never a bare string, so
  // what a layer filters on is what another produces.
  {
    files: ['core/**', 'hooks/**', 'components/**', 'entrypoints/**', 'sync-server/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='transact'][arguments.1.type='Literal'], " +
            "CallExpression[callee.property.name='applyUpdate'][arguments.2.type='Literal'], " +
            "CallExpression[callee.name='change'][arguments.2.type='Literal']",
          message: 'Name the origin with ORIGIN from core/model/origins.ts, not a string.',
        },
      ],
    },
  },

  // The server shares only what both ends speak (core/access, core/model); the client's sync
  // layer (core/sync: sessions, IndexedDB, providers) is never part of it.
  {
    files: ['sync-server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/sync', '**/core/sync/*', 'y-indexeddb', 'y-websocket'],
              message: 'sync-server/ shares core/access and core/model with the client, never core/sync.',
            },
          ],
        },
      ],
    },
  },

  // A focused test (`it.only`, `test.describe.only`) silently skips the rest of CI.
  {
    files: ['tests/**', '**/*.test.{ts,tsx}', '**/*.spec.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "MemberExpression[property.name='only'][object.name=/^(it|test|describe|suite|bench)$/], " +
            "MemberExpression[property.name='only'][object.property.name=/^(describe|concurrent|sequential|each)$/]",
          message: 'Remove .only before committing: it skips every other test.',
        },
      ],
    },
  },
);
