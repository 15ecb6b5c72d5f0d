/**
 * Keeps the converter's cards in the browser (IndexedDB, through idb-keyval), so results survive a reload of the
 * page: each card's original file, its options, its result and edits, and its undo steps; and the batches.
 */
import { createStore, del, get, getMany, set, setMany } from 'idb-keyval';
import type { ConvertResult } from './convert-client';
import type { UiOptions } from './options';
import type { SwatchEdit } from './swatch-edits';

/** One state of a card that Undo returns to. */
export type Snapshot = { options: UiOptions; result?: ConvertResult; edits: SwatchEdit[] };

export type StoredCard = {
  key: string;
  file: File;
  /** Where it came from inside a dropped or picked folder ("icons/logo.png"); the file name otherwise. */
  path: string;
  batchId: string;
  options: UiOptions;
  result?: ConvertResult;
  edits: SwatchEdit[];
  undo: Snapshot[];
};

export type StoredBatch = { id: string; label: string; createdAt: number };

type Index = { keys: string[]; batches: StoredBatch[] };

const INDEX = 'index';
/** Undo steps kept per card across reloads (each may hold a whole SVG). */
export const MAX_UNDO = 20;

let store: ReturnType<typeof createStore> | null = null;
function db() {
  store ??= createStore('svgai-converter', 'cards');
  return store;
}

/** The cards and batches of the last visit, newest card first; empty when storage is unavailable. */
export async function loadCards(): Promise<{ cards: StoredCard[]; batches: StoredBatch[] }> {
  try {
    const index = ((await get(INDEX, db())) as Index | undefined) ?? { keys: [], batches: [] };
    const cards = (await getMany(
      index.keys.map((k) => `card:${k}`),
      db(),
    )) as (StoredCard | undefined)[];
    return { cards: cards.filter((c): c is StoredCard => Boolean(c?.file)), batches: index.batches };
  } catch {
    return { cards: [], batches: [] };
  }
}

/** Writes the changed cards and the index (order, batches); forgets removed cards. */
export async function saveCards(
  changed: StoredCard[],
  order: string[],
  batches: StoredBatch[],
  removed: string[],
): Promise<void> {
  try {
    if (changed.length)
      await setMany(
        changed.map((c) => [`card:${c.key}`, c]),
        db(),
      );
    await set(INDEX, { keys: order, batches } satisfies Index, db());
    for (const key of removed) await del(`card:${key}`, db());
  } catch {
    // Private browsing or a full quota: the page still works, it just forgets on reload.
  }
}
