import { describe, expect, it } from 'vitest';
import { createEmptyTool, createTools, DEFAULT_TOOLS, resolveToolNames, TOOL_FACTORIES } from './tools';
import { renderSvg } from '@/lib/quality';

describe('bench tool registry', () => {
  it('defaults to the engine, the peers and the floor, and expands all / default', () => {
    expect(resolveToolNames(undefined)).toEqual(DEFAULT_TOOLS);
    expect(resolveToolNames(['all'])).toEqual(Object.keys(TOOL_FACTORIES));
    expect(resolveToolNames(['empty', 'ours'])).toEqual(['ours', 'empty']);
  });

  it('refuses unknown tools with the list of known ones', async () => {
    await expect(createTools(['nope'])).rejects.toThrow(/unknown tool\(s\): nope; known: ours/);
  });

  it('the empty floor renders as nothing at the image size', async () => {
    const rgba = { data: new Uint8Array(16 * 12 * 4), width: 16, height: 12 };
    const svg = (await createEmptyTool().convert(Buffer.alloc(0), rgba)) as string;
    const out = renderSvg(svg, 16, 12);
    expect(out.data.every((v) => v === 0)).toBe(true);
  });

  it('vtracer and imagetracerjs each turn a PNG into an SVG of the same size', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 32, height: 32, channels: 4, background: '#1d3fbb' } })
      .png()
      .toBuffer();
    const rgba = { data: new Uint8Array(32 * 32 * 4), width: 32, height: 32 };
    for (const tool of await createTools(['vtracer', 'imagetracerjs'])) {
      const out = await tool.convert(png, rgba);
      const svg = typeof out === 'string' ? out : out.svg;
      expect(svg).toMatch(/<svg[^>]*width="32"/);
      const rendered = renderSvg(svg, 32, 32);
      const centre = (16 * 32 + 16) * 4;
      expect(Array.from(rendered.data.subarray(centre, centre + 4))).toEqual([0x1d, 0x3f, 0xbb, 255]);
    }
  });
});
