import { reasonOf } from '../../core/sync/index.ts';

export type ProblemContext = 'share' | 'join' | 'invite' | 'members';

/**
 * A failed sharing call in plain words: the message key for the reason of an `ApiError` (the
 * server's answer) or a `ClientError` (no answer, or not a server address / invite). Nothing
 * here blames the person or sounds alarming.
 */
export function problemKey(error: unknown, context: ProblemContext): string {
  // A fetch that never reached the server rejects with a TypeError.
  if (error instanceof TypeError) return 'sharing.errorNetwork';
  switch (reasonOf(error)) {
    case 'offline':
    case 'unavailable':
      return 'sharing.errorNetwork';
    case 'badServerUrl':
      return 'sharing.errorBadServer';
    case 'badInvite':
      return 'sharing.errorBadInvite';
    case 'badResponse':
      return 'sharing.errorBadResponse';
    case 'inviteNotFound':
      return 'sharing.errorInviteNotFound';
    case 'inviteUsed':
      return 'sharing.errorInviteUsed';
    case 'inviteExpired':
      return 'sharing.errorInviteExpired';
    case 'rateLimited':
      return 'sharing.errorRateLimited';
    case 'planExists':
      return 'sharing.errorPlanExists';
    case 'planDeleted':
      return 'sharing.errorPlanDeleted';
    case 'registrationCodeRequired':
      return 'sharing.errorCodeRequired';
    case 'registrationCodeInvalid':
      return 'sharing.errorCodeInvalid';
    case 'registrationClosed':
      return 'sharing.errorRegistrationClosed';
    case 'planLimitReached':
      return 'sharing.errorPlanLimit';
    case 'storageFull':
      return 'sharing.errorStorageFull';
    case 'revoked':
      return 'sharing.errorRevoked';
    case 'forbidden':
    case 'unauthenticated':
    case 'ownerImmutable':
      return 'sharing.errorNotAllowed';
    case 'originNotAllowed':
      return 'sharing.errorOrigin';
    case 'badRequest':
      return context === 'join' ? 'sharing.errorBadInvite' : 'sharing.errorBadRequest';
    default:
      return 'sharing.errorGeneric';
  }
}
