/**
 * Browser downloads: one result in a chosen format, or every finished result in a zip in the chosen formats
 * (jszip loaded only when asked for). Formats other than SVG come from the export endpoint, from the SVG as edited.
 */
import { applySvgOptions, titleFromFileName, type SvgOptions } from '@/lib/export/svg-options';
import { exportFile } from './convert-client';
import { fileNameAs } from './format';

export type DownloadFormat = 'svg' | 'pdf' | 'eps' | 'dxf' | 'png' | 'png2' | 'png4';

export const DOWNLOAD_FORMATS: { value: DownloadFormat; label: string }[] = [
  { value: 'svg', label: 'SVG' },
  { value: 'pdf', label: 'PDF' },
  { value: 'eps', label: 'EPS' },
  { value: 'dxf', label: 'DXF' },
  { value: 'png', label: 'PNG' },
  { value: 'png2', label: 'PNG 2×' },
  { value: 'png4', label: 'PNG 4×' },
];

function extensionOf(format: DownloadFormat): string {
  return format.startsWith('png') ? 'png' : format;
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The SVG in `format`, as a file's contents and the name it downloads as. */
async function render(
  svg: string,
  originalName: string,
  format: DownloadFormat,
  svgOptions: Partial<SvgOptions> = {},
): Promise<{ blob: Blob; name: string }> {
  const name = fileNameAs(originalName, extensionOf(format));
  if (format === 'svg') {
    const title = svgOptions.title ?? titleOf(originalName);
    const out = applySvgOptions(svg, { ...svgOptions, title: title || undefined });
    return { blob: new Blob([out], { type: 'image/svg+xml' }), name };
  }
  const scale = format === 'png4' ? 4 : format === 'png2' ? 2 : 1;
  const base = format.startsWith('png') ? 'png' : (format as 'pdf' | 'eps' | 'dxf');
  return { blob: await exportFile(svg, base, { scale, name }), name };
}

/** The <title> an SVG download gets unless the user writes another: the file name without its extension. */
export const titleOf = titleFromFileName;

export async function downloadAs(
  svg: string,
  originalName: string,
  format: DownloadFormat,
  svgOptions: Partial<SvgOptions> = {},
): Promise<void> {
  const { blob, name } = await render(svg, originalName, format, svgOptions);
  downloadBlob(blob, name);
}

export async function downloadZip(
  files: { name: string; svg: string }[],
  formats: DownloadFormat[],
  manifest?: string,
  svgOptions: Partial<Omit<SvgOptions, 'title'>> = {},
): Promise<void> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const used = new Set<string>();
  for (const f of files) {
    // one base name per image, whatever the formats: logo.svg and logo.pdf, then logo-2.svg for a second logo
    const stem = fileNameAs(f.name, 'x', true).replace(/\.x$/, '');
    let base = stem;
    for (let i = 2; used.has(base); i++) base = `${stem}-${i}`;
    used.add(base);
    for (const format of formats) {
      const { blob } = await render(f.svg, `${base}.x`, format, { ...svgOptions, title: titleOf(f.name) });
      const suffix = format === 'png2' ? '@2x' : format === 'png4' ? '@4x' : '';
      zip.file(`${base}${suffix}.${extensionOf(format)}`, blob);
    }
  }
  if (manifest) zip.file('summary.csv', manifest);
  const blob = await zip.generateAsync({ type: 'blob', compression: 'DEFLATE' });
  downloadBlob(blob, 'svg-converter.zip');
}

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API unavailable (http, old browser): fall back to a selected textarea.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
