/** Counted per kept packet on top of its JSON: the record, its id and its rooms. */
export const PACKET_OVERHEAD_BYTES = 200;

export interface KeptPacket {
  id: string;
  /**
   * The broadcast's target and excluded rooms. Arrays rather than the Sets of Socket.IO's BroadcastOptions, which
   * the buffer used to keep: a packet targets a room or two, and two Sets cost ~300 bytes per kept packet, every
   * broadcast kept for the whole recovery window (issue 24).
   */
  rooms: readonly string[];
  except: readonly string[];
  /** The event's arguments, the offset last (what a recovered client is sent again). */
  data: unknown[];
  emittedAt: number;
  bytes: number;
}

/**
 * The broadcasts kept for connection state recovery, oldest first, bounded in bytes as well as in time: when a
 * new packet would take the total over `maxBytes`, the oldest go first. Bytes are the packet's JSON length plus
 * PACKET_OVERHEAD_BYTES, an estimate of what it holds in memory, not an exact figure.
 */
export class RecoveryBuffer {
  private packets: KeptPacket[] = [];
  /** Index of the oldest kept packet; evicted ones before it are dropped from the array now and then. */
  private head = 0;
  private totalBytes = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.packets.length - this.head;
  }

  push(packet: Omit<KeptPacket, 'bytes'>): void {
    const bytes = JSON.stringify(packet.data).length + PACKET_OVERHEAD_BYTES;
    this.packets.push({ ...packet, bytes });
    this.totalBytes += bytes;
    while (this.totalBytes > this.maxBytes && this.size > 0) this.evictOldest();
    this.compact();
  }

  /** The packets after the one with id `offset`; undefined when that one is no longer kept (or never was). */
  after(offset: string): KeptPacket[] | undefined {
    for (let i = this.packets.length - 1; i >= this.head; i--) {
      if (this.packets[i]!.id === offset) return this.packets.slice(i + 1);
    }
    return undefined;
  }

  /** Drops the packets emitted before `threshold` (ms since the epoch). */
  dropOlderThan(threshold: number): void {
    while (this.size > 0 && this.packets[this.head]!.emittedAt < threshold) this.evictOldest();
    this.compact();
  }

  private evictOldest(): void {
    this.totalBytes -= this.packets[this.head]!.bytes;
    this.head++;
  }

  /** Shifting one element at a time copies the array; dropping the evicted half at once keeps pushes O(1). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.packets.length) {
      this.packets = this.packets.slice(this.head);
      this.head = 0;
    }
  }
}
