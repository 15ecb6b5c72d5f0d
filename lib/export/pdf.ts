/**
 * A drawing as a one-page vector PDF at the image's size (1 px = 1 pt, as Illustrator and Figma place SVGs),
 * written with PDFKit: filled paths with their fill rule, opacity and linear / radial gradients.
 */
import PDFDocument from 'pdfkit';
import type { Drawing, Shape, Subpath } from './svg-drawing';
import { toHex } from '@/lib/palette/css-color';

export function drawingToPdf(drawing: Drawing): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [drawing.width, drawing.height],
    margin: 0,
    compress: true,
    // no text is ever drawn: without a default font PDFKit reads no font files
    font: null as unknown as string,
    info: {
      ...(drawing.title ? { Title: drawing.title } : {}),
      Creator: 'AI SVG Converter',
      Producer: 'AI SVG Converter (PDFKit)',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { viewBox: vb } = drawing;
  const sx = drawing.width / vb.width;
  const sy = drawing.height / vb.height;
  // PDFKit's user space already has its origin at the top left with y downwards, like SVG
  doc.transform(sx, 0, 0, sy, -vb.x * sx, -vb.y * sy);
  for (const shape of drawing.shapes) drawShape(doc, shape);
  doc.end();
  return done;
}

function tracePath(doc: PDFKit.PDFDocument, subpaths: Subpath[]): void {
  for (const sp of subpaths) {
    doc.moveTo(sp.start[0], sp.start[1]);
    for (const s of sp.segments) {
      if (s[0] === 'L') doc.lineTo(s[1], s[2]);
      else doc.bezierCurveTo(s[1], s[2], s[3], s[4], s[5], s[6]);
    }
    // SVG fills open subpaths as if closed
    doc.closePath();
  }
}

function drawShape(doc: PDFKit.PDFDocument, shape: Shape): void {
  const rule = shape.fillRule === 'evenodd' ? 'even-odd' : 'non-zero';
  const { paint } = shape;
  doc.save();
  tracePath(doc, shape.subpaths);
  if (paint.type === 'solid') {
    doc.fillColor(toHex(paint.color), shape.opacity).fill(rule);
  } else {
    const gradient =
      paint.type === 'linear'
        ? doc.linearGradient(paint.x1, paint.y1, paint.x2, paint.y2)
        : doc.radialGradient(paint.fx, paint.fy, 0, paint.cx, paint.cy, paint.r);
    for (const stop of paint.stops)
      gradient.stop(stop.offset, toHex(stop.color), stop.opacity * shape.opacity);
    doc.fill(gradient as unknown as PDFKit.Mixins.ColorValue, rule);
  }
  doc.restore();
}
