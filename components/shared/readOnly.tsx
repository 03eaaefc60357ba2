import { createContext, useContext, type ReactNode } from 'react';

/** Read-only outside a provider: a control shown where nobody said it may be is not shown. */
const ReadOnlyContext = createContext(true);

/**
 * Whether a view is shown without edit controls (none at all, not disabled ones): this
 * person's access to what it shows is below `edit` (view or comment), or a newer Varde wrote
 * the plan. The goal board and the service plan each provide it for everything inside.
 */
export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext);
}

export function ReadOnlyProvider({ readOnly, children }: { readOnly: boolean; children: ReactNode }) {
  return <ReadOnlyContext.Provider value={readOnly}>{children}</ReadOnlyContext.Provider>;
}
