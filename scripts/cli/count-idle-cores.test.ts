import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { countIdleCores } from './count-idle-cores';

describe('countIdleCores', () => {
  it('returns a core count between 0 and the cores this process may use', async () => {
    const idle = await countIdleCores(50);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(availableParallelism());
  });

  it('does not count a core another process keeps busy', async () => {
    const burner = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 5000; while (Date.now() < end);',
    ]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 150)); // let it start spinning
      const idle = await countIdleCores(200);
      expect(idle).toBeLessThanOrEqual(availableParallelism() - 0.5);
    } finally {
      burner.kill();
    }
  });
});
