// Corpus sweep: checks every Markdown file under a folder (default ../shared/corpus)
// and prints, per document, whether it was recognised as a policy, the outline size
// and the findings per rule — for measuring false positives on real municipal text.
// Usage: npm run corpus -- [folder]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';

const dir = process.argv[2] ?? '../shared/corpus';
if (!existsSync(dir)) {
  console.error(`corpus folder not found: ${dir}`);
  process.exit(2);
}
let out;
try {
  out = execFileSync(process.execPath, ['dist/cli.js', 'check', dir, '--format', 'json', '--exit-zero'], { encoding: 'utf8', maxBuffer: 1 << 28 });
} catch (e) {
  console.error(e.stderr || e.message);
  process.exit(2);
}
const results = JSON.parse(out);
const perRule = new Map();
let docs = 0, policies = 0, findings = 0;
for (const r of results) {
  docs++;
  if (r.isPolicy) policies++;
  const byRule = new Map();
  for (const m of r.messages) {
    byRule.set(m.ruleId, (byRule.get(m.ruleId) ?? 0) + 1);
    perRule.set(m.ruleId, (perRule.get(m.ruleId) ?? 0) + 1);
    findings++;
  }
  const rules = [...byRule].map(([k, v]) => `${k}×${v}`).join(' ') || '-';
  console.log(`${relative(process.cwd(), r.filePath).padEnd(60)} ${r.isPolicy ? 'policy' : 'skip  '} ${String(r.guideline ?? '').padEnd(6)} nodes=${String(r.outlineNodes ?? 0).padEnd(4)} ${rules}${r.isPolicy ? '' : `  (${r.policyReason})`}`);
  for (const m of r.messages) console.log(`    ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
}
console.log(`\n${docs} documents, ${policies} recognised as policy documents, ${findings} findings`);
for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1])) console.log(`  ${rule}: ${n}`);
