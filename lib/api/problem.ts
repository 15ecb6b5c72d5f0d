/** RFC 9457 problem details: the one error shape every API endpoint answers with. */
import type { ConversionErrorKind } from '@/lib/errors/conversion-error';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable problem type URIs, relative to the API docs page so a reader can look each one up. */
export type ProblemType =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'too-large'
  | 'unsupported-type'
  | 'undecodable'
  | 'rate-limited'
  | 'overloaded'
  | 'client-closed'
  | 'internal';

/** The problem type each kind of conversion error is answered with (the API, and a batch item's problem). */
export const CONVERSION_PROBLEM_TYPES: Record<ConversionErrorKind, ProblemType> = {
  bad_options: 'bad-request',
  too_large: 'too-large',
  unsupported_type: 'unsupported-type',
  undecodable: 'undecodable',
  overloaded: 'overloaded',
  internal: 'internal',
};

const TITLES: Record<ProblemType, string> = {
  'bad-request': 'Bad request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'too-large': 'Payload too large',
  'unsupported-type': 'Unsupported media type',
  undecodable: 'Image cannot be decoded',
  'rate-limited': 'Too many requests',
  overloaded: 'Service overloaded',
  'client-closed': 'Client closed request',
  internal: 'Internal server error',
};

type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  /** Field-level validation messages (400). */
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
};

/** A thrown error that the API wrapper turns into a problem+json response. */
export class ApiError extends Error {
  readonly status: number;
  readonly problemType: ProblemType;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    problemType: ProblemType,
    detail: string,
    options: { headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.problemType = problemType;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

function problemTypeUri(type: ProblemType): string {
  return `/docs/api#problem-${type}`;
}

export function createProblem(
  status: number,
  type: ProblemType,
  detail: string | undefined,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  return { type: problemTypeUri(type), title: TITLES[type], status, ...(detail ? { detail } : {}), ...extra };
}

export function problemResponse(problem: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
  });
}
