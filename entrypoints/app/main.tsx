import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from '../../components/app/Root.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root layout="full" />
  </StrictMode>,
);
