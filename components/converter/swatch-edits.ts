/**
 * A result's swatch edits (recolour, merge, drop) as a list, applied to an SVG in order. Kept as a list rather
 * than as the edited SVG so they apply again to the next result of the same image, where its colours moved a
 * little (another detail setting, another tier): each edit finds the nearest colour still within reach.
 */
import { distance2, parseHex } from '@/lib/palette/css-color';
import { dropSvgColor, listSwatches, recolorSvg } from '@/lib/palette/svg-colors';

export type SwatchEdit = { op: 'recolor'; from: string; to: string } | { op: 'drop'; color: string };

/** How far (RGB) a colour may have moved between two results and still be the one an edit meant. */
const REACH = 40;

function nearestSwatch(svg: string, color: string): string | null {
  const target = parseHex(color);
  let best: string | null = null;
  let bestD = REACH * REACH + 1;
  for (const s of listSwatches(svg)) {
    const d = distance2(parseHex(s.color), target);
    if (d < bestD) [best, bestD] = [s.color, d];
  }
  return best;
}

export function applySwatchEdits(svg: string, edits: SwatchEdit[]): string {
  let out = svg;
  for (const edit of edits) {
    const at = nearestSwatch(out, edit.op === 'recolor' ? edit.from : edit.color);
    if (!at) continue;
    out = edit.op === 'recolor' ? recolorSvg(out, { [at]: edit.to }) : dropSvgColor(out, at);
  }
  return out;
}
