// Types for scripts/deploy/zero-downtime.mjs.
export type Options = {
  artifact: string;
  concurrency: number;
  appPort: number;
  nginxPort: number;
  databaseUrl: string;
  settle: number;
  maxSeconds: number;
  keepAlive: boolean;
  json: boolean;
  keepRoot: boolean;
  scripts: string;
  batch: number;
  redisUrl: string;
  help?: boolean;
};
export type Phase = {
  phase: 'deploy' | 'rollback';
  scriptExit: number | null;
  scriptSeconds: number;
  requests: number;
  failed: number;
  failures: { status: number; error?: string }[];
  p50Ms: number;
  p95Ms: number;
  upstreams: Record<string, number>;
  log?: string;
};
export type BatchReport = {
  batches: number;
  submitFailures: string[];
  batchesDone: number;
  items: number;
  states: Record<string, number>;
  historyRows: number;
  distinctHistoryRows: number;
  itemsWithoutConversion: number;
  conversionsNotInHistory: number;
  maxAttempts: number;
  pending: { at: string; unfinishedItems: number }[];
  workerStarts: number;
  workersHandingBack: number;
  workerLogs: string[];
};
export type Report = {
  load: { concurrency: number; keepAlive: boolean; image: string };
  firstDeploySeconds: number;
  phases: Phase[];
  batch?: BatchReport;
  state: { activeSlot: string; current: string; previous: string; upstreamFile: string; running: string[] };
  root?: string;
};
export function parseArgs(argv: string[]): Options;
export function measure(options: Options, log?: (message: string) => void): Promise<Report>;
export function batchOk(batch: BatchReport | undefined): boolean;
