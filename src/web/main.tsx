import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import '@fontsource-variable/inter/wght.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/inbox.css';
import './styles/thread.css';
import './styles/composer.css';
import './styles/viewer.css';
import './styles/settings.css';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
