/**
 * The operator's help lines (`--help-lines-file`): numbers a clinic wants on its members'
 * crisis cards, above the country's own. Read once at start; a file that is not a valid list
 * stops the start with a message saying what is wrong, since a crisis card with numbers the
 * operator did not mean is worse than none. docs/crisis-numbers.md shows the format.
 */
import { readFileSync } from 'node:fs';
import { HELP_LINE_LIMITS, parseHelpLines, type HelpLine } from '../core/access/index.ts';

/** Why the help lines file was refused; main.ts prints it and exits with EX_CONFIG. */
export class HelpLinesError extends Error {
  override readonly name = 'HelpLinesError';
}

/** The operator's list from `file`, or none when no file is set. Throws HelpLinesError. */
export function loadHelpLines(file: string): HelpLine[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HelpLinesError(
      `cannot read the help lines file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HelpLinesError(`the help lines file ${file} is not JSON`);
  }
  const lines = parseHelpLines(value);
  if (!lines) {
    const l = HELP_LINE_LIMITS;
    throw new HelpLinesError(
      `the help lines file ${file} must be a JSON array of at most ${l.lines} entries, each with "name" (at most ${l.name} characters), "phone" (a number to dial, at most ${l.phone}) and "what" (at most ${l.what}), and optionally "source" (docs/crisis-numbers.md)`,
    );
  }
  return lines;
}
