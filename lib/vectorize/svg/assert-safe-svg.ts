/** Verifies that an SVG string is self-contained, script-free and raster-free before it leaves the engine. */

const FORBIDDEN: [RegExp, string][] = [
  [/<script[\s>/]/i, '<script> element'],
  [/<foreignObject[\s>/]/i, '<foreignObject> element'],
  [/<image[\s>/]/i, 'embedded or linked raster (<image>)'],
  [/<(iframe|embed|object|audio|video|canvas|use|a|style|animate|set)[\s>/]/i, 'disallowed element'],
  [/\son[a-z]+\s*=/i, 'event handler attribute'],
  [/(?:xlink:)?href\s*=/i, 'link/reference attribute'],
  [/url\(\s*['"]?(?!#)/i, 'external url() reference'],
  [/data:/i, 'data: URI'],
  [/javascript:/i, 'javascript: URI'],
  [/<!DOCTYPE|<!ENTITY/i, 'DOCTYPE/ENTITY declaration'],
  [/<\?xml-stylesheet/i, 'external stylesheet'],
];

/** Throws an Error naming the first problem; returns the SVG unchanged when it is safe. */
export function assertSafeSvg(svg: string): string {
  const trimmed = svg.trimStart();
  if (!trimmed.startsWith('<svg')) throw new Error('Unsafe SVG: document must start with <svg');
  if (!/^<svg[^>]*\sxmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(trimmed))
    throw new Error('Unsafe SVG: missing SVG xmlns');
  for (const [pattern, what] of FORBIDDEN) {
    if (pattern.test(svg)) throw new Error(`Unsafe SVG: contains ${what}`);
  }
  return svg;
}
