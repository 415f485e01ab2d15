/** 100 ms of 16 kHz mono audio: the size of one `audio` chunk. */
export const SAMPLE_RATE = 16_000;
export const CHUNK_SAMPLES = 1_600;

/** Convert Web Audio floats (-1..1) to signed 16-bit PCM, clipping out-of-range samples. */
export function floatTo16BitPCM(input: Float32Array): Int16Array {
  const output = new Int16Array(input.length);
  for (let i = 0; i < input.length; i += 1) {
    const raw = input[i] ?? 0;
    const sample = Number.isNaN(raw) ? 0 : Math.max(-1, Math.min(1, raw));
    output[i] = sample < 0 ? Math.round(sample * 0x8000) : Math.round(sample * 0x7fff);
  }
  return output;
}

/** Root-mean-square level of a block of samples (0..1), for the level meter. */
export function rmsLevel(input: Float32Array): number {
  if (input.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < input.length; i += 1) {
    const sample = input[i] ?? 0;
    sum += sample * sample;
  }
  return Math.sqrt(sum / input.length);
}

/** Collects render quanta (128 samples) into fixed-size Int16 chunks. */
export class ChunkAccumulator {
  private buffer: Int16Array;
  private filled = 0;

  constructor(private readonly chunkSamples: number = CHUNK_SAMPLES) {
    this.buffer = new Int16Array(chunkSamples);
  }

  /** Add samples; returns every chunk that became complete. */
  push(samples: Int16Array): Int16Array[] {
    const complete: Int16Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.chunkSamples - this.filled, samples.length - offset);
      this.buffer.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.chunkSamples) {
        complete.push(this.buffer);
        this.buffer = new Int16Array(this.chunkSamples);
        this.filled = 0;
      }
    }
    return complete;
  }
}
