/** Byte counts as people read them (512 B, 9.8 KB, 12 MB): messages, the converter and the history pages. */

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${trim((n / 1024).toFixed(n < 10 * 1024 ? 1 : 0))} KB`;
  if (n < 1024 * 1024 * 1024) return `${trim((n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0))} MB`;
  return `${trim((n / 1024 / 1024 / 1024).toFixed(1))} GB`;
}

/** 10.0 -> 10: a limit of exactly 10 MB reads as "10 MB". */
function trim(s: string): string {
  return s.replace(/\.0$/, '');
}
