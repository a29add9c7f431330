import type { PresenceBatch } from '../protocol/events.js';

/**
 * The net change of a room's members since its last announcement, for rooms whose presence is coalesced. A
 * nick that comes and goes within one batch is not mentioned; a chain of renames is one rename. A client
 * applies a batch as `left`, then `renamed`, then `joined` (docs/protocol.md), and these rules keep that order
 * right: a nick may leave and then be taken by a rename or a join within the same batch.
 */
export class PresenceDiff {
  private readonly joined = new Set<string>();
  private readonly left = new Set<string>();
  /** new nick → the nick it had at the last announcement */
  private readonly renamed = new Map<string, string>();

  get empty(): boolean {
    return this.joined.size === 0 && this.left.size === 0 && this.renamed.size === 0;
  }

  join(nick: string): void {
    if (!this.left.delete(nick)) this.joined.add(nick);
  }

  leave(nick: string): void {
    if (this.joined.delete(nick)) return;
    const original = this.renamed.get(nick);
    this.renamed.delete(nick);
    this.left.add(original ?? nick);
  }

  rename(from: string, to: string): void {
    if (this.joined.delete(from)) {
      this.joined.add(to);
      return;
    }
    const original = this.renamed.get(from) ?? from;
    this.renamed.delete(from);
    if (original === to) return; // renamed back: nothing to tell
    this.renamed.set(to, original);
  }

  /** The batch's lists, only those that are not empty. */
  changes(): Omit<PresenceBatch, 'room' | 'count'> {
    const changes: Omit<PresenceBatch, 'room' | 'count'> = {};
    if (this.joined.size > 0) changes.joined = [...this.joined];
    if (this.left.size > 0) changes.left = [...this.left];
    if (this.renamed.size > 0) changes.renamed = [...this.renamed].map(([to, from]) => ({ from, to }));
    return changes;
  }
}
