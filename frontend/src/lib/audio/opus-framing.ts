// The `opus_packets` chunk format (docs/protocol.md, Audio encodings): each Opus packet as
// a 2-byte big-endian length then its bytes, several packets per `audio` chunk. A chunk
// never spans packets, so each one decodes on its own after a resend or a resume.

/** The largest single-frame Opus packet (RFC 6716); the server refuses longer records. */
export const MAX_PACKET_BYTES = 1275;
/** 100 ms per chunk, like the PCM path: five 20 ms packets. */
export const CHUNK_DURATION_US = 100_000;

export function frameOpusPackets(packets: readonly Uint8Array[]): ArrayBuffer {
  const total = packets.reduce((sum, packet) => sum + 2 + packet.byteLength, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const packet of packets) {
    if (packet.byteLength < 1 || packet.byteLength > MAX_PACKET_BYTES) {
      throw new RangeError(`an Opus packet of ${packet.byteLength} bytes cannot be framed`);
    }
    out[pos] = packet.byteLength >> 8;
    out[pos + 1] = packet.byteLength & 0xff;
    out.set(packet, pos + 2);
    pos += 2 + packet.byteLength;
  }
  return out.buffer;
}

/** Collects encoder packets into chunks of at least `CHUNK_DURATION_US` of audio. */
export class OpusChunker {
  private packets: Uint8Array[] = [];
  private durationUs = 0;

  /** Add one packet; returns a finished chunk once enough audio is collected. */
  push(packet: Uint8Array, durationUs: number): ArrayBuffer | null {
    this.packets.push(packet);
    this.durationUs += durationUs;
    return this.durationUs >= CHUNK_DURATION_US ? this.flush() : null;
  }

  /** Whatever is collected (the end of the call), or null when nothing is. */
  flush(): ArrayBuffer | null {
    if (this.packets.length === 0) return null;
    const chunk = frameOpusPackets(this.packets);
    this.packets = [];
    this.durationUs = 0;
    return chunk;
  }
}
