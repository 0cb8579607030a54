/**
 * The headless transport: each contract method is a POST to /admin/api/<method> with the admin token in a
 * header; pushed events arrive over one streamed fetch of /admin/api/events (not EventSource, which cannot
 * send headers, so the token never goes into a URL).
 */
import type { AdminBridge, AdminEvent, AdminEventPayloads, AdminResult } from '../../../gateway/admin/contract';

const API = '/admin/api/';
const TOKEN_HEADER = 'x-admin-token';
type Listener = (payload: unknown) => void;

async function post(token: string, method: string, req: unknown): Promise<AdminResult<unknown>> {
  let res: Response;
  try {
    res = await fetch(API + method, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body: JSON.stringify(req ?? {}) });
  } catch {
    return { ok: false, code: 'network', message: 'cannot reach the gateway: is `gogogo serve` still running?' };
  }
  try {
    return (await res.json()) as AdminResult<unknown>;
  } catch {
    return { ok: false, code: 'network', message: `the gateway answered HTTP ${res.status} without a result` };
  }
}

/** Reads the SSE stream, reconnecting with backoff; dispatches each event to its listeners. */
function streamEvents(token: string, dispatch: (event: string, data: unknown) => void): void {
  let delay = 1000;
  const connect = async () => {
    try {
      const res = await fetch(API + 'events', { headers: { [TOKEN_HEADER]: token, accept: 'text/event-stream' } });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) dispatch(event, data ? JSON.parse(data) : {});
        }
      }
    } catch { /* reconnect below */ }
    dispatch('connection', { reconnecting: true });
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 15_000);
  };
  void connect();
}

/** Builds the bridge over HTTP; method names come from the call site (a Proxy), types from the contract. */
export function createHttpBridge(token: string): AdminBridge {
  const listeners = new Map<string, Set<Listener>>();
  let started = false;
  const on = <E extends AdminEvent>(event: E, listener: (p: AdminEventPayloads[E]) => void) => {
    if (!started) { started = true; streamEvents(token, (e, d) => listeners.get(e)?.forEach((l) => l(d))); }
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener as Listener);
    return () => { set.delete(listener as Listener); };
  };
  return new Proxy({ on } as unknown as AdminBridge, {
    get: (target, name) => (name === 'on' ? target.on : name === 'then' ? undefined : (req: unknown) => post(token, String(name), req)),
  });
}
