/** The shape of one `gogogo` subcommand. cli.ts parses flags with node:util parseArgs (strict) and dispatches. */
import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../core';

export interface CliContext {
  /** Opens the core on the data dir (lazily: `--help` never touches the database). */
  core(): Core;
  /** Writes one line to stdout. */
  out(line: string): void;
}

export interface Command {
  /** Words after `gogogo`, e.g. ['deposit', 'claim']. */
  path: string[];
  /** One-line usage shown in help and on bad arguments, e.g. 'deposit claim <chainId> <txHash> --account <name>'. */
  usage: string;
  summary: string;
  /** Positional argument count [min, max]. */
  args: [number, number];
  options?: ParseArgsConfig['options'];
  /**
   * The audit action (`noun.verb`). By default a two-word command that is not a read (`key create` → key.create,
   * `credit add` → credit.add) is audited as its own words; `false` turns that off, a string renames it.
   */
  audit?: string | false;
  run(ctx: CliContext, args: string[], flags: Record<string, string | boolean | string[] | undefined>): Promise<void> | void;
}

/** A user error: printed to stderr as "gogogo: <message>" with exit code 2 (bad input) or 1 (failure). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) { super(message); this.name = 'CliError'; }
}

const READ_WORDS = new Set(['list', 'show', 'request', 'export', 'test', 'status']);

/** The audit action of a command, or null for reads (one-word commands: serve, balance, requests, audit, ...). */
export function commandAction(c: Command): string | null {
  if (c.audit !== undefined) return c.audit || null;
  if (c.path.length < 2 || READ_WORDS.has(c.path[c.path.length - 1])) return null;
  return c.path.join('.');
}
