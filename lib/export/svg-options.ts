/**
 * SVG output options, applied to a finished SVG: minified (as the engine writes it) or pretty (one element a line,
 * indented), an optional <title>, and each colour layer in a <g id="layer-N"> (bottom to top) so that Figma,
 * Illustrator and Inkscape show named layers. None of them changes a rendered pixel.
 */
import { assertSafeSvg } from '@/lib/vectorize/svg/assert-safe-svg';
// type only: the browser loads this module, and zod's schemas probe eval, which the pages' CSP reports
import type { SvgOptions } from './svg-options-schema';

export type { SvgOptions } from './svg-options-schema';

const TOKEN = /<!--[\s\S]*?-->|<[^>]*>|[^<]+/g;
const SHAPE = /^<(path|rect|circle|ellipse|polygon|polyline)[\s/>]/;

/** `svg` with the options applied; the defaults return it unchanged, byte for byte. */
export function applySvgOptions(svg: string, options: Partial<SvgOptions>): string {
  const { svg: style = 'minified', title, layers = false } = options;
  if (style === 'minified' && title === undefined && !layers) return svg;
  let tokens: string[] = svg.match(TOKEN) ?? [];
  // whitespace between elements means nothing in our documents; a pretty input is re-indented from scratch
  tokens = tokens.filter((t) => t.startsWith('<') || t.trim() !== '');
  const rootOpen = tokens.findIndex((t) => /^<svg[\s>]/.test(t));
  if (rootOpen < 0) return svg;
  if (title !== undefined) tokens = withTitle(tokens, rootOpen, title);
  if (layers) tokens = withLayerGroups(tokens, rootOpen);
  const out = style === 'pretty' ? pretty(tokens) : tokens.join('');
  return assertSafeSvg(out);
}

/** The <title> a download gets unless its user writes another: the file name without folders or extension. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '');
}

/** The title as text that no safety pattern can mistake for markup, a URI or a handler. */
export function escapeTitle(title: string): string {
  const clean = title.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  return clean.replace(/[&<>"':=(]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function withTitle(tokens: string[], rootOpen: number, title: string): string[] {
  const out = [...tokens];
  // an existing title right under the root is replaced
  if (out[rootOpen + 1] === '<title>') {
    const close = out.indexOf('</title>', rootOpen + 1);
    if (close > 0) out.splice(rootOpen + 1, close - rootOpen);
  }
  out.splice(rootOpen + 1, 0, '<title>', escapeTitle(title), '</title>');
  return out;
}

function fillOf(tag: string): string | null {
  return /\sfill\s*=\s*"([^"]*)"/.exec(tag)?.[1]?.toLowerCase() ?? null;
}

/**
 * The root's shape children grouped by runs of the same fill, in paint order: a colour painted twice with
 * another between them makes two groups, so nothing is reordered.
 */
function withLayerGroups(tokens: string[], rootOpen: number): string[] {
  const out = tokens.slice(0, rootOpen + 1);
  let depth = 0;
  let runFill: string | null | undefined;
  let layer = 0;
  const closeRun = () => {
    if (runFill !== undefined) out.push('</g>');
    runFill = undefined;
  };
  for (let i = rootOpen + 1; i < tokens.length; i++) {
    const t = tokens[i];
    const selfClosing = t.endsWith('/>');
    if (depth === 0 && SHAPE.test(t) && selfClosing) {
      const fill = fillOf(t);
      if (fill !== runFill || runFill === undefined) {
        closeRun();
        runFill = fill;
        out.push(`<g id="layer-${++layer}">`);
      }
      out.push(t);
      continue;
    }
    if (depth === 0) closeRun();
    if (t.startsWith('</')) depth--;
    else if (t.startsWith('<') && !selfClosing && !t.startsWith('<!')) depth++;
    out.push(t);
  }
  return out;
}

/** One element a line, two spaces a level; an element holding only text keeps it on its line. */
function pretty(tokens: string[]): string {
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.startsWith('<')) {
      lines.push('  '.repeat(depth) + t.trim());
      continue;
    }
    if (t.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push('  '.repeat(depth) + t);
      continue;
    }
    const opens = !t.endsWith('/>') && !t.startsWith('<!') && !t.startsWith('<?');
    if (opens && tokens[i + 2]?.startsWith('</') && !tokens[i + 1].startsWith('<')) {
      lines.push('  '.repeat(depth) + t + tokens[i + 1] + tokens[i + 2]);
      i += 2;
      continue;
    }
    lines.push('  '.repeat(depth) + t);
    if (opens) depth++;
  }
  return lines.join('\n') + '\n';
}
