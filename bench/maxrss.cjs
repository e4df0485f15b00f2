// Preloaded with `node --require bench/maxrss.cjs <program>` when /usr/bin/time is not
// available: writes the process's peak resident set size (kB, from process.resourceUsage())
// to the file named by BENCH_MAXRSS_FILE when the process exits.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.BENCH_MAXRSS_FILE, String(process.resourceUsage().maxRSS));
});
