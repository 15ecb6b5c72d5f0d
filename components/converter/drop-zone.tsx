'use client';
/** Where images come in: drag and drop, a file picker (keyboard reachable), and a hint about pasting. */
import { useRef, useState, type DragEvent } from 'react';
import styles from './converter.module.css';

const ACCEPT =
  'image/png,image/jpeg,image/webp,image/gif,image/tiff,image/avif,.png,.jpg,.jpeg,.webp,.gif,.tif,.tiff,.avif';

export function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    onFiles(Array.from(e.dataTransfer.files));
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
      <p className={styles.dropTitle}>Drop images here</p>
      <p className={styles.muted}>PNG, JPEG, WebP, GIF, TIFF or AVIF · or paste with Ctrl+V</p>
      <button type="button" className={styles.primary} onClick={() => input.current?.click()}>
        Choose files…
      </button>
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
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </div>
  );
}
