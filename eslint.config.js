import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'bench/.build', 'bench/results', '**/*.cjs', 'renderer/dist', 'resources/migrations', 'test-results', 'playwright-report', 'e2e/artifacts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core runs headless: nothing under gateway/ may import electron.
    files: ['gateway/**/*.ts', 'bin/**', 'bench/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'gateway/ is the headless core: pass Electron capabilities in from electron/.' }], patterns: ['electron/*', '../electron/*', '../../electron/*'] }],
    },
  },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
);
