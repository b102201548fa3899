import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// The core must stay runtime-agnostic: it runs in Node (CLI, host, tests) and in Electron's
// main process. These imports would tie it to one shell or to a DOM.
const shellOnlyModules = ['electron', 'react', 'react-dom', 'react-dom/*', 'zustand', 'echarts', 'echarts/*']

export default tseslint.config(
  { ignores: ['.scratch*/**', 'out/**', 'dist/**', 'node_modules/**', 'e2e/artifacts/**', 'bench/results/**', 'playwright-report/**', 'test-results/**', '.native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: shellOnlyModules.filter((m) => !m.includes('*')).map((name) => ({ name, message: 'src/core and src/shared are runtime-agnostic: no Electron, React or DOM libraries.' })),
        patterns: [{ group: shellOnlyModules.filter((m) => m.includes('*')), message: 'src/core and src/shared are runtime-agnostic.' },
          { group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', '**/cli/**'], message: 'The core must not depend on a shell.' }],
      }],
      'no-restricted-globals': ['error', { name: 'window', message: 'No DOM in the core.' }, { name: 'document', message: 'No DOM in the core.' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', localStorage: 'readonly', requestAnimationFrame: 'readonly', cancelAnimationFrame: 'readonly', ResizeObserver: 'readonly', WebSocket: 'readonly', File: 'readonly', Blob: 'readonly', DataTransfer: 'readonly' } },
  },
)
