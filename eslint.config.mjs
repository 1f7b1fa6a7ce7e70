import { readFileSync } from 'node:fs';
import { URL } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Data access goes through src/store (README "Architecture"). The models are those createModels
 * names (src/models/index.ts), read from there so a new model is covered without editing this file.
 */
const MODEL_NAMES = [...readFileSync(new URL('./src/models/index.ts', import.meta.url), 'utf8').matchAll(/^\s+(\w+): \w+Model\(connection\),$/gm)].map((match) => match[1]);
if (MODEL_NAMES.length === 0) throw new Error('eslint.config.mjs: found no models in src/models/index.ts');
const MODEL = `/^(${MODEL_NAMES.join('|')})$/`;
const MODEL_OR_COLLECTION = `/^(${[...MODEL_NAMES, 'collection'].join('|')})$/`;

const STORE_ONLY =
  'Data access goes through a repository in src/store, whose methods take the tenant: no model (models.X) or collection (.collection) outside src/store and src/models. ' +
  'The one exception is AdminJS: in admin/resources/ a resource definition may hand a model to its resource, as `new Scoped(models.X as never, …)`, and the resource adapter in admin/adminjs/ may name mongoose\'s Model type; custom actions, hooks and pages query through src/store.';

/** The model named by a resource definition: the first argument of `new Scoped(…)` / `new setup.Scoped(…)`, as is or cast. */
const SCOPED = ":matches(NewExpression[callee.name='Scoped'], NewExpression[callee.property.name='Scoped'])";
const RESOURCE_MODEL = `${SCOPED} > TSAsExpression > MemberExpression, ${SCOPED} > MemberExpression`;

const dataAccess = ({ resourceDefinitions }) => [
  'error',
  { selector: `MemberExpression[property.name=${MODEL}]${resourceDefinitions ? `:not(${RESOURCE_MODEL})` : ''}`, message: STORE_ONLY },
  { selector: "MemberExpression[property.name='collection']", message: STORE_ONLY },
  { selector: `MemberExpression[computed=true][property.value=${MODEL_OR_COLLECTION}]`, message: STORE_ONLY },
  { selector: `ObjectPattern > Property[key.name=${MODEL_OR_COLLECTION}]`, message: STORE_ONLY },
];

const restrictedImports = ({ modelType }) => [
  'error',
  {
    paths: [{ name: 'mongoose', importNames: [...(modelType ? ['Model'] : []), 'Collection', 'model'], message: STORE_ONLY }],
    patterns: [{ group: ['**/models', '**/models/*'], importNamePattern: '^\\w+Model$', message: STORE_ONLY }],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/**', 'test-artifacts/**', '.cache/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' }],
    },
  },
  { files: ['src/config.ts', 'dev/**', 'scripts/**', 'bench/**', 'test/support/**'], rules: { 'no-restricted-properties': 'off' } },
  // The intake, workers, console and CLIs: data access only through src/store.
  {
    files: ['src/**/*.ts', 'workers/**/*.ts', 'admin/**/*.ts'],
    ignores: ['src/store/**', 'src/models/**'],
    rules: { 'no-restricted-syntax': dataAccess({ resourceDefinitions: false }), 'no-restricted-imports': restrictedImports({ modelType: true }) },
  },
  // AdminJS resource definitions hand their resource a model (@adminjs/mongoose's documented API).
  { files: ['admin/resources/**/*.ts'], rules: { 'no-restricted-syntax': dataAccess({ resourceDefinitions: true }) } },
  // The resource adapter (admin/adminjs/scoped-resource.ts) is given that model: it may name its type.
  { files: ['admin/adminjs/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports({ modelType: false }) } },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
