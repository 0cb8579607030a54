/** `GET /metrics`: the Prometheus scrape endpoint, for loopback peers or a caller with the admin token (else 403). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { ADMIN_HTTP } from '../admin/contract';
import type { GaugeSource, Metrics } from './metrics';

const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Mounts /metrics. `adminToken` (optional) lets a scraper on the LAN in: `x-admin-token` or `Authorization: Bearer`. */
export function mountMetrics(app: Express, metrics: Metrics, gauges: GaugeSource, adminToken: string | null): void {
  const want = adminToken ? createHash('sha256').update(adminToken).digest() : null;
  const tokenOk = (req: Request) => {
    const raw = req.headers[ADMIN_HTTP.tokenHeader] ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
    return !!want && typeof raw === 'string' && timingSafeEqual(createHash('sha256').update(raw).digest(), want);
  };
  app.get('/metrics', (req: Request, res: Response) => {
    // Why: per-key spend and traffic are the operator's business, not the LAN's.
    if (!LOOPBACK_PEERS.has(req.socket.remoteAddress ?? '') && !tokenOk(req)) {
      res.status(403).type('text/plain').send('metrics are served to loopback peers or with the admin token only\n');
      return;
    }
    res.setHeader('cache-control', 'no-store');
    res.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(gauges));
  });
}
