/** Money in the window: the core sends integer micro-USD; this is the one place that formats and parses it. */

/** "$12.50", "$0.000123", "-$1.00": 2 to 6 decimals, exact (integer arithmetic, no float artifacts). */
export function formatUsd(micro: number | null | undefined): string {
  if (micro == null || !Number.isSafeInteger(micro)) return '—';
  const abs = Math.abs(micro);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0{1,4}$/, '');
  const whole = Math.floor(abs / 1_000_000).toLocaleString('en-US');
  return `${micro < 0 ? '-' : ''}$${whole}.${frac}`;
}

/** A price per million tokens, e.g. "$0.28 / Mtok". */
export function formatPerMtok(micro: number): string { return `${formatUsd(micro)} / Mtok`; }

/** Parses "12.5", "$1,000.25" or "-3" into micro-USD; null when it is not an amount with at most 6 decimals. */
export function parseUsd(text: string): number | null {
  const m = /^\s*(-)?\s*\$?\s*(\d[\d,]*)?(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined)) return null;
  const whole = Number((m[2] ?? '0').replace(/,/g, ''));
  const micro = whole * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0'));
  if (!Number.isSafeInteger(micro)) return null;
  return m[1] && micro !== 0 ? -micro : micro;
}
