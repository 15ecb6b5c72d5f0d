/** Serialises traced outlines into compact SVG path data: relative commands, coordinates rounded to a precision. */
import type { Outline, Point } from '../potrace/trace-mask';

/**
 * Coordinates are snapped to integer units of 10^-precision before taking differences, so relative
 * commands never accumulate rounding drift and the output is byte-identical for identical input.
 */
export function outlinesToPathData(outlines: Outline[], precision: number): string {
  const scale = 10 ** precision;
  const w = new PathWriter(precision);
  let cx = 0;
  let cy = 0;
  const q = (p: Point): [number, number] => [Math.round(p.x * scale), Math.round(p.y * scale)];

  for (const outline of outlines) {
    const [sx, sy] = q(outline.start);
    w.command('m', [sx - cx, sy - cy]);
    cx = sx;
    cy = sy;
    const segs = outline.segments;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const last = i === segs.length - 1;
      if (seg.kind === 'C') {
        const [x1, y1] = q(seg.c1);
        const [x2, y2] = q(seg.c2);
        const [x, y] = q(seg.end);
        if (x === cx && y === cy && x1 === cx && y1 === cy && x2 === cx && y2 === cy) continue;
        if (isStraight(cx, cy, x1, y1, x2, y2, x, y)) lineTo(x, y, last);
        else w.command('c', [x1 - cx, y1 - cy, x2 - cx, y2 - cy, x - cx, y - cy]);
        cx = x;
        cy = y;
      } else {
        const [vx, vy] = q(seg.vertex);
        const [x, y] = q(seg.end);
        lineTo(vx, vy, false);
        lineTo(x, y, last);
      }
    }
    w.command('z', []);
    cx = sx;
    cy = sy;
  }
  return w.toString();

  // The closing line of an outline is implied by 'z'.
  function lineTo(x: number, y: number, closing: boolean) {
    if (x === cx && y === cy) return;
    if (!closing) {
      if (y === cy) w.command('h', [x - cx]);
      else if (x === cx) w.command('v', [y - cy]);
      else w.command('l', [x - cx, y - cy]);
    }
    cx = x;
    cy = y;
  }
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
  const onChord = (px: number, py: number) => {
    const ax = px - x0;
    const ay = py - y0;
    const dot = ax * dx + ay * dy;
    return ax * dy - ay * dx === 0 && dot >= 0 && dot <= len2;
  };
  return onChord(x1, y1) && onChord(x2, y2);
}

class PathWriter {
  private out: string[] = [];
  private lastCommand = '';
  private lastToken = '';
  constructor(private readonly precision: number) {}

  command(cmd: string, values: number[]) {
    // A repeated command letter may be omitted (implicit repetition); 'm' would turn into 'l', so never for 'm'.
    if (cmd !== this.lastCommand || cmd === 'm' || cmd === 'z') {
      this.out.push(cmd);
      this.lastToken = cmd;
    }
    this.lastCommand = cmd;
    for (const v of values) {
      const t = this.format(v);
      const prevIsNumber = /[\d.]$/.test(this.lastToken);
      const needsSep = prevIsNumber && !(t[0] === '-' || (t[0] === '.' && this.lastToken.includes('.')));
      this.out.push(needsSep ? ' ' + t : t);
      this.lastToken = t;
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
