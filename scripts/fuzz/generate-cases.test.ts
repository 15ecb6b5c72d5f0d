// The fuzz generator is deterministic per seed and case, covers every category, and its forged files are what
// they claim (valid PNG CRCs, the declared dimensions).
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { forgedPng, generateCase, type SeedImage } from './generate-cases';

const seeds: SeedImage[] = [
  { name: 'x.png', type: 'image/png', bytes: forgedPng(8, 8, 8) },
  { name: 'y.png', type: 'image/png', bytes: forgedPng(4, 4, 4, 2) },
];

function fingerprint(c: ReturnType<typeof generateCase>): string {
  const r = c.request;
  return JSON.stringify([
    c.category,
    c.description,
    r.transport === 'http' ? [r.method, r.path, r.headers] : r.bytes.toString('base64'),
  ]);
}

describe('fuzz case generator', () => {
  it('returns the same case for the same seed and id, and different cases otherwise', () => {
    const a = Array.from({ length: 200 }, (_, i) => fingerprint(generateCase(7, i, seeds)));
    const b = Array.from({ length: 200 }, (_, i) => fingerprint(generateCase(7, i, seeds)));
    const other = Array.from({ length: 200 }, (_, i) => fingerprint(generateCase(8, i, seeds)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
    expect(new Set(a).size).toBeGreaterThan(150);
  });

  it('covers every category in a few hundred cases', () => {
    const categories = new Set(Array.from({ length: 300 }, (_, i) => generateCase(1, i, seeds).category));
    expect([...categories].sort()).toEqual([
      'api-surface',
      'forged-file',
      'image-mutation',
      'malformed-json',
      'malformed-multipart',
      'option-abuse',
      'protocol',
    ]);
  });

  it('forges PNGs that decoders read with the dimensions they declare', async () => {
    expect(await sharp(forgedPng(8, 3, 3)).metadata()).toMatchObject({ width: 8, height: 3, format: 'png' });
    // A bomb's header is readable (so it is refused from the header alone, without decoding).
    expect(await sharp(forgedPng(30_000, 30_000, 1), { limitInputPixels: false }).metadata()).toMatchObject({
      width: 30_000,
      height: 30_000,
    });
  });
});
