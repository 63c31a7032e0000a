import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { defaultClient } from './api/client';
import { ClientContext } from './api/context';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ClientContext.Provider value={defaultClient()}>
        <App />
      </ClientContext.Provider>
    </StrictMode>,
  );
}
