/**
 * Error reasons and WebSocket close codes of the sync server, shared by the server and the
 * extension so both speak of a failure by the same name (STYLE.md "Typed origins and reasons").
 * docs/protocol.md documents each.
 */

/**
 * HTTP API error reasons and their status codes. Every error response body is
 * `{ "error": <reason>, "message": <English text for logs and developers> }`.
 */
export const API_ERRORS = {
  badRequest: 400,
  unauthenticated: 401,
  forbidden: 403,
  revoked: 403,
  originNotAllowed: 403,
  /** This server does not take new plans (`--registration closed`). */
  registrationClosed: 403,
  /** This server takes new plans with a registration code from its operator only. */
  registrationCodeRequired: 403,
  /** The registration code is unknown, used up, expired or revoked. */
  registrationCodeInvalid: 403,
  /** The server holds as many plans as its operator allows, in all or from this address. */
  planLimitReached: 403,
  notFound: 404,
  inviteNotFound: 404,
  methodNotAllowed: 405,
  planExists: 409,
  ownerImmutable: 409,
  inviteUsed: 410,
  inviteExpired: 410,
  /** This plan id was registered and deleted: it is never registered again. */
  planDeleted: 410,
  bodyTooLarge: 413,
  unsupportedMediaType: 415,
  rateLimited: 429,
  internal: 500,
  unavailable: 503,
  /** The server holds as many bytes as its operator allows (`--max-stored-bytes`). */
  storageFull: 507,
} as const;
export type ApiErrorReason = keyof typeof API_ERRORS;

/** True when `value` is a key of `API_ERRORS`, e.g. the `error` field of an API response body. */
export function isApiErrorReason(value: unknown): value is ApiErrorReason {
  return typeof value === 'string' && Object.hasOwn(API_ERRORS, value);
}

/** A failed API call: `reason` is one of `API_ERRORS`, `status` its HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly reason: ApiErrorReason,
    message: string = reason,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[reason];
  }
}

/**
 * Close codes of `/sync/<planId>/<doc>` connections. The 4400–4499 codes mirror HTTP 4xx and
 * mean "reconnecting as is cannot help": y-websocket's default `shouldReconnect` stops on
 * them and emits `closed`, which is what the client needs to show "access refused" or to
 * fetch a fresh token first. Every other code is transient and the provider retries itself.
 * The close frame's reason text is the key below.
 */
export const CLOSE_CODES = {
  /** The server is shutting down or restarting; reconnect. */
  goingAway: 1001,
  /** The server failed (e.g. could not store an update); reconnect, nothing is lost. */
  internalError: 1011,
  /** A frame that is not a well-formed y-websocket message. */
  badMessage: 4400,
  /** Token missing, malformed, expired or for another plan: get a new token, then connect. */
  unauthenticated: 4401,
  /** The member has no read access to this doc (at connect, or after a downgrade to none). */
  forbidden: 4403,
  /** The plan is not registered on this server, or was deleted. */
  notFound: 4404,
  /** The member's access to the plan was revoked. */
  revoked: 4410,
  /** A frame larger than the server's limit, refused as soon as its header announces it. */
  frameTooLarge: 4413,
  /**
   * Too many frames or bytes per second, or too many bytes of unfinished frames for the member
   * or the client address; transient (45xx), the provider backs off and retries.
   */
  rateLimited: 4529,
  /** The member already has the most connections allowed; transient, retried with back-off. */
  tooManyConnections: 4530,
  /**
   * The client read too slowly: the server's send buffer for it passed its bound. Nothing was
   * dropped: the connection closes instead, and the sync handshake on reconnect catches up.
   */
  slowReader: 4531,
  /**
   * A frame was not complete in time (a few seconds plus its size at the slowest upload rate
   * allowed); transient, the provider retries. Nothing the server had acknowledged is lost.
   */
  frameTimeout: 4532,
} as const;
export type CloseReason = keyof typeof CLOSE_CODES;

/**
 * Reasons the server sends in a y-protocols auth `permission-denied` message. The provider
 * stays connected: reading goes on, the denied change stays only on the client.
 */
export const PERMISSION_DENIED = {
  /** An update (sync step 2 or update) from a member without write access to the doc. */
  writeDenied: 'writeDenied',
  /**
   * The update would grow the doc past the server's size cap (`--max-doc-bytes`). Nothing of it
   * was stored; the connection stays open and deleting content makes room again.
   */
  docTooLarge: 'docTooLarge',
  /**
   * The server holds as much as its operator allows (`--max-stored-bytes`). Nothing was stored;
   * the change stays on the device and is sent again on a later connection.
   */
  storageFull: 'storageFull',
} as const;
export type PermissionDeniedReason = keyof typeof PERMISSION_DENIED;

/** True when `value` is a key of `PERMISSION_DENIED`, e.g. the reason of a `permission-denied` message. */
export function isPermissionDeniedReason(value: unknown): value is PermissionDeniedReason {
  return typeof value === 'string' && Object.hasOwn(PERMISSION_DENIED, value);
}
