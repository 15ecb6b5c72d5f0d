/** Typed errors of the conversion pipeline; each kind maps to one HTTP status and one CLI message. */

export type ConversionErrorKind =
  | 'bad_options' // 400: options fail validation
  | 'too_large' // 413: byte or pixel limit exceeded (pixel bombs are refused before a full decode)
  | 'unsupported_type' // 415: not a raster format we accept (SVG, PDF, text...)
  | 'undecodable' // 422: looks like an image but cannot be decoded (truncated, corrupt, empty)
  | 'overloaded' // 503: the worker queue is full
  | 'internal'; // 500

const STATUS: Record<ConversionErrorKind, number> = {
  bad_options: 400,
  too_large: 413,
  unsupported_type: 415,
  undecodable: 422,
  overloaded: 503,
  internal: 500,
};

export class ConversionError extends Error {
  readonly kind: ConversionErrorKind;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(kind: ConversionErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ConversionError';
    this.kind = kind;
    this.status = STATUS[kind];
    this.details = details;
  }
}

export function isConversionError(value: unknown): value is ConversionError {
  return (
    value instanceof ConversionError ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'ConversionError')
  );
}
