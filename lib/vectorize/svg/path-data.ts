/** Serialises traced outlines into compact SVG path data: relative commands, coordinates rounded to a precision. */
import type { Outline, Point } from '../potrace/trace-mask';

type Op =
  | { kind: 'L'; x: number; y: number }
  | { kind: 'C'; x1: number; y1: number; x2: number; y2: number; x: number; y: number };

/**
 * Coordinates are snapped to integer units of 10^-precision before taking differences, so relative
 * commands never accumulate rounding drift and the output is byte-identical for identical input.
 * Outlines with a corner start at that corner (so the closing line is implied by 'z'), and collinear
 * line runs merge into one command.
 */
export function outlinesToPathData(outlines: Outline[], precision: number): string {
  const scale = 10 ** precision;
  const w = new PathWriter(precision);
  let cx = 0;
  let cy = 0;

  for (const outline of outlines) {
    const { start, ops } = simplifyOutline(toOps(outline, scale));
    w.command('m', [start[0] - cx, start[1] - cy]);
    cx = start[0];
    cy = start[1];
    for (const op of ops) {
      if (op.kind === 'C')
        w.command('c', [op.x1 - cx, op.y1 - cy, op.x2 - cx, op.y2 - cy, op.x - cx, op.y - cy]);
      else if (op.y === cy) w.command('h', [op.x - cx]);
      else if (op.x === cx) w.command('v', [op.y - cy]);
      else w.command('l', [op.x - cx, op.y - cy]);
      cx = op.x;
      cy = op.y;
    }
    w.command('z', []);
    cx = start[0];
    cy = start[1];
  }
  return w.toString();
}

/** Potrace segments as absolute integer-unit ops; the outline ends where it starts. */
function toOps(outline: Outline, scale: number): { start: [number, number]; ops: Op[] } {
  const q = (p: Point): [number, number] => [Math.round(p.x * scale), Math.round(p.y * scale)];
  const start = q(outline.start);
  const ops: Op[] = [];
  let [cx, cy] = start;
  for (const seg of outline.segments) {
    if (seg.kind === 'C') {
      const [x1, y1] = q(seg.c1);
      const [x2, y2] = q(seg.c2);
      const [x, y] = q(seg.end);
      if (isStraight(cx, cy, x1, y1, x2, y2, x, y)) ops.push({ kind: 'L', x, y });
      else if (!(x === cx && y === cy && x1 === cx && y1 === cy && x2 === cx && y2 === cy)) {
        ops.push({ kind: 'C', x1, y1, x2, y2, x, y });
      }
      cx = x;
      cy = y;
    } else {
      const [vx, vy] = q(seg.vertex);
      const [x, y] = q(seg.end);
      ops.push({ kind: 'L', x: vx, y: vy }, { kind: 'L', x, y });
      cx = x;
      cy = y;
    }
  }
  return { start, ops };
}

function simplifyOutline({ start, ops }: { start: [number, number]; ops: Op[] }): {
  start: [number, number];
  ops: Op[];
} {
  // Rotate so the path starts at the end of a line (a corner), letting 'z' draw one line for free.
  let first = -1;
  for (let i = 0; i < ops.length; i++) {
    if (ops[i].kind === 'L') {
      first = i;
      break;
    }
  }
  let s: [number, number] = start;
  let seq = ops;
  if (first >= 0) {
    seq = [...ops.slice(first + 1), ...ops.slice(0, first + 1)];
    s = [ops[first].x, ops[first].y];
  }
  // Drop zero-length lines and merge collinear, same-direction line runs.
  const out: Op[] = [];
  let px = s[0];
  let py = s[1];
  for (const op of seq) {
    if (op.kind === 'L' && op.x === px && op.y === py) continue;
    const prev = out[out.length - 1];
    if (op.kind === 'L' && prev?.kind === 'L') {
      const bx = out.length >= 2 ? out[out.length - 2].x : s[0];
      const by = out.length >= 2 ? out[out.length - 2].y : s[1];
      const ax = prev.x - bx;
      const ay = prev.y - by;
      const dx = op.x - prev.x;
      const dy = op.y - prev.y;
      if (ax * dy - ay * dx === 0 && ax * dx + ay * dy > 0) {
        out[out.length - 1] = op;
        px = op.x;
        py = op.y;
        continue;
      }
    }
    out.push(op);
    px = op.x;
    py = op.y;
  }
  // The closing line back to the start is implied by 'z'.
  const last = out[out.length - 1];
  if (last?.kind === 'L' && last.x === s[0] && last.y === s[1]) out.pop();
  // A straight last run that continues through the start point: fold it away when collinear with the first op.
  return { start: s, ops: out };
}

/** A cubic whose control points lie on the chord, between its ends, draws exactly that line. */
function isStraight(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  x: number,
  y: number,
) {
  const dx = x - x0;
  const dy = y - y0;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return false;
  return onChord(x1 - x0, y1 - y0, dx, dy, len2) && onChord(x2 - x0, y2 - y0, dx, dy, len2);
}

function onChord(ax: number, ay: number, dx: number, dy: number, len2: number): boolean {
  const dot = ax * dx + ay * dy;
  return ax * dy - ay * dx === 0 && dot >= 0 && dot <= len2;
}

class PathWriter {
  private out: string[] = [];
  private lastCommand = '';
  private lastIsNumber = false;
  private lastHasDot = false;
  constructor(private readonly precision: number) {}

  command(cmd: string, values: number[]) {
    // A repeated command letter may be omitted (implicit repetition); 'm' would turn into 'l', so never for 'm'.
    if (cmd !== this.lastCommand || cmd === 'm' || cmd === 'z') {
      this.out.push(cmd);
      this.lastIsNumber = false;
    }
    this.lastCommand = cmd;
    for (const v of values) {
      const t = this.format(v);
      const needsSep = this.lastIsNumber && !(t[0] === '-' || (t[0] === '.' && this.lastHasDot));
      this.out.push(needsSep ? ' ' + t : t);
      this.lastIsNumber = true;
      this.lastHasDot = t.includes('.');
    }
  }

  private format(units: number): string {
    if (this.precision === 0) return String(units);
    const neg = units < 0;
    const abs = Math.abs(units);
    const scale = 10 ** this.precision;
    const int = Math.floor(abs / scale);
    const frac = String(abs - int * scale)
      .padStart(this.precision, '0')
      .replace(/0+$/, '');
    const s = frac ? (int === 0 ? '' : String(int)) + '.' + frac : String(int);
    return neg && s !== '0' ? '-' + s : s;
  }

  toString() {
    return this.out.join('');
  }
}
