/** Number formatting and the colour bands the established plan viewers use. */
const en = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function ms(x: number | undefined): string {
  if (x === undefined) return '—';
  if (x === 0) return '0 ms';
  if (x < 1) return `${x.toFixed(3)} ms`;
  if (x < 10) return `${x.toFixed(2)} ms`;
  if (x < 1000) return `${x.toFixed(1)} ms`;
  return `${(x / 1000).toFixed(x < 10_000 ? 2 : 1)} s`;
}

export function count(x: number | undefined): string {
  if (x === undefined) return '—';
  // PG18 reports fractional per-loop rows; keep up to two decimals below 10.
  if (x !== Math.round(x) && Math.abs(x) < 10) return x.toFixed(2);
  return en.format(x);
}

export function percent(x: number): string {
  if (x === 0) return '0 %';
  if (x < 0.1) return '<0.1 %';
  return `${x.toFixed(1)} %`;
}

export function factor(x: number): string {
  return x >= 100 ? `${en.format(x)}×` : `${x.toFixed(1)}×`;
}

/** >10 %, >50 %, >90 % of execution time. */
export function timeBand(pct: number): string {
  if (pct > 90) return 'time-3';
  if (pct > 50) return 'time-2';
  if (pct > 10) return 'time-1';
  return '';
}

/** Estimate off by >10×, >100×, >1000×. */
export function misestimateBand(f: number): string {
  if (f > 1000) return 'mis-3';
  if (f > 100) return 'mis-2';
  if (f > 10) return 'mis-1';
  return '';
}

/** ↑: the planner expected more rows than came (over-estimate); ↓: fewer (under-estimate). */
export function misestimateArrow(direction: 'over' | 'under'): string {
  return direction === 'over' ? '↑' : '↓';
}
