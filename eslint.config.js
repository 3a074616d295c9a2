// ESLint flat config: type-aware rules that catch real bugs in Temporal code.
const tseslint = require('typescript-eslint');
const importPlugin = require('eslint-plugin-import');

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'read-model/generated/**', 'coverage/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    ignores: ['web/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
  },
  {
    // The dashboard (browser code) has its own tsconfig (DOM, JSX); same rules.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: __dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
  },
  {
    // Configuration is read once, by runtime/config.ts's Zod schema, so that every variable
    // is validated, defaulted and documented in one place. Tests, benchmarks and their
    // harnesses set up processes and may read the environment directly.
    files: [
      'api/**/*.ts',
      'worker/**/*.ts',
      'activities/**/*.ts',
      'read-model/**/*.ts',
      'runtime/**/*.ts',
      'domain/**/*.ts',
      'contract/**/*.ts',
      'workflows/**/*.ts',
      'stack/**/*.ts',
      'scripts/start*.ts',
    ],
    ignores: ['runtime/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'read configuration through runtime/config.ts (loadConfig, childEnv)' },
      ],
    },
  },
  {
    // Workflow code is replayed: no Node built-ins, no I/O. Activities' types only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os'], message: 'workflow code must stay deterministic: no Node built-ins' },
            { group: ['../api/*', '../stack/*', '../read-model/*', '../runtime/*', '../activities/*', '../worker/*'], message: 'workflow code imports only workflow modules and activity types' },
          ],
        },
      ],
    },
  },
);
