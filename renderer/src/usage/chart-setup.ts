/** chart.js, tree-shaken: only the pieces the Usage screen draws. Colours follow the light/dark theme. */
import { BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineElement, PointElement, Tooltip, ArcElement, DoughnutController, BarController, LineController } from 'chart.js';

Chart.register(BarElement, BarController, CategoryScale, LinearScale, LineElement, LineController, PointElement, Filler, Legend, Tooltip, ArcElement, DoughnutController);

/** Series colours, readable on light and dark backgrounds. */
export const PALETTE = ['#4f7cff', '#22b07d', '#f2a93b', '#e5566b', '#9b6cf0', '#2bb5c9', '#d97ad4', '#8a94a6'];

/** Applies the current theme's text and grid colours to chart defaults. */
export function applyTheme(): void {
  const css = getComputedStyle(document.documentElement);
  Chart.defaults.color = css.getPropertyValue('--muted').trim() || '#667';
  Chart.defaults.borderColor = css.getPropertyValue('--border').trim() || '#ddd';
  Chart.defaults.font.family = css.getPropertyValue('--font').trim() || 'system-ui';
}
