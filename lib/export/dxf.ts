/**
 * A drawing as DXF for cutters, plotters and CAD: every outline a closed LWPOLYLINE (curves flattened within
 * 0.05 px) or a closed cubic SPLINE (the Béziers exactly), on one layer per colour ("layer-1-d62828", with the
 * colour as the layer's true colour), y pointing up, 1 unit = 1 px. Holes are outlines of their own, so the
 * layer cuts like the fill. Gradients count as their stops' mean colour; cutters want layering=cutout (stacked
 * layers overlap).
 */
import { DxfWriter, LWPolylineFlags, SplineFlags, Units, point2d, point3d } from '@tarikjabiri/dxf';
import type { Rgb } from '@/lib/palette/css-color';
import { representativeColor, type Drawing, type Point, type Subpath } from './svg-drawing';

export type DxfCurves = 'polyline' | 'spline';

/** Largest distance between a flattened curve and the true one, in px. */
const FLATNESS = 0.05;

// The AutoCAD Color Index entries most readers show alike; the true colour (group 420) carries the exact one.
const ACI: [number, Rgb][] = [
  [1, [255, 0, 0]],
  [2, [255, 255, 0]],
  [3, [0, 255, 0]],
  [4, [0, 255, 255]],
  [5, [0, 0, 255]],
  [6, [255, 0, 255]],
  [7, [255, 255, 255]],
  [8, [128, 128, 128]],
  [9, [192, 192, 192]],
  [250, [51, 51, 51]],
  [18, [76, 38, 38]],
];

function nearestAci(c: Rgb): number {
  let best = 7;
  let bestD = Infinity;
  for (const [index, rgb] of ACI) {
    const d = (rgb[0] - c[0]) ** 2 + (rgb[1] - c[1]) ** 2 + (rgb[2] - c[2]) ** 2;
    if (d < bestD) [best, bestD] = [index, d];
  }
  return best;
}

/** Appends the points of a cubic from p0 (excluded) to p3 (included), subdivided until flat. */
function flattenCubic(out: Point[], p0: Point, p1: Point, p2: Point, p3: Point, depth = 0): void {
  // flat when both control points are within FLATNESS of the chord
  const dx = p3[0] - p0[0];
  const dy = p3[1] - p0[1];
  const len = Math.hypot(dx, dy) || 1;
  const d1 = Math.abs((p1[0] - p0[0]) * dy - (p1[1] - p0[1]) * dx) / len;
  const d2 = Math.abs((p2[0] - p0[0]) * dy - (p2[1] - p0[1]) * dx) / len;
  if (depth >= 16 || Math.max(d1, d2) <= FLATNESS) {
    out.push(p3);
    return;
  }
  const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const p01 = mid(p0, p1);
  const p12 = mid(p1, p2);
  const p23 = mid(p2, p3);
  const p012 = mid(p01, p12);
  const p123 = mid(p12, p23);
  const m = mid(p012, p123);
  flattenCubic(out, p0, p01, p012, m, depth + 1);
  flattenCubic(out, m, p123, p23, p3, depth + 1);
}

function polylinePoints(sp: Subpath, map: (p: Point) => Point): Point[] {
  const pts: Point[] = [map(sp.start)];
  let at = sp.start;
  for (const s of sp.segments) {
    if (s[0] === 'L') {
      at = [s[1], s[2]];
      pts.push(map(at));
    } else {
      const curve: Point[] = [];
      // flatten in output units so FLATNESS is in output px
      flattenCubic(curve, map(at), map([s[1], s[2]]), map([s[3], s[4]]), map([s[5], s[6]]));
      pts.push(...curve);
      at = [s[5], s[6]];
    }
  }
  const [first, last] = [pts[0], pts[pts.length - 1]];
  if (pts.length > 1 && Math.hypot(first[0] - last[0], first[1] - last[1]) < 1e-9) pts.pop();
  return pts;
}

/** The subpath as one clamped cubic B-spline: Bézier control points, each joint a triple knot. */
function splineControlPoints(sp: Subpath, map: (p: Point) => Point): Point[] {
  const pts: Point[] = [map(sp.start)];
  let at = sp.start;
  const segments = [...sp.segments];
  // closed: the last segment returns to the start
  if (Math.hypot(at[0] - lastPoint(sp)[0], at[1] - lastPoint(sp)[1]) > 1e-9)
    segments.push(['L', at[0], at[1]]);
  for (const s of segments) {
    if (s[0] === 'L') {
      const end: Point = [s[1], s[2]];
      // a line is the cubic with control points at its thirds
      pts.push(
        map([at[0] + (end[0] - at[0]) / 3, at[1] + (end[1] - at[1]) / 3]),
        map([at[0] + ((end[0] - at[0]) * 2) / 3, at[1] + ((end[1] - at[1]) * 2) / 3]),
        map(end),
      );
      at = end;
    } else {
      pts.push(map([s[1], s[2]]), map([s[3], s[4]]), map([s[5], s[6]]));
      at = [s[5], s[6]];
    }
  }
  return pts;
}

function lastPoint(sp: Subpath): Point {
  const s = sp.segments[sp.segments.length - 1];
  return s[0] === 'L' ? [s[1], s[2]] : [s[5], s[6]];
}

export function drawingToDxf(drawing: Drawing, curves: DxfCurves = 'polyline'): string {
  const dxf = new DxfWriter();
  dxf.setUnits(Units.Unitless);
  const { width, height, viewBox: vb } = drawing;
  const sx = width / vb.width;
  const sy = height / vb.height;
  // DXF's y axis points up: the image's top edge is at y = height
  const map = (p: Point): Point => [(p[0] - vb.x) * sx, height - (p[1] - vb.y) * sy];
  const layers = new Map<string, string>();
  for (const shape of drawing.shapes) {
    const rgb = representativeColor(shape.paint);
    const hex = rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
    let layerName = layers.get(hex);
    if (!layerName) {
      layerName = `layer-${layers.size + 1}-${hex}`;
      layers.set(hex, layerName);
      const layer = dxf.addLayer(layerName, nearestAci(rgb), 'CONTINUOUS');
      layer.trueColor = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
    }
    for (const sp of shape.subpaths) {
      if (curves === 'spline') {
        const controlPoints = splineControlPoints(sp, map).map(([x, y]) => point3d(x, y, 0));
        const joints = (controlPoints.length - 1) / 3;
        const knots = [0, 0, 0, 0];
        for (let j = 1; j < joints; j++) knots.push(j, j, j);
        knots.push(joints, joints, joints, joints);
        dxf.addSpline(
          { controlPoints, degreeCurve: 3, knots, flags: SplineFlags.Closed | SplineFlags.Planar },
          { layerName },
        );
      } else {
        const pts = polylinePoints(sp, map);
        if (pts.length < 2) continue;
        dxf.addLWPolyline(
          pts.map(([x, y]) => ({ point: point2d(x, y) })),
          { flags: LWPolylineFlags.Closed, layerName },
        );
      }
    }
  }
  return dxf.stringify();
}
