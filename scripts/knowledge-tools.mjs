// Shared by the build and the tests: YAML loading for bundles and schema validation of the knowledge data.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const knowledgeDir = join(root, 'server', 'knowledge');

/** All entries of the YAML files in server/knowledge/<folder>/, in file-name order. */
export function loadKnowledgeFolder(folder) {
  const dir = join(knowledgeDir, folder);
  if (existsSync(dir)) return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().flatMap((f) => YAML.parse(readFileSync(join(dir, f), 'utf8')) ?? []);
  // A single file (guideline-outline.yaml) may stand in for a folder; absent data is an empty list.
  const file = `${dir}.yaml`;
  return existsSync(file) ? YAML.parse(readFileSync(file, 'utf8')) ?? [] : [];
}

/** Every snippets/*.json file, as one array of files (the editor's snippets and the quick fixes share them). */
export function loadSnippetFiles() {
  const dir = join(root, 'snippets');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ file: f, snippets: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

/** `import x from 'knowledge-data:terms'` bundles every YAML file of that folder as one array. */
/**
 * Data as a module that parses a JSON string: V8 reads JSON.parse('…') much faster than the same
 * data as an object literal, which shortens the start of the CLI and the server.
 */
function asModule(data) {
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});`;
}

export const yamlPlugin = {
  name: 'yaml',
  setup(build) {
    build.onResolve({ filter: /^knowledge-data:/ }, (args) => ({ path: args.path.slice('knowledge-data:'.length), namespace: 'knowledge-data' }));
    build.onResolve({ filter: /^snippet-data:all$/ }, () => ({ path: 'all', namespace: 'snippet-data' }));
    build.onLoad({ filter: /.*/, namespace: 'snippet-data' }, () => ({ contents: asModule(loadSnippetFiles()), loader: 'js', watchDirs: [join(root, 'snippets')] }));
    build.onLoad({ filter: /.*/, namespace: 'knowledge-data' }, (args) => ({ contents: asModule(loadKnowledgeFolder(args.path)), loader: 'js', watchDirs: [knowledgeDir] }));
    build.onLoad({ filter: /\.ya?ml$/ }, (args) => ({ contents: asModule(YAML.parse(readFileSync(args.path, 'utf8'))), loader: 'js' }));
  },
};

/** The knowledge files and the schema each must satisfy. */
export function knowledgeFiles() {
  const folder = (name, schema) => readdirSync(join(knowledgeDir, name)).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ file: join(knowledgeDir, name, f), schema }));
  return [
    ...folder('terms', 'terms.schema.json'),
    { file: join(knowledgeDir, 'roles.yaml'), schema: 'roles.schema.json' },
    ...folder('requirements', 'requirements.schema.json'),
    ...(existsSync(join(knowledgeDir, 'guideline-outline.yaml')) ? [{ file: join(knowledgeDir, 'guideline-outline.yaml'), schema: 'outline.schema.json' }] : []),
  ];
}

export function validateKnowledge() {
  const ajv = new Ajv({ allErrors: true });
  for (const s of readdirSync(join(knowledgeDir, 'schema'))) ajv.addSchema(JSON.parse(readFileSync(join(knowledgeDir, 'schema', s), 'utf8')));
  const errors = [];
  for (const { file, schema } of knowledgeFiles()) {
    let data;
    try {
      data = YAML.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      errors.push(`${file}: ${e.message}`);
      continue;
    }
    const validate = ajv.getSchema(schema);
    if (!validate(data)) {
      for (const err of validate.errors ?? []) {
        const idx = /^\/(\d+)/.exec(err.instancePath)?.[1];
        const id = idx !== undefined ? data[Number(idx)]?.id : undefined;
        errors.push(`${file}${id ? ` [${id}]` : ''} ${err.instancePath} ${err.message}`);
      }
    }
  }
  return errors;
}
