/** Logging entry point: the process logger, request-scoped child loggers and the per-request log line. */
export { createLogger, createRequestLogger, getLogger, type Logger } from './logger';
export { logRequest, resolveRequestId, type RequestLogEntry } from './request-log';
