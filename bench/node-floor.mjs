#!/usr/bin/env node
/**
 * The Node floor: a minimal pass-through proxy (no parsing, no auth, no ledger) that pipes each request to
 * the upstream through one keep-alive agent and pipes the answer back. Whatever a Node gateway adds on
 * top of this is its own work. Usage: node bench/node-floor.mjs --upstream http://127.0.0.1:PORT [--port N]
 * Prints "listening on http://127.0.0.1:PORT" when ready.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { upstream: { type: 'string' }, port: { type: 'string', default: '0' } } });
if (!values.upstream) { process.stderr.write('node-floor: --upstream URL is required\n'); process.exit(2); }
const upstream = new URL(values.upstream);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'proxy-connection', 'upgrade', 'te', 'trailer']);

function strip(headers) {
  const out = {};
  for (const k in headers) if (!HOP.has(k)) out[k] = headers[k];
  return out;
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const up = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: strip(req.headers), agent }, (ur) => {
    res.writeHead(ur.statusCode ?? 502, strip(ur.headers));
    ur.pipe(res);
  });
  up.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); else res.destroy(); });
  res.on('close', () => { if (!res.writableFinished) up.destroy(); });
  req.pipe(up);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
const stop = () => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
