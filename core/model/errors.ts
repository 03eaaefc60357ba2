/** Why a command refused to run. Shared by UI messages (one locale key per reason). */
export const COMMAND_ERRORS = {
  notFound: 'notFound',
  invalidInput: 'invalidInput',
  notCustom: 'notCustom',
} as const;
export type CommandErrorReason = keyof typeof COMMAND_ERRORS;

/**
 * Thrown by a command that refuses to run: `reason` is one of `COMMAND_ERRORS`, `message` English text for
 * logs and developers.
 */
export class CommandError extends Error {
  constructor(
    readonly reason: CommandErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
