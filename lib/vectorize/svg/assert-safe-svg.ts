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
  assertLocalReferences(svg);
  return svg;
}

/** A paint server id: letters, digits, '-', '_', '.', ':' (nothing that could end the attribute or the url()). */
const SAFE_ID = /^[A-Za-z_][\w.:-]*$/;

/**
 * Every url(#id) (gradient fills) names an element of this document with a safe id: a dangling or odd
 * reference is refused instead of being left to each renderer's fallback.
 */
function assertLocalReferences(svg: string): void {
  const refs = [...svg.matchAll(/url\(\s*#([^)\s]*)\s*\)/g)].map((m) => m[1]);
  if (refs.length === 0) return;
  const ids = new Set([...svg.matchAll(/\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => m[1] ?? m[2]));
  for (const ref of refs) {
    if (!SAFE_ID.test(ref)) throw new Error('Unsafe SVG: malformed url(#id) reference');
    if (!ids.has(ref))
      throw new Error(`Unsafe SVG: url(#${ref}) is a missing gradient (no element has that id)`);
  }
}
