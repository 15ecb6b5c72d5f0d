/**
 * Deploys without downtime, for real: scripts/deploy/zero-downtime.mjs sets up a temporary host root with the
 * machine's nginx in front (127.0.0.1), deploys release A, then deploys B and rolls back to A while 4 clients
 * convert images through nginx (a different image per request, so every one runs the engine). No request may
 * fail, traffic must move from one slot to the other during each phase, and the old slot must be stopped.
 * A batch (BullMQ on Redis DB 6, one worker process per slot) runs through both phases: every item must end done
 * exactly once, as the history table in the database shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measure, parseArgs } from '@/scripts/deploy/zero-downtime.mjs';
import { assembleArtifact, removeArtifact, type Artifact } from '@/test/support/release-artifact';

let artifact: Artifact | undefined;
/** Items of the batch that runs through the deploy and the rollback (one worker per slot, one job at a time). */
const BATCH = 60;

beforeAll(() => {
  artifact = assembleArtifact();
}, 20 * 60_000);

afterAll(() => removeArtifact(artifact));

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
        ]),
        (m: string) => lines.push(m),
      );
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

      // The batch: every item done exactly once, none lost, none converted twice (one history row each).
      const batch = report.batch!;
      expect(batch.status).toBe('done');
      expect(batch.states).toEqual({ done: BATCH });
      expect(batch.historyRows).toBe(BATCH);
      expect(batch.distinctHistoryRows).toBe(BATCH);
      expect(batch.itemsWithoutConversion).toBe(0);
      expect(batch.conversionsNotInHistory).toBe(0);
      // Workers of three releases took part: A's (before), B's (deploy), A's again (rollback).
      expect(batch.workerStarts).toBe(3);
      expect(batch.workerLogs).toEqual(['worker-blue-1.log', 'worker-green-1.log']);
      console.log(lines.join('\n'));
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
  });
});
