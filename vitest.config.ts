import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
// @ts-expect-error plain ESM helper shared with the build
import { loadKnowledgeFolder, loadSnippetFiles } from './scripts/knowledge-tools.mjs';

export default defineConfig({
  plugins: [
    {
      name: 'knowledge-yaml',
      resolveId(id: string) {
        return id.startsWith('knowledge-data:') || id === 'snippet-data:all' ? '\0' + id : undefined;
      },
      load(id: string) {
        if (id === '\0snippet-data:all') return `export default ${JSON.stringify(loadSnippetFiles())};`;
        if (id.startsWith('\0knowledge-data:')) return `export default ${JSON.stringify(loadKnowledgeFolder(id.slice('\0knowledge-data:'.length)))};`;
        return undefined;
      },
      transform(_code: string, id: string) {
        if (!/\.ya?ml$/.test(id)) return undefined;
        return { code: `export default ${JSON.stringify(YAML.parse(readFileSync(id, 'utf8')))};`, map: null };
      },
    },
  ],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/protocol/**/*.test.ts'],
    testTimeout: 20000,
    pool: 'forks',
  },
});
