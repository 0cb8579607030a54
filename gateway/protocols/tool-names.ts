/**
 * Tool names the upstream accepts. OpenAI-style chat APIs allow `^[a-zA-Z0-9_-]{1,64}$`; MCP tools in agent
 * clients often have longer names (`mcp__server__a_very_long_tool_name…`). Such a name goes upstream as a 55-char
 * prefix + `_` + 8 hex of its SHA-256 (LiteLLM's scheme: stable, so prompt caches still hit) and comes back
 * under its original name.
 */
import { createHash } from 'node:crypto';

const MAX = 64;
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolNames {
  private readonly back = new Map<string, string>();

  /** The name to send upstream for a client tool name (the same name when it is already valid). */
  up(name: string): string {
    if (VALID.test(name)) return name;
    const safe = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX - 9);
    const short = `${safe}_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
    this.back.set(short, name);
    return short;
  }

  /** The client's name for a name the upstream used. */
  down(name: string): string {
    return this.back.get(name) ?? name;
  }
}
