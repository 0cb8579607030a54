import { Bar, Doughnut } from 'react-chartjs-2';
import type { Usage } from '../../../gateway/admin/contract';
import { applyTheme, PALETTE } from './chart-setup';
import type { Metric } from './usage-store';
import { formatUsd } from '../lib/money';
import { formatInt } from '../lib/format';

const pick = (g: Usage['groups'][number], m: Metric) => (m === 'cost' ? g.costMicroUsd : m === 'tokens' ? g.tokens : g.requests);
const total = (g: Usage['groups'][number], m: Metric) => (m === 'cost' ? g.totalCostMicroUsd : m === 'tokens' ? g.totalTokens : g.totalRequests);
/** Cost is charted in dollars (chart axes need plain numbers); labels still go through formatUsd. */
const scale = (m: Metric, v: number) => (m === 'cost' ? v / 1e6 : v);
const label = (m: Metric, v: number) => (m === 'cost' ? formatUsd(Math.round(v * 1e6)) : formatInt(v));

function bucketLabel(ms: number, bucketMs: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return bucketMs >= 86_400_000 ? `${d.getMonth() + 1}/${d.getDate()}` : bucketMs > 3_600_000 ? `${d.getMonth() + 1}/${d.getDate()} ${p(d.getHours())}h` : `${p(d.getHours())}:00`;
}

/** Stacked bars over time, one colour per group, plus a doughnut of each group's share. */
export function UsageCharts({ usage, metric }: { usage: Usage; metric: Metric }) {
  applyTheme();
  const labels = usage.buckets.map((b) => bucketLabel(b, usage.bucketMs));
  const datasets = usage.groups.map((g, i) => ({ label: g.label, data: pick(g, metric).map((v) => scale(metric, v)), backgroundColor: PALETTE[i % PALETTE.length], stack: 's', borderRadius: 3 }));
  const sum = usage.groups.reduce((s, g) => s + total(g, metric), 0);
  return (
    <div className="grid-chart">
      <div className="card chart-card" data-testid="usage-chart" data-total={sum} data-metric={metric} data-groups={usage.groups.map((g) => g.label).join('|')}>
        <Bar data={{ labels, datasets }} aria-label={`${metric} over time`} role="img"
          options={{ responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false },
            plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${label(metric, c.parsed.y ?? 0)}` } } },
            scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, ticks: { callback: (v) => label(metric, Number(v)) } } } }} />
      </div>
      <div className="card chart-card chart-card-small">
        {sum === 0 ? <p className="muted center">Nothing in this range yet.</p> : (
          <Doughnut aria-label={`${metric} by ${usage.groupBy}`} role="img"
            data={{ labels: usage.groups.map((g) => g.label), datasets: [{ data: usage.groups.map((g) => scale(metric, total(g, metric))), backgroundColor: usage.groups.map((_, i) => PALETTE[i % PALETTE.length]), borderWidth: 0 }] }}
            options={{ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.label}: ${label(metric, Number(c.raw))}` } } } }} />
        )}
      </div>
    </div>
  );
}
