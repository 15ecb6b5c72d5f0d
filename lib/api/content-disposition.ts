/** Content-Disposition for downloads: the original's name with the format's extension, safe in any browser. */

/** attachment; filename="logo.pdf" (ASCII) plus the UTF-8 name for browsers that read filename*. */
export function contentDisposition(fileName: string | null | undefined, extension: string): string {
  const base =
    (fileName ?? '')
      .replace(/\.[^./\\]+$/, '')
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_')
      .trim() || 'image';
  const ascii = `${base.replace(/[^\w.-]+/g, '_')}.${extension}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${base}.${extension}`)}`;
}
