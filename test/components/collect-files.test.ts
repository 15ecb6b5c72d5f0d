// Dropped folders are walked the way browsers expose them (FileSystemEntry objects, readEntries in pages until an
// empty one); only images are kept, with their paths inside the folder.
import { describe, expect, it } from 'vitest';
import { filesFromDrop, filesFromFolderInput } from '@/components/converter/collect-files';

type Tree = { [name: string]: Tree | string };

/** A dropped folder as Chromium hands it over: directory readers answer in pages of at most two entries here. */
function entry(name: string, node: Tree | string, parent = ''): unknown {
  const fullPath = `${parent}/${name}`;
  if (typeof node === 'string') {
    return {
      isFile: true,
      isDirectory: false,
      name,
      fullPath,
      file: (ok: (f: File) => void) => ok(new File([node], name, { type: 'image/png' })),
    };
  }
  const children = Object.entries(node).map(([n, child]) => entry(n, child, fullPath));
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader: () => {
      let at = 0;
      return {
        readEntries: (ok: (e: unknown[]) => void) => {
          const page = children.slice(at, at + 2);
          at += page.length;
          setTimeout(() => ok(page), 0);
        },
      };
    },
  };
}

function drop(entries: unknown[], files: File[] = []): DataTransfer {
  return {
    items: entries.map((e) => ({ kind: 'file', webkitGetAsEntry: () => e })),
    files,
  } as unknown as DataTransfer;
}

describe('filesFromDrop', () => {
  it('walks dropped folders recursively, in name order, keeping images with their paths', async () => {
    const icons = entry('icons', {
      'b.png': 'b',
      'notes.txt': 'skip me',
      brand: { 'logo.PNG': 'l', 'mark.jpeg': 'm', deeper: { 'x.webp': 'x' } },
      'a.gif': 'a',
    });
    const loose = entry('loose.png', 'p');
    const { files, folders } = await filesFromDrop(drop([icons, loose]));
    expect(folders).toEqual(['icons']);
    expect(files.map((f) => f.path)).toEqual([
      'icons/a.gif',
      'icons/b.png',
      'icons/brand/deeper/x.webp',
      'icons/brand/logo.PNG',
      'icons/brand/mark.jpeg',
      'loose.png',
    ]);
  });

  it('plain dropped files come through as they are', async () => {
    const file = new File(['x'], 'notes.txt', { type: 'text/plain' });
    const { files, folders } = await filesFromDrop(drop([entry('notes.txt', 'x')], [file]));
    expect(folders).toEqual([]);
    // a dropped non-image file still becomes a card, which then says why it cannot convert
    expect(files.map((f) => f.path)).toEqual(['notes.txt']);
  });
});

describe('filesFromFolderInput', () => {
  it('keeps the images of a picked folder, sorted, named by their path in it', () => {
    const withPath = (name: string, path: string) =>
      Object.assign(new File(['x'], name), { webkitRelativePath: path }) as File;
    const list = [
      withPath('z.png', 'set/z.png'),
      withPath('a.txt', 'set/a.txt'),
      withPath('b.jpg', 'set/sub/b.jpg'),
    ];
    const { files, folders } = filesFromFolderInput(list as unknown as FileList);
    expect(files.map((f) => f.path)).toEqual(['set/sub/b.jpg', 'set/z.png']);
    expect(folders).toEqual(['set']);
  });
});
