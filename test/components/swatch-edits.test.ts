// Swatch edits are kept as a list so they apply again to the next result of the same image, whose colours may
// have moved a little; and pasted images get readable names.
import { describe, expect, it } from 'vitest';
import { namePasted } from '@/components/converter/collect-files';
import { applySwatchEdits } from '@/components/converter/swatch-edits';
import { listSwatches } from '@/lib/palette/svg-colors';

const svg = (colors: string[]) =>
  '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">' +
  colors.map((c, i) => `<path fill="${c}" d="M0 ${i}h8v1H0z"/>`).join('') +
  '</svg>';

describe('applySwatchEdits', () => {
  it('applies recolours, merges and drops in order', () => {
    const out = applySwatchEdits(svg(['#ffffff', '#d62828', '#1d3557']), [
      { op: 'recolor', from: '#d62828', to: '#00aa55' },
      { op: 'recolor', from: '#1d3557', to: '#00aa55' },
      { op: 'drop', color: '#ffffff' },
    ]);
    expect(listSwatches(out)).toEqual([{ color: '#00aa55', shapes: 2, stops: 0 }]);
  });

  it('finds a colour that moved a little in the next result, and leaves far ones alone', () => {
    const next = svg(['#fdfdfd', '#d12b2b', '#00ff00']);
    const out = applySwatchEdits(next, [
      { op: 'recolor', from: '#d62828', to: '#123456' },
      { op: 'drop', color: '#ffffff' },
      { op: 'recolor', from: '#0000ff', to: '#ffff00' },
    ]);
    expect(listSwatches(out).map((s) => s.color)).toEqual(['#123456', '#00ff00']);
  });
});

describe('namePasted', () => {
  it('names unnamed clipboard images "Pasted image N", keeps real names', () => {
    const named = namePasted([
      new File([new Uint8Array([1])], 'image.png', { type: 'image/png' }),
      new File([new Uint8Array([1])], 'logo.png', { type: 'image/png' }),
      new File([new Uint8Array([1])], '', { type: 'image/jpeg' }),
    ]).map((f) => f.name);
    expect(named[0]).toMatch(/^Pasted image \d+\.png$/);
    expect(named[1]).toBe('logo.png');
    expect(named[2]).toMatch(/^Pasted image \d+\.jpg$/);
    expect(named[0]).not.toBe(named[2]);
  });
});
