/**
 * stackless/http: an HTTP/1.1 server where each connection is served by a tasklet.
 * The parser and serializer are exported for tests and for other servers.
 */
export { parseRequestHead, RequestHead, DEFAULT_HEAD_LIMITS, type BodyFraming, type HeadLimits } from './request-head.js';
export { ChunkedDecoder, type ChunkedStatus } from './chunked-decoder.js';
export {
  statusLine,
  serializeHeaders,
  headerPairs,
  checkHeader,
  reasonPhrase,
  chunkHeader,
  LAST_CHUNK,
  type HeaderInit,
} from './response-head.js';
export {
  HttpParseError,
  ClientGoneError,
  HttpTimeoutError,
  BodyTooLargeError,
  HttpUsageError,
  InvalidHeaderError,
} from './errors.js';
export {
  listen,
  HttpServer,
  DEFAULT_LIMITS,
  type Handler,
  type Limits,
  type ListenOptions,
  type HttpServerStats,
} from './server.js';
export { HttpRequest } from './request.js';
export { HttpResponse } from './response.js';
export type { UpgradedStream } from './upgraded-stream.js';
export { fetchHandler, type FetchHandler } from './fetch-handler.js';
