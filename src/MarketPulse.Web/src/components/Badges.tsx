import { arrow, confidenceOf, directionOf, fmtProb, isNum, polarity, fmtSigned } from '../format';

/** Direction call with its probability of "up", e.g. ▲ Up 63.4%. */
export function DirectionBadge({
  direction,
  probabilityUp,
  size = 'sm',
}: {
  direction: string | null | undefined;
  probabilityUp: number | null | undefined;
  size?: 'sm' | 'lg';
}) {
  const d = directionOf(direction);
  if (!d) return <span className={`dir dir-none dir-${size}`}>—</span>;
  const label = `${d === 'up' ? 'Up' : 'Down'}${isNum(probabilityUp) ? `, probability of up ${fmtProb(probabilityUp)}` : ''}`;
  return (
    <span className={`dir dir-${d} dir-${size}`} aria-label={label} title={label}>
      <span aria-hidden="true">{arrow(d)}</span> {d === 'up' ? 'Up' : 'Down'}
      {isNum(probabilityUp) && <span className="dir-p"> {fmtProb(probabilityUp)}</span>}
    </span>
  );
}

/** A thin meter from 0 to 1 centred visually on 0.5: how confident is the call. */
export function ProbabilityBar({ direction, probabilityUp }: { direction: string | null | undefined; probabilityUp: number | null | undefined }) {
  const d = directionOf(direction);
  if (!isNum(probabilityUp) || !d) return null;
  const conf = confidenceOf(d, probabilityUp) ?? 0.5;
  return (
    <span className="pbar" role="img" aria-label={`Probability of up ${fmtProb(probabilityUp)}`}>
      <span className={`pbar-fill ${d}`} style={{ left: `${Math.min(probabilityUp, 0.5) * 100}%`, width: `${Math.abs(probabilityUp - 0.5) * 100}%` }} />
      <span className="pbar-mid" />
      <span className="sr-only">{fmtProb(conf)}</span>
    </span>
  );
}

/** Sentiment score in [-1, 1] as a number and a small diverging bar. */
export function SentimentMeter({ score }: { score: number | null | undefined }) {
  const cls = polarity(score);
  if (!isNum(score)) return <span className="muted">—</span>;
  const clamped = Math.max(-1, Math.min(1, score));
  return (
    <span className={`senti senti-${cls}`}>
      <span className="senti-bar" aria-hidden="true">
        <span className="senti-fill" style={{ left: `${50 + Math.min(0, clamped) * 50}%`, width: `${Math.abs(clamped) * 50}%` }} />
      </span>
      <span className="num">{fmtSigned(score, 2)}</span>
    </span>
  );
}
