import { getResource, keys, useSystem } from '../api/live';
import type { SystemSummary } from '../api/types';
import { Empty, ErrorState, Loading, StaleNotice } from '../components/States';
import { fmtInt, fmtNum, fmtTime } from '../format';

const ms = (v: number | null) => (v === null ? '—' : `${fmtNum(v, v < 10 ? 1 : 0)} ms`);
const rate = (v: number) => `${fmtNum(v, v < 10 ? 1 : 0)}/s`;

/** The service's health from its own metrics (GET /api/system), refreshed every two seconds. */
export function SystemPage() {
  const { data, error, loading } = useSystem();
  const retry = () => void getResource(keys.system())?.refresh();

  let body;
  if (loading && !data) body = <Loading label="Loading system status…" rows={4} />;
  else if (error && !data) body = <ErrorState error={error} onRetry={retry} />;
  else if (data) body = <SystemBody s={data} stale={error} />;
  return (
    <section aria-labelledby="system-page-h">
      <div className="page-head">
        <div>
          <h1 id="system-page-h">System</h1>
          <p className="sub">
            Ingest, pipeline latency, rejections, silos, grains and queues, from the service’s own metrics; updates live.
            {data && <> As of <span className="mono" data-testid="system-at">{fmtTime(data.atUtc, true)}</span>.</>}
          </p>
        </div>
      </div>
      {body}
    </section>
  );
}

function SystemBody({ s, stale }: { s: SystemSummary; stale: Parameters<typeof StaleNotice>[0]['error'] }) {
  const l = s.pipelineLatencyMs;
  const active = s.silos.filter((x) => x.status === 'Active').length;
  return (
    <>
      <StaleNotice error={stale} />
      <ul className="kpis" aria-label="Key figures">
        <li><span className="kpi-label">Ticks ingested</span><span className="kpi-value" data-testid="ticks-rate">{rate(s.ingest.ticksPerSecond)}</span><span className="kpi-label">{fmtInt(s.ingest.ticksTotal)} in all</span></li>
        <li><span className="kpi-label">Texts ingested</span><span className="kpi-value">{rate(s.ingest.textsPerSecond)}</span><span className="kpi-label">{fmtInt(s.ingest.textsTotal)} in all</span></li>
        <li><span className="kpi-label">Pipeline latency p50 / p99</span><span className="kpi-value" data-testid="latency">{ms(l.p50)} / {ms(l.p99)}</span><span className="kpi-label">{fmtInt(l.count)} batches, last {fmtInt(l.windowSeconds / 60)} min</span></li>
        <li><span className="kpi-label">Silos active</span><span className="kpi-value" data-testid="silos-active">{active} of {s.silos.length}</span></li>
        <li><span className="kpi-label">Active grains</span><span className="kpi-value" data-testid="grains-total">{fmtInt(s.grains.total)}</span></li>
        <li><span className="kpi-label">Sentiment refine queue</span><span className="kpi-value">{s.refineQueue === null ? '—' : fmtInt(s.refineQueue)}</span></li>
      </ul>

      <section className="card" aria-labelledby="latency-h">
        <h2 id="latency-h" className="card-title">Pipeline latency (ingest → ticker state)</h2>
        {l.count === 0 ? (
          <Empty title="No batches yet">Latency appears once ticks reach their tickers.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="grid-table">
              <thead><tr><th scope="col" className="n">p50</th><th scope="col" className="n">p90</th><th scope="col" className="n">p99</th><th scope="col" className="n">max</th><th scope="col" className="n">batches</th></tr></thead>
              <tbody><tr><td className="n num">{ms(l.p50)}</td><td className="n num">{ms(l.p90)}</td><td className="n num">{ms(l.p99)}</td><td className="n num">{ms(l.max)}</td><td className="n num">{fmtInt(l.count)}</td></tr></tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="silos-h">
        <h2 id="silos-h" className="card-title">Silos</h2>
        <div className="table-wrap">
          <table className="grid-table">
            <thead><tr><th scope="col">Address</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started</th></tr></thead>
            <tbody>
              {s.silos.map((x) => (
                <tr key={x.address} data-silo-status={x.status}>
                  <th scope="row" className="mono">{x.address}</th>
                  <td className="mono">{x.name}</td>
                  <td><span className="chip">{x.status}</span></td>
                  <td className="mono">{fmtTime(x.startedAtUtc, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="rejections-h">
        <h2 id="rejections-h" className="card-title">Rejections by reason</h2>
        {s.rejections.length === 0 ? (
          <Empty title="Nothing rejected">Every item received so far was accepted.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="grid-table">
              <thead><tr><th scope="col">Kind</th><th scope="col">Reason</th><th scope="col" className="n">Count</th></tr></thead>
              <tbody>
                {s.rejections.map((r) => (
                  <tr key={`${r.kind}:${r.reason}`}>
                    <td>{r.kind}</td>
                    <th scope="row" className="mono">{r.reason}</th>
                    <td className="n num">{fmtInt(r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="grains-h">
        <h2 id="grains-h" className="card-title">Active grains by type</h2>
        <div className="table-wrap">
          <table className="grid-table">
            <thead><tr><th scope="col">Grain type</th><th scope="col" className="n">Activations</th></tr></thead>
            <tbody>
              {s.grains.byType.map((g) => (
                <tr key={g.type}><th scope="row" className="mono">{g.type}</th><td className="n num">{fmtInt(g.activations)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="streams-h">
        <h2 id="streams-h" className="card-title">Streams</h2>
        {s.streams.length === 0 ? (
          <Empty title="No stream traffic yet" />
        ) : (
          <div className="table-wrap">
            <table className="grid-table">
              <thead><tr><th scope="col">Namespace</th><th scope="col" className="n">Batches published</th><th scope="col" className="n">Delivered</th><th scope="col" className="n">Backlog</th></tr></thead>
              <tbody>
                {s.streams.map((x) => (
                  <tr key={x.namespace}>
                    <th scope="row" className="mono">{x.namespace}</th>
                    <td className="n num">{fmtInt(x.published)}</td>
                    <td className="n num">{fmtInt(x.delivered)}</td>
                    <td className="n num">{fmtInt(x.backlog)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="footnote">
          Ingest, latency, rejections, streams and the refine queue are this process’s counts ({s.scope}); silos and grains are the
          cluster’s. Backlog: batches published here and not yet delivered here (exact with one silo). The Orleans dashboard at{' '}
          <a href="/dashboard/">/dashboard</a> shows calls per grain method.
        </p>
      </section>
    </>
  );
}
