/** Small HTTP helpers: JSON bodies with a size limit, JSON answers, CORS, client address. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../core/access/index.ts';
import { originAllowed, type ServerConfig } from '../config.ts';

/** Answers with `body` as JSON, with its `Content-Length`, and ends the response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers with a status and no body, and ends the response. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

/** Answers an ApiError as its status and the `{ error, message }` body every error response has. */
export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, { error: error.reason, message: error.message });
}

/** Reads a JSON object body; an empty body is `{}`. */
export async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new ApiError('bodyTooLarge', `body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError('bodyTooLarge', `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError('unsupportedMediaType', 'send Content-Type: application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError('badRequest', 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('badRequest', 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * The client's address for rate limits and quotas: behind a trusted proxy (`--trust-proxy`) the first
 * address in `X-Forwarded-For`, else the socket's remote address (`unknown` when it has none).
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Applies the CORS policy. Returns false (and answers 403) for a disallowed Origin; answers
 * preflight requests itself and returns null; otherwise returns true and the handler goes on.
 */
export function cors(req: IncomingMessage, res: ServerResponse, config: ServerConfig): boolean | null {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin === undefined) return true;
  if (!originAllowed(origin, config.allowedOrigins)) {
    sendError(res, new ApiError('originNotAllowed', 'this Origin is not allowed'));
    return false;
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return null;
  }
  return true;
}
