import { createContext, useContext, useState, type ReactNode } from 'react';

const AnnounceContext = createContext<(message: string) => void>(() => {});

/**
 * The one way a view tells a screen reader what just happened where nothing visible says it
 * ("“Walk every day” moved to place 1 of 3"): a polite live region above the view's content.
 * The goal board and the service plan each have one.
 */
export function Announcer({ children }: { children: ReactNode }) {
  const [spoken, setSpoken] = useState('');
  return (
    <AnnounceContext.Provider value={setSpoken}>
      <p className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
      {children}
    </AnnounceContext.Provider>
  );
}

/** Says `message` through the nearest Announcer (nothing outside one). */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}
