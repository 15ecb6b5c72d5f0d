/**
 * Files coming in from the browser: dropped files and whole dropped folders (walked recursively), a folder
 * picker's list, and pasted images (which arrive unnamed). Only images we can convert are kept from folders.
 */

const IMAGE_NAME = /\.(png|jpe?g|webp|gif|tiff?|avif)$/i;

/** A file, and the folder path it came from ("icons/brand/logo.png"), when it came from a folder. */
export type IncomingFile = { file: File; path: string };

type Entry = {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?: (ok: (f: File) => void, fail: (e: unknown) => void) => void;
  createReader?: () => { readEntries: (ok: (entries: Entry[]) => void, fail: (e: unknown) => void) => void };
};

function readAll(dir: Entry): Promise<Entry[]> {
  const reader = dir.createReader!();
  const out: Entry[] = [];
  // readEntries answers in pages (100 in Chromium) until an empty one
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((entries) => {
        if (entries.length === 0) return resolve(out);
        out.push(...entries);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: Entry, out: IncomingFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    if (!IMAGE_NAME.test(entry.name)) return;
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    const children = await readAll(entry);
    children.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) await walk(child, out);
  }
}

/** What a drop carries: its files, and every image inside the folders it carries. */
export async function filesFromDrop(
  data: DataTransfer,
): Promise<{ files: IncomingFile[]; folders: string[] }> {
  const entries = Array.from(data.items ?? [])
    .filter((i) => i.kind === 'file')
    .map(
      (i) => (i as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null,
    );
  if (entries.length === 0 || entries.some((e) => e === null) || !entries.some((e) => e!.isDirectory)) {
    // plain files (or a browser without entries): the file list as it is
    return { files: Array.from(data.files).map((file) => ({ file, path: file.name })), folders: [] };
  }
  const files: IncomingFile[] = [];
  const folders: string[] = [];
  for (const entry of entries as Entry[]) {
    if (entry.isDirectory) folders.push(entry.name);
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
      files.push({ file, path: file.name });
    } else await walk(entry, files);
  }
  return { files, folders };
}

/** A folder picker's (webkitdirectory) files: the images, with their paths inside the folder. */
export function filesFromFolderInput(list: FileList): { files: IncomingFile[]; folders: string[] } {
  const files = Array.from(list)
    .filter((f) => IMAGE_NAME.test(f.name))
    .map((file) => ({
      file,
      path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const folders = [
    ...new Set(files.map((f) => f.path.split('/')[0]).filter((p, _, all) => all.length > 0 && p)),
  ];
  return { files, folders: files.some((f) => f.path.includes('/')) ? folders : [] };
}

let pasted = 0;

/**
 * Clipboard images arrive as "image.png" (or nameless): they become "Pasted image 1.png", "Pasted image 2.png"…
 * in the order they were pasted on this page.
 */
export function namePasted(files: File[]): File[] {
  return files.map((f) => {
    if (f.name && f.name !== 'image.png') return f;
    const extension = f.type.split('/')[1]?.replace('jpeg', 'jpg') || 'png';
    return new File([f], `Pasted image ${++pasted}.${extension}`, {
      type: f.type,
      lastModified: f.lastModified,
    });
  });
}
