// Shared by the build and the tests: YAML loading for bundles and schema validation of the knowledge data.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const knowledgeDir = join(root, 'server', 'knowledge');

export const yamlPlugin = {
  name: 'yaml',
  setup(build) {
    build.onLoad({ filter: /\.ya?ml$/ }, (args) => ({ contents: JSON.stringify(YAML.parse(readFileSync(args.path, 'utf8'))), loader: 'json' }));
  },
};

/** The knowledge files and the schema each must satisfy. */
export function knowledgeFiles() {
  const termsDir = join(knowledgeDir, 'terms');
  return [
    ...readdirSync(termsDir).filter((f) => f.endsWith('.yaml')).map((f) => ({ file: join(termsDir, f), schema: 'terms.schema.json' })),
    { file: join(knowledgeDir, 'roles.yaml'), schema: 'roles.schema.json' },
    { file: join(knowledgeDir, 'requirements.yaml'), schema: 'requirements.schema.json' },
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
