// Lint for the whole workspace: typescript-eslint's recommended rules, plus the project's own few.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test-vectors/jws/**', 'bench/results/**'] },
  js.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // core runs in browsers too: no Node built-ins in its sources (tests may use them).
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'core is browser-safe: use WebCrypto and Uint8Array' }] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'core is browser-safe: use Uint8Array' }, { name: 'process', message: 'core reads no environment' }],
    },
  },
  {
    // The SDK runs in browsers too: fetch and WebCrypto only (tests may use Node).
    files: ['packages/sdk/src/**/*.ts'],
    ignores: ['packages/sdk/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'the SDK is browser-safe: use fetch, WebCrypto and Uint8Array' }] }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'the SDK is browser-safe: use Uint8Array' }, { name: 'process', message: 'the SDK reads no environment: take options' }],
    },
  },
);
