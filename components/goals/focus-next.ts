import { useRef } from 'react';

/**
 * Where the focus goes after an add (issue 10: "focus goes to the next useful field"): a new
 * goal's "Sub-goal" field, a new sub-goal's "Step" field. The list that added an item marks
 * it; the item's add form claims the focus once, when it first appears.
 */
export function useFocusNext(): { mark(id: string): void; claim(id: string): () => boolean } {
  const next = useRef<string | null>(null);
  return {
    mark: (id) => {
      next.current = id;
    },
    claim: (id) => () => {
      if (next.current !== id) return false;
      next.current = null;
      return true;
    },
  };
}
