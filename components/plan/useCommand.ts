import { useCallback, useState } from 'react';
import { errorMessageKey } from './logic.ts';

/**
 * Runs a plan command and keeps the locale key of its failure, if any, for a message next
 * to the control. A command fails without changing anything, so the message can say so.
 */
export function useCommand() {
  const [errorKey, setErrorKey] = useState<string | null>(null);
  const run = useCallback((command: () => unknown): boolean => {
    try {
      command();
      setErrorKey(null);
      return true;
    } catch (error) {
      setErrorKey(errorMessageKey(error));
      return false;
    }
  }, []);
  const clear = useCallback(() => setErrorKey(null), []);
  return { run, errorKey, clear };
}
