import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/api-context';
import { createBrowserClient } from './api/sluice-client';
import { App } from './app';
import './styles/theme.css';
import './styles/controls.css';
import './styles/layout.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={createBrowserClient()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
