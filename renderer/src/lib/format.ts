/** Display helpers for numbers, times and durations. */

/** 1234567 → "1,234,567". */
export function formatInt(n: number | null | undefined): string { return n == null ? '—' : Math.round(n).toLocaleString('en-US'); }

/** 0.0123 → "1.2%". */
export function formatPercent(r: number): string { return `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`; }

/** Epoch ms → local "2025-06-01 14:03:22". */
export function formatTime(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Epoch ms → "3 min ago", "2 h ago", or the date. */
export function formatAgo(ms: number | null | undefined, now = Date.now()): string {
  if (ms == null) return 'never';
  const s = Math.round((now - ms) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return formatTime(ms).slice(0, 10);
}

/** 1234 → "1.23 s", 87 → "87 ms". */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** 1536 → "1.5 KB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}
