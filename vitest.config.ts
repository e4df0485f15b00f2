import { defineConfig } from 'vitest/config';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export default defineConfig({
  plugins: [
    {
      name: 'yaml',
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
