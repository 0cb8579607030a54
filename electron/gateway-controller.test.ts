import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AdminApi } from '../gateway/admin/contract';
import type { Core } from '../gateway/core';
import { GatewayController, type GatewayStatus } from './gateway-controller';

function fakes(opts: { failStart?: boolean } = {}) {
  const log: string[] = [];
  let n = 0;
  let release: () => void = () => {};
  const controller = new GatewayController({
    createCore: () => { const id = ++n; log.push(`core${id}`); return { id, events: new EventEmitter(), close: () => log.push(`close-core${id}`) } as unknown as Core; },
    runGateway: async (core) => {
      if (opts.failStart) throw new Error('listen EADDRINUSE 127.0.0.1:8787');
      const id = (core as unknown as { id: number }).id;
      return { url: `http://127.0.0.1:${8000 + id}`, adminUrl: null, close: () => new Promise<void>((r) => { log.push(`settling${id}`); release = () => { log.push(`closed${id}`); r(); }; }) };
    },
    createService: (core) => ({ core } as unknown as AdminApi),
    serve: { admin: false },
  });
  const states: GatewayStatus[] = [];
  controller.onState((s) => states.push(s.status));
  return { controller, log, states, settle: () => release() };
}

describe('gateway controller', () => {
  it('starts, pauses (waiting for in-flight requests to settle) and resumes on a fresh core', async () => {
    const { controller, log, states, settle } = fakes();
    await controller.start();
    expect(controller.state).toMatchObject({ status: 'running', url: 'http://127.0.0.1:8001' });
    expect(controller.service()).not.toBeNull();
    const paused = controller.pause();
    await Promise.resolve();
    expect(controller.service()).toBeNull();
    expect(controller.state.status).toBe('pausing');
    settle();
    await paused;
    expect(controller.state.status).toBe('paused');
    await controller.start();
    expect(controller.state.url).toBe('http://127.0.0.1:8002');
    expect(log).toEqual(['core1', 'settling1', 'closed1', 'core2']);
    expect(states).toEqual(['starting', 'running', 'pausing', 'paused', 'starting', 'running']);
  });

  it('attaches core listeners to each core and detaches them before it closes', async () => {
    const { controller, settle } = fakes();
    const seen: string[] = [];
    controller.onCore((core) => { const id = (core as unknown as { id: number }).id; seen.push(`on${id}`); return () => seen.push(`off${id}`); });
    await controller.start();
    const p = controller.pause(); await Promise.resolve(); settle(); await p;
    await controller.start();
    expect(seen).toEqual(['on1', 'off1', 'on2']);
  });

  it('runs operations one at a time and ignores start after close', async () => {
    const { controller, log, settle } = fakes();
    const started = controller.start();
    const closed = controller.close();
    await started; await Promise.resolve(); await Promise.resolve();
    settle();
    await closed;
    await controller.start();
    expect(controller.state.status).toBe('closed');
    expect(log).toEqual(['core1', 'settling1', 'closed1']);
  });

  it('reports a failed start, closing the half-built core', async () => {
    const { controller, log } = fakes({ failStart: true });
    await expect(controller.start()).rejects.toThrow(/EADDRINUSE/);
    expect(controller.state).toMatchObject({ status: 'failed', error: 'listen EADDRINUSE 127.0.0.1:8787' });
    expect(log).toEqual(['core1', 'close-core1']);
    await controller.close();
    expect(controller.state.status).toBe('closed');
  });
});
