/** Markdown rendering of benchmark results (the table printed to stdout and pasted into bench/README.md). */

const f = (v, d = 2) => (v == null || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));
const int = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'));
const pct = (v) => (v == null || !Number.isFinite(v) ? 'n/a' : `${Math.round(v)}%`);

/** A markdown table from a header row and rows of cells. */
export function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The side-by-side table of medians (one row per target). */
export function mainTable(summary) {
  const head = ['target', 'added p50 c=1 (ms)', 'added p99 c=1 (ms)', 'req/s c=32 (% floor)', 'req/s c=128 (% floor)', 'p99 c=32 (ms)', 'errors', 'RSS idle / load / after (MiB)', 'stream added TTFB p50 (ms)', 'stream added gap p50 (ms)'];
  const rows = summary.targets.map((t) => [
    t.name,
    t.name === 'direct' ? `(p50 ${f(t.c1.p50, 3)})` : f(t.c1.addedP50, 3),
    t.name === 'direct' ? `(p99 ${f(t.c1.p99, 3)})` : f(t.c1.addedP99, 3),
    `${int(t.c32.rps)} (${t.name === 'floor' ? '100%' : pct(t.c32.pctFloor)})`,
    `${int(t.c128.rps)} (${t.name === 'floor' ? '100%' : pct(t.c128.pctFloor)})`,
    f(t.c32.p99, 2),
    `${t.errors.count}/${int(t.errors.sent)}`,
    t.name === 'direct' ? '—' : `${f(t.rss.idle, 0)} / ${f(t.rss.load, 0)} / ${f(t.rss.after, 0)}`,
    t.stream ? (t.name === 'direct' ? `(${f(t.stream.ttfbP50, 3)})` : f(t.stream.addedTtfbP50, 3)) : (t.streamNote ?? 'n/a'),
    t.stream ? (t.name === 'direct' ? `(${f(t.stream.gapP50, 3)})` : f(t.stream.addedGapP50, 3)) : 'n/a',
  ]);
  return table(head, rows);
}

/** The 1,000-streams table. */
export function holdTable(hold) {
  return table(['target', 'streams', 'errors', 'all open after (ms)', 'all done after (ms)', 'RSS before / peak / after (MiB)'],
    hold.map((h) => [h.name, String(h.count), String(h.errors) + (h.errorSamples?.length ? ` (${h.errorSamples[0]})` : ''), f(h.openedMs, 0), f(h.durationMs, 0),
      h.name === 'direct' ? '—' : `${f(h.rssBefore, 0)} / ${f(h.rssPeak, 0)} / ${f(h.rssAfter, 0)}`]));
}

/** Targets of issue 5 vs measured values for the product. */
export function targetsTable(checks) {
  return table(['target (issue 5)', 'measured', 'met'], checks.map((c) => [c.target, c.measured, c.met == null ? '?' : c.met ? 'yes' : '**no**']));
}

/** Phases of the CPU profile. */
export function profileTable(p) {
  return table(['phase', 'µs / request', '% of busy CPU'], p.phases.map((r) => [r.phase, f(r.usPerRequest, 1), f(r.pctOfBusy, 1)]))
    + '\n\nTop self time:\n\n' + table(['function', 'µs / request', '%'], p.topSelf.map((r) => [`\`${r.fn}\``, f(r.usPerRequest, 1), f(r.pctOfBusy, 1)]));
}

export { f, int, pct };
