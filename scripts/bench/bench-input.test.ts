import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadImageFolder } from './bench-input';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadImageFolder', () => {
  it('labels images by category folders, detects transparency and skips undecodable files', async () => {
    mkdirSync(path.join(dir, 'logos', 'text'), { recursive: true });
    mkdirSync(path.join(dir, 'misc'), { recursive: true });
    const opaque = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    const clear = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    writeFileSync(path.join(dir, 'logos', 'text', 'mark.png'), opaque);
    writeFileSync(path.join(dir, 'misc', 'glass.png'), clear);
    writeFileSync(path.join(dir, 'misc', 'broken.png'), 'not an image');
    writeFileSync(path.join(dir, 'misc', 'notes.txt'), 'ignored');

    const { inputs, skipped } = await loadImageFolder(dir);
    expect(inputs.map((i) => [i.id, i.set, i.category, i.background])).toEqual([
      [path.join('logos', 'text', 'mark.png'), 'logos', 'text', 'white'],
      [path.join('misc', 'glass.png'), 'misc', 'uncategorized', 'transparent'],
    ]);
    expect([inputs[0].rgba.width, inputs[0].rgba.height, inputs[0].rgba.data.length]).toEqual([20, 10, 800]);
    expect(Array.from(inputs[0].rgba.data.subarray(0, 4))).toEqual([0xcc, 0, 0, 255]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/^misc[/\\]broken\.png: /);
  });
});
