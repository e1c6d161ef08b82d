import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { preload } from './api/preload.js';
import { App } from './app.js';
import { parseRoute } from './router.js';
import { defaultFilters, ticketListPath } from './inbox/use-ticket-list.js';
import { firstPagePath } from './thread/use-thread.js';
import '@fontsource-variable/inter/wght.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/inbox.css';
import './styles/thread.css';
import './styles/message-meta.css';
import './styles/composer.css';
import './styles/viewer.css';
import './styles/settings.css';
import './styles/redaction.css';

const route = parseRoute(location.pathname);
if (route.name === 'inbox') preload(ticketListPath(defaultFilters, null));
if (route.name === 'inbox' && route.ticketId) {
  preload(`/api/tickets/${route.ticketId}`);
  preload(firstPagePath(route.ticketId));
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
