import { getResource, keys, useModels } from '../api/live';
import type { ForecastEvaluation, ForecastModelReport, OutOfSampleReport, ReliabilityBin, SignalStats } from '../api/types';
import { Empty, ErrorState, Loading, StaleNotice, WarmingUp } from '../components/States';
import { brierClass, fmtInt, fmtNum, fmtProb, hitClass, isNum, signalLabel } from '../format';

export function ModelsPage() {
  const { data, error, loading } = useModels();
  const retry = () => void getResource(keys.models())?.refresh();

  let body;
  if (loading && !data) body = <Loading label="Loading models…" rows={4} />;
  else if (error && !data) body = <ErrorState error={error} onRetry={retry} />;
  else {
    const models = data?.models ?? [];
    const signals = data?.signals ?? [];
    body = (
      <>
        <StaleNotice error={error} />
        <section className="card" aria-labelledby="models-h">
          <h2 id="models-h" className="card-title">Loaded models</h2>
          {models.length === 0 ? (
            <Empty title="No models loaded">The gateway reports no models; check that the silo found the model files.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="grid-table">
                <thead>
                  <tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Version</th><th scope="col">Description</th></tr>
                </thead>
                <tbody>
                  {models.map((m) => (
                    <tr key={`${m.name}:${m.version}`}>
                      <th scope="row" className="mono">{m.name}</th>
                      <td><span className="chip">{m.kind}</span></td>
                      <td className="mono">{m.version}</td>
                      <td className="wrap">{m.description ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="signals-h">
          <h2 id="signals-h" className="card-title">Live accuracy by signal (all symbols)</h2>
          {signals.length === 0 ? (
            <WarmingUp what="scored predictions" compact />
          ) : (
            <div className="table-wrap">
              <table className="grid-table">
                <thead>
                  <tr>
                    <th scope="col">Signal</th>
                    <th scope="col" className="n">Mean weight</th>
                    <th scope="col" className="n">Scored</th>
                    <th scope="col" className="n">Hits</th>
                    <th scope="col" className="n">Hit rate</th>
                    <th scope="col" className="n" title="Mean squared error of P(up); lower is better, 0.25 is a coin flip">Brier</th>
                    <th scope="col">Reliability</th>
                  </tr>
                </thead>
                <tbody>
                  {signals.map((s) => (
                    <tr key={s.signal}>
                      <th scope="row">{signalLabel(s.signal)} <span className="chip">{s.kind}</span></th>
                      <td className="n num">{fmtProb(s.weight)}</td>
                      <td className="n num">{fmtInt(s.scored)}</td>
                      <td className="n num">{fmtInt(s.hits)}</td>
                      <td className={`n num ${hitClass(s.hitRate)}`}>{fmtProb(s.hitRate)}</td>
                      <td className={`n num ${brierClass(s.brier)}`}>{fmtNum(s.brier, 3)}</td>
                      <td><Reliability s={s} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="footnote">
            Hit rate: share of resolved calls whose direction matched the next close. Brier: mean of (P(up) − outcome)²; 0.25 is what a
            constant 50 % forecast scores. Reliability: forecast probability (x) against observed frequency of “up” (y) per bin; the
            diagonal is perfect calibration, dot size is the bin’s count.
          </p>
        </section>
        {data?.forecasts ? <ForecastScores report={data.forecasts} /> : null}
        {data?.outOfSample ? <OutOfSample report={data.outOfSample} /> : null}
      </>
    );
  }

  return (
    <section aria-labelledby="models-page-h">
      <div className="page-head">
        <div>
          <h1 id="models-page-h">Models</h1>
          <p className="sub">Model versions in use and how each signal’s predictions have fared so far.</p>
        </div>
      </div>
      {body}
    </section>
  );
}

/** The volatility, expected-move and volume forecasts: live score over all tickers, and what eval forecasts measured out of sample. */
export function ForecastScores({ report }: { report: ForecastModelReport }) {
  const live = report.live;
  const rows: [string, ForecastEvaluation | undefined][] = [
    ['Walk-forward (recipe refitted monthly)', report.outOfSample?.walk_forward],
    ['Dev (shipped model)', report.outOfSample?.dev],
  ];
  const pct = (v: number) => fmtProb(v, 1);
  return (
    <section className="card" aria-labelledby="forecasts-h" data-testid="forecast-scores">
      <h2 id="forecasts-h" className="card-title">Volatility, expected move and volume ({report.version ?? 'no model'})</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Measured on</th>
            <th scope="col" className="n">Days</th>
            <th scope="col" className="n">QLIKE gain vs HAR</th>
            <th scope="col" className="n">80 % / 95 % band hit</th>
            <th scope="col" className="n">Volume gain vs HAR</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Live, all tickers</th>
            <td className="n num">{fmtInt(live.scored)}</td>
            <td className="n num">{isNum(live.qlikeGainVsHar) ? pct(live.qlikeGainVsHar) : '—'}</td>
            <td className="n num">{fmtProb(live.band80Coverage, 1)} / {fmtProb(live.band95Coverage, 1)}</td>
            <td className="n num">{isNum(live.volumeGainVsHar) ? pct(live.volumeGainVsHar) : '—'}</td>
          </tr>
          {rows.map(([label, e]) =>
            e ? (
              <tr key={label}>
                <th scope="row">{label}, {e.from} – {e.to}</th>
                <td className="n num">{fmtInt(e.days)}</td>
                <td className="n num">{pct(e.volatility.qlike_gain_vs_har)}{interval(e.volatility.qlike_gain_vs_har_ci95_days, pct)}</td>
                <td className="n num">{pct(e.volatility.band80_coverage)} / {pct(e.volatility.band95_coverage)}</td>
                <td className="n num">{pct(e.volume.gain_vs_har)}{interval(e.volume.gain_vs_har_ci95_days, pct)}</td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
      <p className="muted small">
        Live scores count ticker-days since this service started (a replay of the bundled sample is mostly inside the training
        period); the out-of-sample rows come from <code>eval forecasts</code>, intervals resampling whole days.
      </p>
    </section>
  );
}

const interval = (ci: number[] | null, fmt: (v: number) => string) =>
  ci && ci.length === 2 ? ` [${fmt(ci[0])}, ${fmt(ci[1])}]` : '';

/** How each signal did out of sample, measured offline over many months: the evidence to read live scores against. */
export function OutOfSample({ report }: { report: OutOfSampleReport }) {
  return (
    <section className="card" aria-labelledby="oos-h">
      <h2 id="oos-h" className="card-title">Measured out of sample ({report.from} – {report.to}, {fmtInt(report.days)} trading days)</h2>
      <div className="table-wrap">
        <table className="grid-table">
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col" className="n">Calls</th>
              <th scope="col" className="n">Accuracy [95 %]</th>
              <th scope="col" className="n" title="Matthews correlation of calls and outcomes: 0 is no skill">MCC [95 %]</th>
              <th scope="col" className="n">Brier</th>
            </tr>
          </thead>
          <tbody>
            {report.signals.map((s) => (
              <tr key={s.signal}>
                <th scope="row">{s.signal === 'always_rise' ? 'Always rise (baseline)' : signalLabel(s.signal)}</th>
                <td className="n num">{fmtInt(s.n)}</td>
                <td className="n num">{fmtProb(s.accuracy)}{interval(s.accuracyCi95, (v) => fmtProb(v))}</td>
                <td className="n num">{fmtNum(s.mcc, 3)}{interval(s.mccCi95, (v) => fmtNum(v, 3))}</td>
                <td className={`n num ${brierClass(s.brier)}`}>{fmtNum(s.brier, 4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="footnote">
        {report.method} An interval that contains 0 (MCC) or the always-rise accuracy means no skill was shown; most tickers move with the
        market on a given day, so the evidence is the number of days, not of calls.
      </p>
    </section>
  );
}

/** A small calibration plot (reliability diagram). */
export function Reliability({ s, size = 64 }: { s: SignalStats; size?: number }) {
  const bins = (s.reliability ?? []).filter((b): b is ReliabilityBin & { meanForecast: number; observedFrequency: number } =>
    b.count > 0 && isNum(b.meanForecast) && isNum(b.observedFrequency),
  );
  if (bins.length === 0) return <span className="muted">—</span>;
  const max = Math.max(...bins.map((b) => b.count));
  const px = (v: number) => 8 + v * 84;
  const py = (v: number) => 92 - v * 84;
  const label = `Reliability of ${signalLabel(s.signal)}: ${bins
    .map((b) => `forecast ${fmtProb(b.meanForecast, 0)} observed ${fmtProb(b.observedFrequency, 0)} (${b.count})`)
    .join('; ')}`;
  return (
    <svg className="rel" width={size} height={size} viewBox="0 0 100 100" role="img" aria-label={label}>
      <rect x="0" y="0" width="100" height="100" className="rel-bg" />
      <line x1={px(0)} y1={py(0)} x2={px(1)} y2={py(1)} className="rel-diag" />
      <polyline className="rel-line" points={bins.map((b) => `${px(b.meanForecast)},${py(b.observedFrequency)}`).join(' ')} />
      {bins.map((b, i) => (
        <circle key={i} cx={px(b.meanForecast)} cy={py(b.observedFrequency)} r={3 + 5 * Math.sqrt(b.count / max)} className="rel-dot" />
      ))}
    </svg>
  );
}
