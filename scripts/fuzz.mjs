// Soak: the property and fuzz suites of npm test with many more iterations (seeded, reproducible).
//   npm run fuzz                 (defaults below)
//   LGPOLICY_SEED=7 npm run fuzz (another seed for the block-parsing property test)
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  LGPOLICY_FUZZ_EDITS: process.env.LGPOLICY_FUZZ_EDITS ?? '10000',
  LGPOLICY_FUZZ_BLOCKS: process.env.LGPOLICY_FUZZ_BLOCKS ?? '3000',
  LGPOLICY_FUZZ_INPUTS: process.env.LGPOLICY_FUZZ_INPUTS ?? '2000',
};
const suites = ['test/unit/blocks.test.ts', 'test/unit/incremental.test.ts', 'test/unit/robustness.test.ts', 'test/unit/fix-properties.test.ts', 'test/protocol/fuzz.test.ts'];
console.log(`fuzz: ${suites.join(' ')}\n  edits=${env.LGPOLICY_FUZZ_EDITS} blocks=${env.LGPOLICY_FUZZ_BLOCKS} inputs=${env.LGPOLICY_FUZZ_INPUTS}`);
const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...suites], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
