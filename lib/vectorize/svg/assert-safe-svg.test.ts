import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from './assert-safe-svg';

const ok =
  '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2" viewBox="0 0 2 2"><path d="m0 0h2v2z"/></svg>';

describe('assertSafeSvg', () => {
  it('accepts a plain path-only SVG', () => {
    expect(assertSafeSvg(ok)).toBe(ok);
  });

  it.each([
    ['<script>', ok.replace('<path', '<script>alert(1)</script><path')],
    ['event handler', ok.replace('<path', '<path onload="x()"')],
    ['href', ok.replace('<path', '<a href="https://example.com"><path').replace('</svg>', '</a></svg>')],
    ['raster', ok.replace('<path', '<image href="data:image/png;base64,AAAA"/><path')],
    ['external url()', ok.replace('<path', '<path fill="url(https://x/y#g)"')],
    ['foreignObject', ok.replace('<path', '<foreignObject></foreignObject><path')],
    ['entity', '<!DOCTYPE svg [<!ENTITY x "y">]>' + ok],
    ['missing xmlns', ok.replace(' xmlns="http://www.w3.org/2000/svg"', '')],
  ])('rejects %s', (_name, svg) => {
    expect(() => assertSafeSvg(svg)).toThrow(/Unsafe SVG/);
  });
});
