// Preloaded into every Node process of a measured command when GNU time is missing: appends the
// process's peak RSS (KiB) to BENCH_RSS_FILE when it exits.
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
