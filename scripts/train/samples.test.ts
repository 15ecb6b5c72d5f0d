import { describe, expect, it } from 'vitest';
import { loadIconSources } from '@/scripts/dataset';
import { augmentationsOf, CLEAN_TRANSPARENT, CLEAN_WHITE } from './samples';

describe('augmentationsOf', () => {
  const sources = loadIconSources().slice(0, 400);

  it('starts with the clean renders and never repeats an augmentation of the same source', () => {
    for (const source of sources) {
      const augs = augmentationsOf(source, 5, 7);
      expect(augs.slice(0, 2)).toEqual([CLEAN_WHITE, CLEAN_TRANSPARENT]);
      expect(new Set(augs.map((a) => JSON.stringify(a))).size).toBe(7);
    }
  });

  it('is the same for the same source and seed, and a prefix when fewer are asked for', () => {
    const [source] = sources;
    expect(augmentationsOf(source, 4, 7)).toEqual(augmentationsOf(source, 4, 7));
    expect(augmentationsOf(source, 2, 7)).toEqual(augmentationsOf(source, 4, 7).slice(0, 4));
    expect(augmentationsOf(source, 4, 8)).not.toEqual(augmentationsOf(source, 4, 7));
  });
});
