/** Small display formatters shared by the converter and the history page. */

export { formatBytes } from '@/lib/format/bytes';

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatSsim(ssim: number | null): string {
  return ssim === null ? '—' : ssim.toFixed(3);
}

/** `met (0.985)` / `missed (0.990)`: whether the SSIM reached the router's target; a dash when it had none. */
export function formatTarget(target: number, met: boolean): string {
  return target > 0 ? `${met ? 'met' : 'missed'} (${target.toFixed(3)})` : '—';
}

const TYPE_LABELS: Record<string, string> = {
  simple: 'Logo / icon',
  text: 'Text / word mark',
  gradient: 'Gradient',
  complex: 'Illustration',
};

export function formatImageType(type: string): string {
  return TYPE_LABELS[type] ?? type;
}

/** `logo.final.png` -> `logo.final.svg`; names made safe for zip entries and downloads. */
export function svgFileName(original: string): string {
  return fileNameAs(original, 'svg');
}

/**
 * `logo.final.png` -> `logo.final.pdf`; `icons/logo.png` keeps its folders when `keepFolders` (zip entries),
 * each part made safe for file systems.
 */
export function fileNameAs(original: string, extension: string, keepFolders = false): string {
  const safe = (part: string) => part.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim();
  const parts = keepFolders ? original.split('/').filter((p) => p && p !== '.' && p !== '..') : [original];
  const last = parts.pop() ?? '';
  const base = safe(last.replace(/\.[^./\\]+$/, '')) || 'image';
  return [...parts.map(safe).filter(Boolean), `${base}.${extension}`].join('/');
}
