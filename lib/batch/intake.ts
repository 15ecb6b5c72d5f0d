/**
 * What a batch upload holds: the files sent, with every zip among them unpacked into its images (folders kept in
 * the names). Limits hold for the unpacked content too (files per batch, bytes per batch); a file that is too
 * large or not an image becomes a failed item with its problem, never a failed batch.
 */
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { createProblem } from '@/lib/api/problem';
import { formatBytes } from '@/lib/format/bytes';
import { sniffImageType } from '@/lib/vectorize/decode-image';
import { problemOf } from './process-item';
import type { ItemProblem } from './store';

export type UploadedFile = { name: string; bytes: Buffer };

export type IntakeItem = {
  fileName: string;
  inputBytes: number;
  /** Present for an accepted image. */
  image?: { bytes: Buffer; hash: string; mimeType: string };
  problem?: ItemProblem;
};

export type IntakeLimits = { maxFiles: number; maxBatchBytes: number; maxFileBytes: number };

/** A limit of the whole batch was passed: the request is refused (413, or 400 for an empty or broken upload). */
export class BatchIntakeError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BatchIntakeError';
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(0, 4).equals(ZIP_MAGIC);
}

/** A relative path inside the results zip: no drive, no leading slash, no "..", forward slashes. */
export function safeEntryName(name: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    .map((p) => p.replace(/[\u0000-\u001f<>:"|?*]/g, '_'));
  return parts.join('/').slice(-255) || 'image';
}

/** Entries of a zip that are not images anyone meant to send (macOS resource forks, hidden files). */
function isJunk(name: string): boolean {
  return name.startsWith('__MACOSX/') || name.split('/').some((p) => p.startsWith('.'));
}

export async function expandUploads(files: UploadedFile[], limits: IntakeLimits): Promise<IntakeItem[]> {
  const out: IntakeItem[] = [];
  let total = 0;
  const add = (name: string, bytes: Buffer) => {
    if (out.length >= limits.maxFiles)
      throw new BatchIntakeError(413, `A batch holds at most ${limits.maxFiles} files.`);
    total += bytes.length;
    if (total > limits.maxBatchBytes)
      throw new BatchIntakeError(
        413,
        `The batch's files add up to more than the ${formatBytes(limits.maxBatchBytes)} limit.`,
      );
    out.push(toItem(safeEntryName(name), bytes, limits.maxFileBytes));
  };
  for (const file of files) {
    if (!isZip(file.bytes)) {
      add(file.name, file.bytes);
      continue;
    }
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(file.bytes, { checkCRC32: true });
    } catch {
      throw new BatchIntakeError(400, `"${file.name.slice(0, 100)}" is not a readable zip file.`);
    }
    const prefix = files.length > 1 ? `${file.name.replace(/\.zip$/i, '')}/` : '';
    for (const entry of Object.values(zip.files)) {
      if (entry.dir || isJunk(entry.name)) continue;
      // the size the entry declares, checked before inflating it (a zip bomb declares its real size or fails
      // the CRC and length checks below)
      const declared = (entry as unknown as { _data?: { uncompressedSize?: number } })._data
        ?.uncompressedSize;
      if (declared !== undefined && total + declared > limits.maxBatchBytes)
        throw new BatchIntakeError(
          413,
          `The batch's files add up to more than the ${formatBytes(limits.maxBatchBytes)} limit.`,
        );
      let bytes: Buffer;
      try {
        bytes = await entry.async('nodebuffer');
      } catch {
        throw new BatchIntakeError(400, `"${entry.name.slice(0, 100)}" in the zip cannot be unpacked.`);
      }
      add(`${prefix}${entry.name}`, bytes);
    }
  }
  if (out.length === 0) throw new BatchIntakeError(400, 'The batch holds no files.');
  return out;
}

function toItem(fileName: string, bytes: Buffer, maxFileBytes: number): IntakeItem {
  if (bytes.length > maxFileBytes) {
    return {
      fileName,
      inputBytes: bytes.length,
      problem: createProblem(
        413,
        'too-large',
        `The file (${formatBytes(bytes.length)}) is larger than the ${formatBytes(maxFileBytes)} limit.`,
      ) as ItemProblem,
    };
  }
  try {
    const type = sniffImageType(bytes);
    return {
      fileName,
      inputBytes: bytes.length,
      image: { bytes, hash: createHash('sha256').update(bytes).digest('hex'), mimeType: `image/${type}` },
    };
  } catch (error) {
    return {
      fileName,
      inputBytes: bytes.length,
      problem: problemOf(error),
    };
  }
}
