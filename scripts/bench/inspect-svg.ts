/** Static checks of a tool's SVG output: size, drawing elements, unsafe content and embedded rasters. */

type SvgInspection = {
  bytes: number;
  /** Drawing elements (path, polygon, rect, circle, ellipse, polyline, line). */
  paths: number;
  /** Why the SVG is unsafe to serve, if it is: scripts, event handlers, external references. */
  unsafe: string[];
  /** Embedded raster images (<image> or data:image URIs): a "vector" that is really a bitmap. */
  rasters: number;
};

export function inspectSvg(svg: string): SvgInspection {
  const unsafe: string[] = [];
  if (/<script[\s>]/i.test(svg)) unsafe.push('script element');
  if (/<[^>]*\son[a-z]+\s*=/i.test(svg)) unsafe.push('event handler attribute');
  if (/<foreignObject[\s>]/i.test(svg)) unsafe.push('foreignObject');
  if (/(?:xlink:)?href\s*=\s*["']\s*(?!#|data:image\/)[^"']+/i.test(svg)) unsafe.push('external href');
  if (/url\(\s*["']?\s*(?:https?:|\/\/|file:)/i.test(svg) || /@import/i.test(svg))
    unsafe.push('external url()');
  if (/javascript:/i.test(svg)) unsafe.push('javascript: URI');
  const rasters =
    (svg.match(/<image[\s>]/gi)?.length ?? 0) +
    (/<image[\s>]/i.test(svg) ? 0 : (svg.match(/data:image\//gi)?.length ?? 0));
  return {
    bytes: Buffer.byteLength(svg),
    paths: svg.match(/<(path|polygon|rect|circle|ellipse|polyline|line)[\s/>]/gi)?.length ?? 0,
    unsafe,
    rasters,
  };
}
