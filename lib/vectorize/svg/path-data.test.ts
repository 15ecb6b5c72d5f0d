import { describe, expect, it } from 'vitest';
import { outlinesToPathData } from './path-data';
import type { Outline } from '../potrace/trace-mask';

const square: Outline = {
  start: { x: 0, y: 5 },
  segments: [
    { kind: 'L', vertex: { x: 0, y: 10 }, end: { x: 5, y: 10 } },
    { kind: 'L', vertex: { x: 10, y: 10 }, end: { x: 10, y: 5 } },
    { kind: 'L', vertex: { x: 10, y: 0 }, end: { x: 5, y: 0 } },
    { kind: 'L', vertex: { x: 0, y: 0 }, end: { x: 0, y: 5 } },
  ],
};

describe('outlinesToPathData', () => {
  it('starts at a corner, merges collinear runs, uses h/v, and leaves the closing line to z', () => {
    expect(outlinesToPathData([square], 1)).toBe('m0 10h10v-10h-10z');
  });

  it('rounds to the precision without drift and drops redundant zeros', () => {
    const curve: Outline = {
      start: { x: 1.04, y: 2.26 },
      segments: [
        { kind: 'C', c1: { x: 3.333, y: 2.26 }, c2: { x: 4.449, y: 5.55 }, end: { x: 1.04, y: 2.26 } },
      ],
    };
    expect(outlinesToPathData([curve], 1)).toBe('m1 2.3c2.3 0 3.4 3.3 0 0z');
    expect(outlinesToPathData([curve], 0)).toBe('m1 2c2 0 3 4 0 0z');
    expect(outlinesToPathData([curve], 2)).toBe('m1.04 2.26c2.29 0 3.41 3.29 0 0z');
  });

  it('starts each further outline relative to the previous outline start', () => {
    const moved: Outline = { ...square, start: { x: 20, y: 25 }, segments: [] };
    expect(outlinesToPathData([square, moved], 0)).toBe('m0 10h10v-10h-10zm20 15z');
  });

  it('uses minimal separators for negative and fractional numbers', () => {
    const o: Outline = {
      start: { x: 0.5, y: 0.5 },
      segments: [{ kind: 'C', c1: { x: 0, y: 0 }, c2: { x: 1, y: 1.5 }, end: { x: 0.5, y: 0.5 } }],
    };
    expect(outlinesToPathData([o], 1)).toBe('m.5.5c-.5-.5.5 1 0 0z');
  });
});
