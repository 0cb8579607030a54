/** Runs a fake provider as its own process: `npx tsx test/fake-upstream/main.ts --port 0 [--api-key K] [--provider qwen]`. */
import { startFakeUpstream } from './server.js';
import type { FakeProviderId } from './wires/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const provider = (arg('--provider') ?? 'deepseek') as FakeProviderId;
const fake = await startFakeUpstream(provider, { port: Number(arg('--port') ?? 0), apiKey: arg('--api-key'), maxRecorded: 100 });
process.stdout.write(`listening on ${fake.baseUrl}\n`);
const stop = () => { fake.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
