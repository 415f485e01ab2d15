import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = ['auth', 'live-call', 'coach-room', 'calls', 'analytics', 'toolkit', 'admin', 'settings'];

// bulletproof-react boundaries: a feature imports no other feature; shared layers
// (lib, components, config, hooks, utils, types) import no feature and not the app.
const crossFeatureZones = FEATURES.map((feature) => ({
  target: `./src/features/${feature}`,
  from: './src/features',
  except: [`./${feature}`],
  message: 'Features must not import each other; compose them in src/app.',
}));

// The api layer (a feature's api/, and lib/) talks to the server and never reaches up into
// hooks: hooks use the api, not the other way round.
const apiZones = [
  ...FEATURES.map((feature) => ({
    target: `./src/features/${feature}/api`,
    from: `./src/features/${feature}/hooks`,
    message: 'The api layer must not import hooks; move shared state types to the feature (e.g. model/).',
  })),
  { target: './src/lib', from: './src/hooks', message: 'The api layer must not import hooks.' },
];

const unidirectionalZones = [
  { target: './src/features', from: './src/app', message: 'Features must not import the app layer.' },
  ...['components', 'hooks', 'lib', 'config', 'utils', 'types'].map((shared) => ({
    target: `./src/${shared}`,
    from: ['./src/features', './src/app'],
    message: 'Shared modules must not import features or the app layer.',
  })),
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'e2e/artifacts', 'src/lib/api'] },
  {
    files: ['src/**/*.{ts,tsx}', 'vite.config.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.app.json' })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-restricted-paths': ['error', { zones: [...crossFeatureZones, ...unidirectionalZones, ...apiZones] }],
      'import-x/no-cycle': 'error',
      'import-x/order': [
        'warn',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          pathGroups: [{ pattern: '@/**', group: 'internal' }],
          'newlines-between': 'always',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render server text as text; never inject HTML.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      complexity: ['error', 10],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['e2e/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.node, ...globals.browser } },
  },
);
