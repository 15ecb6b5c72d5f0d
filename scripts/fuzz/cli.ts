/**
 * `npm run fuzz`: hostile requests against a running server (see run-fuzz.ts), seeded so any finding replays.
 *
 *   npm run fuzz -- --url http://127.0.0.1:3000                 300 cases (what CI runs, e2e/fuzz.spec.ts)
 *   npm run fuzz -- --cases 10000 --idle-seconds 30 --json      the on-demand run, with RSS after idling
 *
 * Exits 1 when any case crashed or hung the server, answered 5xx (other than 503 load shedding), answered an
 * /api error that is not problem+json, or returned an unsafe SVG.
 */
import { Command } from 'commander';
import { runFuzz } from './run-fuzz';

const program = new Command()
  .name('fuzz')
  .description('Send seeded hostile images and requests to a running server and count what went wrong.')
  .option('-u, --url <url>', 'server base URL', process.env.FUZZ_URL ?? 'http://127.0.0.1:3000')
  .option('-n, --cases <n>', 'number of cases', '300')
  .option('-s, --seed <n>', 'seed (the same seed sends the same cases)', '1')
  .option('-c, --concurrency <n>', 'cases in flight at once', '4')
  .option(
    '--metrics-token <token>',
    'METRICS_TOKEN, to read the server RSS from /api/metrics',
    process.env.METRICS_TOKEN,
  )
  .option('--idle-seconds <n>', 'wait this long after the run, then read RSS again', '0')
  .option('--json', 'print the summary as JSON')
  .parse();

const o = program.opts<{
  url: string;
  cases: string;
  seed: string;
  concurrency: string;
  metricsToken?: string;
  idleSeconds: string;
  json?: boolean;
}>();

const summary = await runFuzz({
  url: o.url,
  cases: Number(o.cases),
  seed: Number(o.seed),
  concurrency: Number(o.concurrency),
  metricsToken: o.metricsToken,
  idleSeconds: Number(o.idleSeconds),
  onProgress: (done, total) => {
    if (!o.json && done % 500 === 0) console.error(`[fuzz] ${done}/${total}`);
  },
});

if (o.json) console.log(JSON.stringify(summary, null, 2));
else {
  const s = summary;
  console.log(
    [
      `fuzz: ${s.cases} cases (seed ${s.seed}) in ${s.durationSeconds} s against ${o.url}`,
      `  by category: ${Object.entries(s.byCategory)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      `  statuses: ${Object.entries(s.statuses)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}`,
      `  crashes ${s.crashes}, hangs ${s.hangs}, 5xx ${s.serverErrors} (503 shed: ${s.shed}), non-problem errors ${s.nonProblemErrors}, unsafe SVGs ${s.unsafe}`,
      `  server RSS: ${s.rssMb.before ?? '?'} MB before, ${s.rssMb.after ?? '?'} MB after${s.rssMb.idle !== null ? `, ${s.rssMb.idle} MB idle` : ''}`,
      ...s.findings.slice(0, 20).map((f) => `  case ${f.id} [${f.category}] ${f.description}: ${f.problem}`),
    ].join('\n'),
  );
}
const failed =
  summary.crashes + summary.hangs + summary.serverErrors + summary.nonProblemErrors + summary.unsafe;
process.exit(failed > 0 ? 1 : 0);
