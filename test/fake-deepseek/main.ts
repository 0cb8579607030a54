/** Runs the fake DeepSeek as its own process: `npx tsx test/fake-deepseek/main.ts --port 0 [--api-key K]`. */
import { startFakeDeepSeek } from './server.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const fake = await startFakeDeepSeek({ port: Number(arg('--port') ?? 0), apiKey: arg('--api-key'), maxRecorded: 100 });
process.stdout.write(`listening on ${fake.url}\n`);
const stop = () => { fake.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
