// Type-aware linting at zero warnings, Nx module boundaries enforced by tags (see docs/adr/0002-module-boundaries.md).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

const services = ['directory', 'mailbox', 'push', 'contact-sync', 'data-export'];

// Services that are themselves clients of the chat protocol and so may use the client SDK (scope:client).
const sdkUsers = ['data-export'];

/** Tag constraints (docs/adr/0002). Test code may also use the client SDK; production server code may not. */
function moduleBoundaries({ testCode }) {
  const sdk = (service) => (testCode || sdkUsers.includes(service) ? ['scope:client'] : []);
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    banTransitiveDependencies: false,
    depConstraints: [
      // a service reaches another only through a contract; shared code depends on nothing service-specific
      ...services.map((s) => ({
        sourceTag: `scope:${s}`,
        onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared', ...sdk(s)],
      })),
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      // the client SDK and the CLI: a client written from the spec, no server code inside
      { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:client', 'scope:shared'] },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [
          'type:feature',
          'type:data-access',
          'type:util',
          'type:contract',
          'type:test-util',
        ],
      },
      {
        sourceTag: 'type:feature',
        onlyDependOnLibsWithTags: [
          'type:feature',
          'type:data-access',
          'type:util',
          'type:contract',
          'type:test-util',
        ],
      },
      {
        sourceTag: 'type:data-access',
        onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contract', 'type:test-util'],
      },
      { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contract', 'type:test-util'] },
      { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['type:util', 'type:test-util'] },
      {
        sourceTag: 'type:tool',
        onlyDependOnLibsWithTags: [
          'type:feature',
          'type:util',
          'type:contract',
          'type:test-util',
          'type:data-access',
        ],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/coverage/**',
      '**/.nx/**',
      '**/.data/**',
      '**/src/generated/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
      // Prisma CLI configuration, loaded by the CLI itself, not part of any project's code
      '**/prisma.config.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx, 'simple-import-sort': simpleImportSort },
    rules: {
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      // NestJS declares option bags as classes (NestApplicationContextOptions); literals are the documented use
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: false })],
      'no-restricted-syntax': [
        'error',
        {
          // compiled to CommonJS, a namespace import of a CommonJS module becomes an object of getters, one extra
          // function call for every libsodium call; in a login's CPU profile they were 1-2 % (client and server)
          selector: "ImportDeclaration[source.value='sodium-native'] > ImportNamespaceSpecifier",
          message: "Import sodium-native as a default import (import sodium from 'sodium-native').",
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // tests drive services with the client SDK, the way real clients do
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries({ testCode: true })],
    },
  },
  prettier,
);
