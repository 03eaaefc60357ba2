import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CrisisRoot } from '../../components/crisis/CrisisRoot.tsx';
import { startCrisis } from '../../hooks/crisis.tsx';

// The crisis card. Keep this entry free of editor code: tests/unit/crisis-bundle.test.ts.
// Its docs start loading now, before React renders anything.
const start = startCrisis();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CrisisRoot start={start} />
  </StrictMode>,
);
