/** Expands the CLI's file and folder arguments into a sorted, de-duplicated list of input files. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Folders contribute files with these extensions; files named explicitly are always attempted. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

type InputEntry = { path: string; error?: string };

export async function collectInputs(args: string[], recursive: boolean): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: InputEntry) => {
    const key = path.resolve(entry.path);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(entry);
    }
  };
  for (const arg of args) {
    let info;
    try {
      info = await stat(arg);
    } catch {
      add({ path: arg, error: 'file or folder not found' });
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await listImages(arg, recursive)) add({ path: file });
    } else {
      add({ path: arg });
    }
  }
  return out;
}

async function listImages(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && recursive) files.push(...(await listImages(full, recursive)));
    else if (e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) files.push(full);
  }
  return files;
}
