// ESLint flat config. Three rules matter most here:
// - no-floating-promises: an un-awaited activity call or HTTP request is a silent bug.
// - workflow code (workflows/, core/) may not import Node builtins or I/O libraries, because the
//   worker bundles it into a deterministic sandbox where I/O would break replay.
// - imports flow one way (docs/architecture.md#repository-layout): entry points (worker/, client/) →
//   workflows/, activities/, common/ → core/. Each folder's block below lists what it may not import;
//   test/unit/import-direction.test.ts checks the same rules on the import graph itself.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, `node:${m}`]);
const ioLibraries = [
  'got',
  'jsforce',
  'jsforce/*',
  'express',
  'faye',
  'yaml',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
];

/** A relative import of one of these top-level folders, from any depth (`../../worker/env`). */
const folder = (...names) => `^(\\.\\.?/)+(${names.join('|')})(/|$)`;
const layer = (names, message, allowTypeImports = false) => ({
  regex: folder(...names),
  message,
  allowTypeImports,
});

/**
 * The sandbox is a workspace package (sandbox/package.json, `@sfzd/sandbox`) for tests, benchmarks and
 * `npm start`'s embedded default; the worker image holds neither it nor its dependencies.
 */
const SANDBOX_MESSAGE =
  'Product code never depends on the sandbox (a dev/test workspace package, absent from the worker image).';
const noSandbox = [
  layer(['sandbox'], SANDBOX_MESSAGE),
  { group: ['@sfzd/sandbox', '@sfzd/sandbox/*'], message: SANDBOX_MESSAGE },
];

/** What each folder may not import (besides the workflow code's builtins and I/O libraries). */
const layers = {
  core: [
    layer(
      ['activities', 'workflows', 'worker', 'client', 'common', 'sandbox'],
      'core/ is pure rules: it imports no other folder of the project.',
    ),
    ...noSandbox,
  ],
  workflows: [
    layer(
      ['activities'],
      'Workflows import only types from activities/ (`import type`): activity code is not bundled.',
      true,
    ),
    layer(
      ['worker', 'client', 'common', 'sandbox'],
      'Workflow code is bundled and deterministic: it imports only workflows/, core/ and types of activities/.',
    ),
    ...noSandbox,
  ],
  activities: [
    layer(
      ['worker', 'client'],
      'activities/ never imports the entry points (worker/, client/): move what both need to common/.',
    ),
    ...noSandbox,
  ],
  common: [
    layer(
      ['activities', 'worker', 'client'],
      'common/ is shared by every process: it imports no activities/, worker/ or client/.',
    ),
    ...noSandbox,
  ],
  worker: [layer(['client'], 'worker/ does not import the client side.'), ...noSandbox],
  client: noSandbox,
  'client/start': [
    layer(['sandbox'], "npm start uses the sandbox through its package: import from '@sfzd/sandbox'."),
  ],
};

/** One `@typescript-eslint/no-restricted-imports` entry (a later block replaces, not merges, the rule). */
const restrictImports = ({ paths = [], patterns = [] }) => ['error', { paths, patterns }];

const workflowCodeImports = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Workflow code is deterministic: no Node builtins (do I/O in activities/).',
  })),
  patterns: [
    {
      group: ioLibraries,
      message: 'Workflow code is deterministic: no I/O libraries (use activities/).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'bench/results/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code must not read the environment.' },
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
      ],
    },
  },
  ...['core', 'workflows'].map((name) => ({
    files: [`${name}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports({
        paths: workflowCodeImports.paths,
        patterns: [...workflowCodeImports.patterns, ...layers[name]],
      }),
    },
  })),
  ...['activities', 'common', 'worker', 'client', 'client/start'].map((name) => ({
    files: [`${name}/**/*.ts`],
    ...(name === 'client' ? { ignores: ['client/start/**'] } : {}),
    rules: { '@typescript-eslint/no-restricted-imports': restrictImports({ patterns: layers[name] }) },
  })),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
