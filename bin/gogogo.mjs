#!/usr/bin/env node
// The `gogogo` command. Runs the prebuilt CLI when `npm run build` produced one, else the TypeScript source via tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/gateway/cli.mjs', import.meta.url));
if (existsSync(built) && !process.env.GOGOGO_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../gateway/cli.ts', import.meta.url).href);
}
