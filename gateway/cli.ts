/** The `gogogo` command line: `serve` and the admin subcommands (DESIGN.md, "Command line contract"). */
import { parseArgs } from 'node:util';
import { isOperatorError } from './admin/errors';
import { createCore, openCore, type Core } from './core';
import { resolveDataDir } from './paths';
import { CliError, commandAction, type Command } from './cli/command';
import { audited, osUser } from './audit/audited';
import { coreCommands } from './cli/core-commands';
import { dbCommands } from './cli/db-commands';
import { modelCommands } from './cli/model-commands';
import { serveCommand } from './cli/serve';
import { walletCommands } from './cli/wallet-commands';
import { teamCommands } from './cli/team-commands';

const commands: Command[] = [serveCommand, ...coreCommands, ...modelCommands, ...walletCommands, ...dbCommands, ...teamCommands];

function help(): string {
  return ['usage: gogogo <command> [--data-dir DIR]', '', ...commands.map((c) => `  gogogo ${c.usage}\n      ${c.summary}`), '',
    'Every command takes --data-dir DIR (or GOGOGO_DATA_DIR); default: the desktop app\'s data folder.'].join('\n');
}

/** Runs one command line; returns the exit code. Errors go to stderr, results to stdout. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') { process.stdout.write(help() + '\n'); return argv.length === 0 ? 2 : 0; }
  const cmd = commands.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!cmd) {
    const near = commands.filter((c) => c.path[0] === argv[0]).map((c) => `gogogo ${c.usage}`);
    process.stderr.write(`gogogo: unknown command "${argv.slice(0, 2).join(' ')}"${near.length ? `; did you mean:\n  ${near.join('\n  ')}` : '; run gogogo --help'}\n`);
    return 2;
  }
  let core: Core | null = null;
  try {
    const rest = argv.slice(cmd.path.length);
    if (rest.includes('--help') || rest.includes('-h')) { process.stdout.write(`usage: gogogo ${cmd.usage}\n  ${cmd.summary}\n`); return 0; }
    let parsed;
    try {
      // parseArgs reads "-1.5" as a short option; negative amounts are values, so shield them during parsing.
      const NEG = '\u0000neg:';
      const shielded = rest.map((a) => (/^-\d/.test(a) ? NEG + a.slice(1) : a));
      parsed = parseArgs({ args: shielded, allowPositionals: true, strict: true, options: { ...cmd.options, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } } });
      const unshield = (v: unknown) => (typeof v === 'string' && v.startsWith(NEG) ? '-' + v.slice(NEG.length) : v);
      parsed.positionals = parsed.positionals.map((p) => unshield(p) as string);
      for (const k of Object.keys(parsed.values)) (parsed.values as Record<string, unknown>)[k] = unshield((parsed.values as Record<string, unknown>)[k]);
    } catch (e) {
      throw new CliError(`${(e as Error).message.replace(/^TypeError \[.*?\]: /, '')}\nusage: gogogo ${cmd.usage}`);
    }
    const [min, max] = cmd.args;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new CliError(`expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${parsed.positionals.length}\nusage: gogogo ${cmd.usage}`);
    }
    const dataDir = resolveDataDir(parsed.values['data-dir'] as string | undefined);
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    // `--database-url` wins over GOGOGO_DATABASE_URL; with either, the ledger is that PostgreSQL database (opened now:
    // it is asynchronous), else the data dir's SQLite (opened on first use). `db` commands name their own databases.
    const databaseUrl = cmd.path[0] === 'db' ? null : (flags['database-url'] as string | undefined) ?? (process.env.GOGOGO_DATABASE_URL || null);
    if (databaseUrl) core = await openCore({ dataDir, databaseUrl, lease: cmd.path[0] === 'serve' });
    const ctx = { core: () => (core ??= createCore({ dataDir })), out: (l: string) => process.stdout.write(l + '\n') };
    const action = commandAction(cmd);
    // Every admin command that changes something goes through the same audit hook as the window's calls.
    if (action) await audited(ctx.core(), { origin: 'cli', actor: osUser() }, action, { args: parsed.positionals, fields: withoutDataDir(flags) }, () => cmd.run(ctx, parsed.positionals, flags));
    else await cmd.run(ctx, parsed.positionals, flags);
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    const known = err instanceof CliError || isOperatorError(err);
    process.stderr.write(`gogogo: ${known ? err.message : `unexpected error: ${err.message}`}\n`);
    return err instanceof CliError ? err.exitCode : known ? 1 : 70;
  } finally {
    if (cmd.path[0] !== 'serve') await (core as Core | null)?.close();
  }
}

function withoutDataDir(flags: Record<string, unknown>): Record<string, unknown> {
  const { 'data-dir': _d, 'database-url': _u, ...rest } = flags;
  return rest;
}

// Exit explicitly (pooled upstream sockets or RPC timers must not keep a finished command alive), but only once
// stdout has drained: a pipe takes 64 KiB at a time and exiting early would cut `--json` output short.
const code = await main(process.argv.slice(2));
process.stdout.write('', () => process.exit(code));
