// The seeded fuzz run against the production build (scripts/fuzz): a few hundred hostile images and requests
// in CI (FUZZ_CASES for more); none may crash or hang the server, answer 5xx (other than 503 shedding), answer
// an /api error that is not problem+json, or return an unsafe SVG.
import { expect, test } from '@playwright/test';
import { runFuzz } from '../scripts/fuzz/run-fuzz';

test('seeded hostile cases: no crash, hang, 5xx, non-problem error or unsafe SVG', async ({ baseURL }) => {
  const cases = Number(process.env.FUZZ_CASES ?? 300);
  test.setTimeout(Math.max(10 * 60_000, cases * 500));
  const summary = await runFuzz({
    url: baseURL!,
    cases,
    seed: Number(process.env.FUZZ_SEED ?? 20261203),
    concurrency: 3,
  });
  test.info().annotations.push({
    type: 'fuzz',
    description: JSON.stringify({ ...summary, findings: summary.findings.length }),
  });
  expect(summary.findings).toEqual([]);
  expect({
    crashes: summary.crashes,
    hangs: summary.hangs,
    serverErrors: summary.serverErrors,
    nonProblemErrors: summary.nonProblemErrors,
    unsafe: summary.unsafe,
  }).toEqual({ crashes: 0, hangs: 0, serverErrors: 0, nonProblemErrors: 0, unsafe: 0 });
  expect(summary.cases).toBe(cases);
});
