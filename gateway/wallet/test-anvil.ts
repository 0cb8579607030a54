/** Test support (not shipped code): a real anvil node on a free port, test tokens, and a wallet on a temp database. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createTestClient, getAddress, http, publicActions, walletActions, type Address, type Hex } from 'viem';
import { foundry } from 'viem/chains';
import { openDatabase, type Sqlite } from '../ledger/db';
import { Ledger } from '../ledger/ledger';
import { createWallet, type Wallet, type WalletOptions } from './index';

const here = path.dirname(new URL(import.meta.url).pathname);
/** The TestToken artifact (reference/snippets): mint(to, v), transfer, decimals from the constructor. */
export const TOKEN = JSON.parse(fs.readFileSync(path.resolve(here, '../../test/fixtures/TestToken.json'), 'utf8')) as { abi: any[]; bytecode: Hex };

export interface Anvil { url: string; port: number; proc: ChildProcess; stop(): Promise<void> }

function anvilBinary(): string {
  const req = createRequire(import.meta.url);
  try {
    const dir = path.dirname(req.resolve(`@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}/package.json`));
    const bin = path.join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
    if (fs.existsSync(bin)) return bin;
  } catch { /* fall back to the npm wrapper */ }
  return path.resolve(here, '../../node_modules/.bin/anvil');
}

/** Starts anvil (port 0 = any free port) and resolves once it listens. */
export function startAnvil(port = 0, args: string[] = []): Promise<Anvil> {
  const proc = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`anvil did not start: ${out}`)); }, 15_000);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`anvil exited (${code}): ${out}`)); });
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout!.off('data', onData);
      proc.stdout!.resume();
      proc.removeAllListeners('exit');
      const p = Number(m[1]);
      resolve({
        url: `http://127.0.0.1:${p}`, port: p, proc,
        stop: () => new Promise<void>((res) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return res();
          proc.once('exit', () => res());
          proc.kill('SIGINT');
        }),
      });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  });
}

/** A test client (anvil mode) with public and wallet actions, no caching. */
export function chainClient(url: string) {
  return createTestClient({ chain: foundry, mode: 'anvil', transport: http(url), cacheTime: 0 }).extend(publicActions).extend(walletActions);
}
export type ChainClient = ReturnType<typeof chainClient>;

/** Deploys a TestToken from `account` and waits for it. */
export async function deployToken(c: ChainClient, account: Address, name: string, symbol: string, decimals: number): Promise<Address> {
  const hash = await c.deployContract({ abi: TOKEN.abi, bytecode: TOKEN.bytecode, args: [name, symbol, decimals], account, chain: foundry });
  return getAddress((await c.waitForTransactionReceipt({ hash })).contractAddress!);
}

/** Sends a token transfer from `from` and returns the mined receipt (anvil automines one block per tx). */
export async function transfer(c: ChainClient, token: Address, from: Address, to: Address, value: bigint) {
  const hash = await c.writeContract({ address: token, abi: TOKEN.abi, functionName: 'transfer', args: [to, value], account: from, chain: foundry });
  return c.waitForTransactionReceipt({ hash });
}

export async function mint(c: ChainClient, token: Address, from: Address, to: Address, value: bigint): Promise<void> {
  const hash = await c.writeContract({ address: token, abi: TOKEN.abi, functionName: 'mint', args: [to, value], account: from, chain: foundry });
  await c.waitForTransactionReceipt({ hash });
}

export interface WalletHarness { dir: string; sqlite: Sqlite; ledger: Ledger; wallet: Wallet; alerts: Array<{ kind: string; message: string }>; close(): Promise<void> }

/** A wallet on a fresh temp data dir with the real migrations. */
export function openWallet(opts: WalletOptions = {}, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-wallet-'))): WalletHarness {
  const sqlite = openDatabase({ dataDir: dir });
  const ledger = new Ledger(sqlite);
  const alerts: WalletHarness['alerts'] = [];
  const wallet = createWallet({ sqlite, ledger, alert: (kind, message) => alerts.push({ kind, message }), pollIntervalMs: 100, maxBackoffMs: 400, rpcTimeoutMs: 2000, ...opts });
  return { dir, sqlite, ledger, wallet, alerts, close: async () => { await wallet.stop(); sqlite.close(); } };
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** anvil's unlocked dev accounts, checksummed. */
export async function accounts(c: ChainClient): Promise<Address[]> {
  return (await c.getAddresses()).map((a) => getAddress(a));
}
