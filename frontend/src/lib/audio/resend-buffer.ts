export interface PendingChunk {
  seq: number;
  data: ArrayBuffer;
}

/**
 * Per-source sequence numbers plus the chunks the server has not acknowledged yet.
 *
 * Bounded: when more than `capacity` chunks are unacknowledged (a long outage) the oldest
 * are dropped and counted, so memory stays flat. After a reconnect `unacked()` gives the
 * rest in seq order to resend; the server drops any seq it already has.
 */
export class ResendBuffer {
  private nextSeq = 0;
  private readonly pending = new Map<number, ArrayBuffer>();
  private droppedCount = 0;

  constructor(readonly capacity: number = 300) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  /** Assign the next seq to a chunk and keep it until acknowledged. */
  add(data: ArrayBuffer): PendingChunk {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    this.pending.set(seq, data);
    while (this.pending.size > this.capacity) {
      const oldest = this.pending.keys().next().value as number;
      this.pending.delete(oldest);
      this.droppedCount += 1;
    }
    return { seq, data };
  }

  ack(seq: number): void {
    this.pending.delete(seq);
  }

  /** Unacknowledged chunks, oldest first (Map keeps insertion = seq order). */
  unacked(): PendingChunk[] {
    return Array.from(this.pending, ([seq, data]) => ({ seq, data }));
  }

  get size(): number {
    return this.pending.size;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get next(): number {
    return this.nextSeq;
  }

  /** The oldest seq the server may not have: where a resumed stream picks up. */
  get resumeFrom(): number {
    const oldest = this.pending.keys().next().value as number | undefined;
    return oldest ?? this.nextSeq;
  }
}
