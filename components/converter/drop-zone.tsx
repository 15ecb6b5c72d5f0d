'use client';
/**
 * Where images come in: drag and drop (files or whole folders), a file picker and a folder picker (keyboard
 * reachable), and, on devices with a keyboard, a hint about pasting.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { filesFromDrop, filesFromFolderInput, type IncomingFile } from './collect-files';
import styles from './converter.module.css';

const ACCEPT =
  'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.png,.jpg,.jpeg,.webp,.gif,.tif,.tiff,.avif';

/** "a folder", "icons", "icons and 2 more folders": how a batch from folders is called. */
function folderLabel(folders: string[], count: number): string | undefined {
  if (folders.length === 0) return undefined;
  const names = folders.length === 1 ? folders[0] : `${folders[0]} and ${folders.length - 1} more`;
  return `${names} (${count} image${count === 1 ? '' : 's'})`;
}

export function DropZone({ onFiles }: { onFiles: (files: IncomingFile[], label?: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [pasteKey, setPasteKey] = useState<string | null>(null);

  // Only where there is a keyboard to paste with; ⌘V on Apple platforms. Known after hydration.
  useEffect(() => {
    const touchOnly = window.matchMedia('(hover: none) and (pointer: coarse)').matches;
    const apple = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPasteKey(touchOnly ? null : apple ? '⌘V' : 'Ctrl+V');
  }, []);

  // The folder picker attribute is not in React's types.
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const onDrop = async (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const { files, folders } = await filesFromDrop(e.dataTransfer);
    onFiles(files, folderLabel(folders, files.length));
  };

  return (
    <div
      className={styles.dropZone}
      data-over={over || undefined}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="36" height="36" className={styles.dropIcon}>
        <path
          fill="currentColor"
          d="M19 13v6H5v-6H3v6a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-6h-2zm-6 .67 2.59-2.58L17 12.5l-5 5-5-5 1.41-1.41L11 13.67V3h2v10.67z"
        />
      </svg>
      <p className={styles.dropTitle}>Drop images or folders here</p>
      <p className={styles.muted} data-testid="drop-hint">
        PNG, JPEG, WebP, GIF, TIFF or AVIF{pasteKey ? ` · or paste with ${pasteKey}` : ''}
      </p>
      <div className={styles.actions}>
        <button type="button" className={styles.primary} onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <button type="button" onClick={() => folderInput.current?.click()}>
          Choose a folder…
        </button>
      </div>
      <input
        ref={input}
        id="file-input"
        type="file"
        multiple
        accept={ACCEPT}
        className={styles.visuallyHidden}
        aria-label="Choose image files to convert"
        tabIndex={-1}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []).map((file) => ({ file, path: file.name })));
          e.target.value = '';
        }}
      />
      <input
        ref={folderInput}
        id="folder-input"
        type="file"
        multiple
        className={styles.visuallyHidden}
        aria-label="Choose a folder of images to convert"
        tabIndex={-1}
        onChange={(e) => {
          const { files, folders } = filesFromFolderInput(e.target.files ?? new DataTransfer().files);
          onFiles(files, folderLabel(folders, files.length));
          e.target.value = '';
        }}
      />
    </div>
  );
}
