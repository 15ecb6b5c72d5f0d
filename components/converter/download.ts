/** Browser downloads: one SVG, or every finished SVG in a zip (jszip loaded only when asked for). */
import { svgFileName } from './format';

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

export function downloadSvg(svg: string, originalName: string): void {
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), svgFileName(originalName));
}

export async function downloadZip(files: { name: string; svg: string }[]): Promise<void> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const used = new Set<string>();
  for (const f of files) {
    let name = svgFileName(f.name);
    for (let i = 2; used.has(name); i++) name = svgFileName(`${f.name.replace(/\.[^.]+$/, '')}-${i}`);
    used.add(name);
    zip.file(name, f.svg);
  }
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
