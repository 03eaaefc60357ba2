/** What a refused call threw, for the unit tests of commands and the import file reader. */
import { expect } from 'vitest';
import { CommandError, type CommandErrorReason } from '../../core/model/index.ts';

/** The error `call` threw; fails the test when it threw nothing. */
export function thrownBy(call: () => unknown, what = 'the call should have thrown'): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  expect.fail(what);
}

/** `command` refused with a CommandError of `reason` (and changed nothing, which callers check). */
export function refuses(command: () => unknown, reason: CommandErrorReason): void {
  const caught = thrownBy(command, 'the command should have thrown');
  expect(caught).toBeInstanceOf(CommandError);
  expect((caught as CommandError).reason).toBe(reason);
}
