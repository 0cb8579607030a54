/**
 * The audit trail's store: append a row, read rows newest first with filters. Rows never change once written. On the
 * ledger's database (the reader: SQLite or the PostgreSQL every instance shares), so a fleet keeps one trail.
 */
import type { Reader } from '../ledger/reader';

export type AuditOrigin = 'window' | 'cli' | 'http-admin';

export interface AuditEntry {
  id: number; at: number; origin: AuditOrigin; actor: string;
  /** `noun.verb`, e.g. key.create. */
  action: string;
  /** What was acted on, as people see it (account name, key prefix, model id). */
  target: string | null;
  before: unknown; after: unknown;
}

export interface AuditFilter { action?: string; origin?: string; target?: string; fromMs?: number; toMs?: number; limit?: number; beforeId?: number }

export class AuditLog {
  constructor(private readonly db: Reader) {}

  /** Appends one row. `before`/`after` must already be redacted. */
  async record(e: Omit<AuditEntry, 'id'>): Promise<void> {
    const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
    await this.db.run('INSERT INTO audit_log (at, origin, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [e.at, e.origin, e.actor, e.action, e.target, json(e.before), json(e.after)]);
  }

  /** Rows newest first. `action` matches a whole action or a noun prefix ("key" → key.*); `target` is a substring. */
  async list(f: AuditFilter = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.action) { where.push('(action = ? OR action LIKE ?)'); args.push(f.action, `${f.action.replace(/[%_]/g, '')}.%`); }
    if (f.origin) { where.push('origin = ?'); args.push(f.origin); }
    if (f.target) { where.push("lower(coalesce(target, '')) LIKE ? ESCAPE '\\'"); args.push(`%${f.target.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`); }
    if (f.fromMs !== undefined) { where.push('at >= ?'); args.push(f.fromMs); }
    if (f.toMs !== undefined) { where.push('at < ?'); args.push(f.toMs); }
    if (f.beforeId !== undefined) { where.push('id < ?'); args.push(f.beforeId); }
    const sql = `SELECT id, at, origin, actor, action, target, before, after FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = await this.db.all<Omit<AuditEntry, 'before' | 'after'> & { before: string | null; after: string | null }>(sql, [...args, f.limit ?? 100]);
    return rows.map((r) => ({ ...r, before: r.before === null ? null : JSON.parse(r.before), after: r.after === null ? null : JSON.parse(r.after) }));
  }
}
