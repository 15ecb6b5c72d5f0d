import { describe, expect, it } from 'vitest';
import { inspectSvg } from './inspect-svg';

const wrap = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`;

describe('inspectSvg', () => {
  it('counts bytes and drawing elements of a clean SVG', () => {
    const svg = wrap(
      '<path d="M0 0h5v5z"/><rect width="1" height="1"/><circle r="1"/><defs><linearGradient id="g"/></defs>',
    );
    const r = inspectSvg(svg);
    expect(r).toEqual({ bytes: Buffer.byteLength(svg), paths: 3, unsafe: [], rasters: 0 });
  });

  it('flags scripts, event handlers, external references and foreign content', () => {
    expect(inspectSvg(wrap('<script>alert(1)</script>')).unsafe).toContain('script element');
    expect(inspectSvg(wrap('<rect onload="x()" width="1" height="1"/>')).unsafe).toContain(
      'event handler attribute',
    );
    expect(inspectSvg(wrap('<use href="https://evil.example/a.svg#x"/>')).unsafe).toContain('external href');
    expect(inspectSvg(wrap('<rect fill="url(https://evil.example/p.svg#g)"/>')).unsafe).toContain(
      'external url()',
    );
    expect(inspectSvg(wrap('<foreignObject><div/></foreignObject>')).unsafe).toContain('foreignObject');
    // Local references are fine.
    expect(inspectSvg(wrap('<use href="#a"/><rect fill="url(#g)"/>')).unsafe).toEqual([]);
  });

  it('counts embedded rasters once per image element', () => {
    expect(inspectSvg(wrap('<image href="data:image/png;base64,AAAA"/>')).rasters).toBe(1);
    expect(
      inspectSvg(wrap('<image href="data:image/png;base64,AA"/><image href="data:image/jpeg;base64,BB"/>'))
        .rasters,
    ).toBe(2);
    expect(inspectSvg(wrap('<path d="M0 0"/>')).rasters).toBe(0);
  });
});
