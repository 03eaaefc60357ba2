import { createContext, useContext } from 'react';

/**
 * Whether a goal card shows everything (its fields, add forms, every row's notes and delete)
 * or reads first: the title once, why it matters, sub-goals with their steps as checkboxes,
 * the review timeline, and "Edit" (issue 10). True outside a card.
 */
export const CardOpenContext = createContext(true);

export function useCardOpen(): boolean {
  return useContext(CardOpenContext);
}
