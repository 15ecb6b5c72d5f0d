/** Types for parse-prometheus-text-format (used by tests to prove /api/metrics is valid exposition text). */
declare module 'parse-prometheus-text-format' {
  export type PromSample = {
    value: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  };
  export type PromFamily = {
    name: string;
    help: string;
    type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
    metrics: PromSample[];
  };
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
