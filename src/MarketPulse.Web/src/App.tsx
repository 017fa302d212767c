import { ModelsPage } from './pages/Models';
import { Overview } from './pages/Overview';
import { TickerDetailPage } from './pages/TickerDetail';
import { Link, useRoute, type Route } from './router';
import { Empty } from './components/States';

export function App() {
  const route = useRoute();
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
          </ul>
        </nav>
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
    default:
      return (
        <Empty title="Page not found">
          Nothing lives at <code>{route.path}</code>. <Link to="/">Go to the market overview</Link>.
        </Empty>
      );
  }
}
