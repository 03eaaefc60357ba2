/** Errors of the sync client that are not the server's answer; `reasonOf` names any of them. */
import { ApiError, type ApiErrorReason } from '../access/index.ts';

/**
 * Failures that are not an answer from the server: it could not be reached (`offline`), the
 * address a person typed is not a server address (`badServerUrl`), an invite is not a link or
 * code (`badInvite`), the answer was not what the protocol says (`badResponse`), or the plan
 * is not shared yet (`notShared`).
 */
export const CLIENT_ERRORS = ['offline', 'badServerUrl', 'badInvite', 'badResponse', 'notShared'] as const;
export type ClientErrorReason = (typeof CLIENT_ERRORS)[number];

/** A sync-client failure that is not the server's answer: `reason` is one of `CLIENT_ERRORS`. */
export class ClientError extends Error {
  constructor(
    readonly reason: ClientErrorReason,
    message: string = reason,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** Every reason an API call can fail with; the UI has words for each. */
export type SyncErrorReason = ApiErrorReason | ClientErrorReason;

/** The reason of an error thrown by this module (`internal` for anything else). */
export function reasonOf(error: unknown): SyncErrorReason {
  return error instanceof ApiError || error instanceof ClientError ? error.reason : 'internal';
}
