/**
 * Deploys without downtime, for real: scripts/deploy/zero-downtime.mjs sets up a temporary host root with the
 * machine's nginx in front (127.0.0.1), deploys release A, then deploys B and rolls back to A while 4 clients
 * convert images through nginx (a different image per request, so every one runs the engine). No request may
 * fail, traffic must move from one slot to the other during each phase, and the old slot must be stopped.
 * Batches (BullMQ on Redis DB 6, one worker process per slot, PostgreSQL) are submitted through both phases: every
 * item must end done exactly once, as the history table in the database shows.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, dropPostgresDatabase } from '@/scripts/db/postgres-admin.mjs';
import { batchOk, measure, parseArgs } from '@/scripts/deploy/zero-downtime.mjs';
import { assembleArtifact, removeArtifact, type Artifact } from '@/test/support/release-artifact';
import { testPostgresAdminUrl } from '@/test/support/test-databases';

let artifact: Artifact | undefined;
/**
 * Items per batch, one batch every 1.5 s: 16 items a second, more than a worker (one job at a time) converts even on
 * a quiet machine (6 a batch was all done before each switch there), so work waits whenever the workers change.
 */
const BATCH = 24;
const pgName = `svgai_deploy_${randomBytes(5).toString('hex')}`;
let databaseUrl: string;

beforeAll(async () => {
  artifact = assembleArtifact();
  // PostgreSQL, as for any host with separate worker processes: web servers and workers write concurrently.
  databaseUrl = await createPostgresDatabase(testPostgresAdminUrl(), pgName);
}, 20 * 60_000);

afterAll(async () => {
  removeArtifact(artifact);
  if (databaseUrl) await dropPostgresDatabase(testPostgresAdminUrl(), pgName);
});

describe('blue/green deploy and rollback behind nginx under load', () => {
  it(
    'serves every conversion during the deploy and the rollback, and moves traffic between the slots',
    async () => {
      const lines: string[] = [];
      const report = await measure(
        parseArgs([
          '--artifact',
          artifact!.dir,
          '--concurrency',
          '4',
          '--app-port',
          '3512',
          '--nginx-port',
          '8512',
          '--max-seconds',
          '180',
          '--batch',
          String(BATCH),
          '--database-url',
          databaseUrl,
        ]),
        (m: string) => lines.push(m),
      );
      console.log(lines.join('\n'));
      const [deploy, rollback] = report.phases;
      for (const phase of [deploy, rollback]) {
        expect(phase.scriptExit, phase.log).toBe(0);
        expect(phase.failures).toEqual([]);
        expect(phase.failed).toBe(0);
        expect(phase.requests).toBeGreaterThan(20);
        // Both slots answered during the phase: the old one until the switch, the new one after it.
        expect(Object.keys(phase.upstreams).sort()).toEqual(['127.0.0.1:3512', '127.0.0.1:3513']);
      }
      // The rollback goal of the issue: well under 30 s (measured on a shared 2-core machine).
      expect(rollback.scriptSeconds).toBeLessThan(30);
      expect(report.state).toMatchObject({
        activeSlot: 'blue',
        current: 'rel-a',
        previous: 'rel-b',
        running: ['blue'],
      });
      expect(report.state.upstreamFile).toContain('server 127.0.0.1:3512;');

      // The batches: every item done exactly once, none lost, none converted twice (one history row each), and
      // work was waiting in the queue when each phase replaced the workers.
      const batch = report.batch!;
      expect(batch.submitFailures).toEqual([]);
      expect(batch.batches).toBeGreaterThan(10);
      expect(batch.batchesDone).toBe(batch.batches);
      expect(batch.states).toEqual({ done: batch.items });
      expect(batch.historyRows).toBe(batch.items);
      expect(batch.distinctHistoryRows).toBe(batch.items);
      expect(batch.itemsWithoutConversion).toBe(0);
      expect(batch.conversionsNotInHistory).toBe(0);
      expect(batchOk(batch)).toBe(true);
      for (const p of batch.pending) expect(p.unfinishedItems, p.at).toBeGreaterThan(0);
      // Workers of three releases took part: A's (before), B's (deploy), A's again (rollback).
      expect(batch.workerStarts).toBe(3);
      expect(batch.workerLogs).toEqual(['worker-blue-1.log', 'worker-green-1.log']);
    },
    15 * 60_000,
  );

  it('refuses bad arguments with a message', () => {
    expect(() => parseArgs([])).toThrow('--artifact DIR is required');
    expect(() => parseArgs(['--artifact', '/nonexistent'])).toThrow('not an assembled release');
    expect(() => parseArgs(['--artifact', artifact!.dir, '--concurrency', '0'])).toThrow(
      'positive whole number',
    );
    expect(() => parseArgs(['--bogus'])).toThrow('unknown argument: --bogus');
    // batchOk is what the CLI's exit status rests on: a duplicate history row or a lost item fails it.
    const good = {
      batches: 2,
      submitFailures: [],
      batchesDone: 2,
      items: 4,
      states: { done: 4 },
      historyRows: 4,
      distinctHistoryRows: 4,
      itemsWithoutConversion: 0,
      conversionsNotInHistory: 0,
      maxAttempts: 1,
      pending: [],
      workerStarts: 3,
      workersHandingBack: 0,
      workerLogs: [],
    };
    expect(batchOk(good)).toBe(true);
    expect(batchOk({ ...good, historyRows: 5 })).toBe(false);
    expect(batchOk({ ...good, states: { done: 3, queued: 1 } })).toBe(false);
    expect(batchOk({ ...good, submitFailures: ['500'] })).toBe(false);
  });
});
