/** `gogogo serve`: the headless gateway. Prints "listening on URL" (and "admin on URL") when ready. */
import type { Command } from './command';
import { CliError } from './command';
import { runGateway } from '../serve';

export const serveCommand: Command = {
  path: ['serve'], usage: 'serve [--host 127.0.0.1] [--port N] [--body-timeout-ms N]', summary: 'run the gateway (and the admin window at /admin on loopback)',
  args: [0, 0], options: { host: { type: 'string' }, port: { type: 'string' }, 'body-timeout-ms': { type: 'string' } },
  async run(ctx, _a, f) {
    const port = f.port === undefined ? undefined : Number(f.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new CliError(`--port must be an integer from 0 to 65535, got "${f.port}"`);
    const host = f.host as string | undefined;
    if (host !== undefined && !/^[0-9A-Za-z.:-]+$/.test(host)) throw new CliError(`--host "${host}" is not a host name or address`);
    // How long a request's headers and body may take to arrive; a client that trickles is cut off (default 60 s).
    const rawTimeout = f['body-timeout-ms'] ?? process.env.GOGOGO_BODY_TIMEOUT_MS;
    const bodyTimeoutMs = rawTimeout === undefined ? undefined : Number(rawTimeout);
    if (bodyTimeoutMs !== undefined && (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs < 1)) {
      throw new CliError(`--body-timeout-ms (or GOGOGO_BODY_TIMEOUT_MS) must be a positive whole number of milliseconds, got "${rawTimeout}"`);
    }
    const running = await runGateway(ctx.core(), { host, port, bodyTimeoutMs, log: (l) => ctx.out(l) });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (sig: string) => {
        if (stopping) { process.stderr.write(`gogogo: ${sig} again, exiting now\n`); process.exit(130); }
        stopping = true;
        process.stderr.write(`gogogo: ${sig} received, finishing in-flight requests…\n`);
        void running.close().then(resolve);
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
  },
};
