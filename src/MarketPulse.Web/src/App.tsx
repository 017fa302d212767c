import { ModelsPage } from './pages/Models';
import { SystemPage } from './pages/System';
import { Overview } from './pages/Overview';
import { TickerDetailPage } from './pages/TickerDetail';
import { Link, useRoute, type Route } from './router';
import { Empty } from './components/States';
import { useRealtimeStatus } from './api/realtime';

const STATUS_TEXT = { live: 'Live', connecting: 'Connecting…', polling: 'Polling' } as const;
const STATUS_TITLE = {
  live: 'Updates are pushed over SignalR as they happen',
  connecting: 'Connecting to the live feed',
  polling: 'Live feed unavailable: refreshing every few seconds',
} as const;

export function App() {
  const route = useRoute();
  const status = useRealtimeStatus();
  return (
    <div className="app">
      <a href="#main" className="skip">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="MarketPulse home">
          <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden="true">
            <rect width="16" height="16" rx="3" className="brand-bg" />
            <path d="M2 10h3l2-5 2 7 2-4h3" fill="none" className="brand-line" strokeWidth="1.6" />
          </svg>
          MarketPulse
        </Link>
        <nav aria-label="Main">
          <ul>
            <li><Link to="/" aria-current={route.name === 'overview' || route.name === 'ticker' ? 'page' : undefined}>Overview</Link></li>
            <li><Link to="/models" aria-current={route.name === 'models' ? 'page' : undefined}>Models</Link></li>
            <li><Link to="/system" aria-current={route.name === 'system' ? 'page' : undefined}>System</Link></li>
          </ul>
        </nav>
        <span className="rt-status" data-status={status} title={STATUS_TITLE[status]} role="status">
          {STATUS_TEXT[status]}
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer className="foot">
        MarketPulse · predictions are statistical signals, not investment advice · times in UTC
      </footer>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'overview':
      return <Overview />;
    case 'ticker':
      return <TickerDetailPage key={route.symbol} symbol={route.symbol} />;
    case 'models':
      return <ModelsPage />;
    case 'system':
      return <SystemPage />;
    default:
      return (
        <Empty title="Page not found">
          Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the market overview</Link>.
        </Empty>
      );
  }
}
