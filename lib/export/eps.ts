/**
 * A drawing as Encapsulated PostScript (level 3, for print workflows and older design tools): filled paths with
 * their fill rule, gradients as smooth shadings. PostScript has no transparency, so translucent fills are
 * flattened against white, as Illustrator does when it saves EPS.
 */
import type { Drawing, GradientStop, Shape } from './svg-drawing';
import type { Rgb } from '@/lib/palette/css-color';

const n = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** A colour at `opacity` over white, as PostScript 0..1 components. */
function flatten(color: Rgb, opacity: number): string {
  return color.map((c) => n((c * opacity + 255 * (1 - opacity)) / 255)).join(' ');
}

/** The shading function through every stop (type 2 between two stops, type 3 stitching more). */
function shadingFunction(stops: GradientStop[], opacity: number): string {
  const s = [...stops];
  if (s[0].offset > 0) s.unshift({ ...s[0], offset: 0 });
  if (s[s.length - 1].offset < 1) s.push({ ...s[s.length - 1], offset: 1 });
  const pieces: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    pieces.push(
      `<< /FunctionType 2 /Domain [0 1] /C0 [${flatten(s[i].color, s[i].opacity * opacity)}] /C1 [${flatten(s[i + 1].color, s[i + 1].opacity * opacity)}] /N 1 >>`,
    );
  }
  if (pieces.length === 1) return pieces[0];
  // equal stop offsets make a hard edge; the bounds must still increase
  const bounds = s.slice(1, -1).map((st, i) => Math.min(1, st.offset + (i + 1) * 1e-6));
  return `<< /FunctionType 3 /Domain [0 1] /Functions [${pieces.join(' ')}] /Bounds [${bounds.map(n).join(' ')}] /Encode [${pieces.map(() => '0 1').join(' ')}] >>`;
}

function shapeOps(shape: Shape): string {
  const path: string[] = ['newpath'];
  for (const sp of shape.subpaths) {
    path.push(`${n(sp.start[0])} ${n(sp.start[1])} m`);
    for (const seg of sp.segments) {
      if (seg[0] === 'L') path.push(`${n(seg[1])} ${n(seg[2])} l`);
      else
        path.push(
          `${seg
            .slice(1)
            .map((v) => n(v as number))
            .join(' ')} c`,
        );
    }
    path.push('h');
  }
  const even = shape.fillRule === 'evenodd';
  const { paint } = shape;
  if (paint.type === 'solid') {
    return `${path.join(' ')}\n${flatten(paint.color, shape.opacity)} setrgbcolor ${even ? 'eofill' : 'fill'}`;
  }
  const coords =
    paint.type === 'linear'
      ? `/ShadingType 2 /Coords [${[paint.x1, paint.y1, paint.x2, paint.y2].map(n).join(' ')}]`
      : `/ShadingType 3 /Coords [${[paint.fx, paint.fy, 0, paint.cx, paint.cy, paint.r].map(n).join(' ')}]`;
  return (
    `gsave ${path.join(' ')} ${even ? 'eoclip' : 'clip'}\n` +
    `<< ${coords} /ColorSpace /DeviceRGB /Extend [true true] /Function ${shadingFunction(paint.stops, shape.opacity)} >> shfill grestore`
  );
}

/** PostScript strings escape backslashes and parentheses; DSC comments stay on one line. */
function psText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\()]/g, (c) => `\\${c}`);
}

export function drawingToEps(drawing: Drawing): string {
  const { width, height, viewBox: vb } = drawing;
  const sx = width / vb.width;
  const sy = height / vb.height;
  return [
    '%!PS-Adobe-3.0 EPSF-3.0',
    '%%Creator: AI SVG Converter',
    ...(drawing.title ? [`%%Title: (${psText(drawing.title)})`] : []),
    `%%BoundingBox: 0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    `%%HiResBoundingBox: 0 0 ${n(width)} ${n(height)}`,
    '%%LanguageLevel: 3',
    '%%Pages: 1',
    '%%EndComments',
    '%%BeginProlog',
    '/m {moveto} bind def /l {lineto} bind def /c {curveto} bind def /h {closepath} bind def',
    '%%EndProlog',
    '%%Page: 1 1',
    'save',
    // SVG's y axis points down: flip, then map the viewBox onto the page
    `0 ${n(height)} translate 1 -1 scale ${n(sx)} ${n(sy)} scale ${n(-vb.x)} ${n(-vb.y)} translate`,
    ...drawing.shapes.map(shapeOps),
    'restore',
    'showpage',
    '%%EOF',
    '',
  ].join('\n');
}
