import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from './assert-safe-svg';

const ok =
  '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2" viewBox="0 0 2 2"><path d="m0 0h2v2z"/></svg>';

describe('assertSafeSvg', () => {
  it('accepts a plain path-only SVG', () => {
    expect(assertSafeSvg(ok)).toBe(ok);
  });

  it('accepts gradient fills that reference a gradient of the document', () => {
    const svg = ok.replace(
      '<path d',
      '<defs><linearGradient id="g0" gradientUnits="userSpaceOnUse" x1="0" y1="0" x2="2" y2="0"><stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#00f"/></linearGradient></defs><path fill="url(#g0)" fill-opacity=".5" d',
    );
    expect(assertSafeSvg(svg)).toBe(svg);
  });

  it.each([
    ['dangling url(#id)', ok.replace('<path', '<path fill="url(#nowhere)"')],
    ['malformed url(#id)', ok.replace('<path', '<path id="a&quot;" fill="url(#a&quot;)"')],
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
