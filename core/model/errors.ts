/** Why a command refused to run. Shared by UI messages (one locale key per reason). */
export const COMMAND_ERRORS = {
  notFound: 'notFound',
  invalidInput: 'invalidInput',
  notCustom: 'notCustom',
} as const;
export type CommandErrorReason = keyof typeof COMMAND_ERRORS;

export class CommandError extends Error {
  constructor(
    readonly reason: CommandErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
