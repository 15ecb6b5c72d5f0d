/** Runs jobs with at most `concurrency` in flight and reports their outcomes in input order. */

export async function runJobs<J, O>(
  jobs: J[],
  concurrency: number,
  run: (job: J) => Promise<O>,
  onOutcome: (outcome: O, index: number) => void,
): Promise<void> {
  const emitter = new OrderedEmitter(onOutcome);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < jobs.length; i = next++) emitter.push(i, await run(jobs[i]));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
}

class OrderedEmitter<O> {
  private readonly pending = new Map<number, O>();
  private nextIndex = 0;
  constructor(private readonly emit: (outcome: O, index: number) => void) {}

  push(index: number, outcome: O) {
    this.pending.set(index, outcome);
    while (this.pending.has(this.nextIndex)) {
      const o = this.pending.get(this.nextIndex)!;
      this.pending.delete(this.nextIndex);
      this.emit(o, this.nextIndex++);
    }
  }
}
