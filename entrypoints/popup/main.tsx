import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CrisisRoot } from '../../components/crisis/CrisisRoot.tsx';

// The crisis card. Keep this entry free of editor code: tests/unit/crisis-bundle.test.ts.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CrisisRoot />
  </StrictMode>,
);
