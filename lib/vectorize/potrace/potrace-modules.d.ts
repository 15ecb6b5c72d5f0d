/** Type declarations for the internals of the npm `potrace` package (GPL-2.0) that trace-mask.ts drives. */
declare module 'potrace/lib/Potrace.js' {
  type PotracePoint = { x: number; y: number };
  type PotraceCurve = { n: number; tag: ('CURVE' | 'CORNER')[]; c: PotracePoint[] };
  type PotracePath = { area: number; sign: '+' | '-'; curve: PotraceCurve };
  class Potrace {
    constructor(options?: Record<string, unknown>);
    _luminanceData: unknown;
    _pathlist: PotracePath[];
    _bmToPathlist(): void;
    _processPath(): void;
  }
  export = Potrace;
}

declare module 'potrace/lib/types/Bitmap.js' {
  class Bitmap {
    constructor(width: number, height: number);
    width: number;
    height: number;
    size: number;
    data: Uint8Array;
  }
  export = Bitmap;
}
