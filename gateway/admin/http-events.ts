/** Server-Sent Events for the headless window: the core's pushed events, one `event:` per contract event. */
import type { Request, Response } from 'express';
import type { Core } from '../core';
import { adminEvents, type AdminEvent } from './contract';

const HEARTBEAT_MS = 15_000;

/** Streams `usage:changed` and `alert` to one client until it disconnects. */
export function serveEvents(core: Core, req: Request, res: Response): void {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n: connected\n\n');
  const send = (event: AdminEvent, payload: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(payload ?? {})}\n\n`);
  const listeners = adminEvents.map((e) => [e, (p?: unknown) => send(e, p)] as const);
  for (const [e, l] of listeners) core.events.on(e, l as () => void);
  const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  beat.unref();
  req.on('close', () => {
    clearInterval(beat);
    for (const [e, l] of listeners) core.events.off(e, l as () => void);
  });
}
