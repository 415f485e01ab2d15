import { ChunkAccumulator, CHUNK_SAMPLES, floatTo16BitPCM, rmsLevel } from './pcm';

describe('floatTo16BitPCM', () => {
  it('maps full scale to the Int16 limits', () => {
    expect(Array.from(floatTo16BitPCM(new Float32Array([1, -1, 0])))).toEqual([32767, -32768, 0]);
  });

  it('clips samples outside -1..1 instead of wrapping around', () => {
    expect(Array.from(floatTo16BitPCM(new Float32Array([1.5, -3, 42])))).toEqual([32767, -32768, 32767]);
  });

  it('scales intermediate values and turns NaN into silence', () => {
    expect(Array.from(floatTo16BitPCM(new Float32Array([0.5, -0.5, Number.NaN])))).toEqual([16384, -16384, 0]);
  });
});

describe('rmsLevel', () => {
  it('is zero for silence and one for a full-scale square wave', () => {
    expect(rmsLevel(new Float32Array(128))).toBe(0);
    expect(rmsLevel(new Float32Array([1, -1, 1, -1]))).toBe(1);
  });
});

describe('ChunkAccumulator', () => {
  it('emits exactly one 100 ms chunk per 1600 samples across render quanta', () => {
    const acc = new ChunkAccumulator();
    const chunks: Int16Array[] = [];
    for (let i = 0; i < 25; i += 1) chunks.push(...acc.push(new Int16Array(128).fill(i)));
    expect(chunks).toHaveLength(Math.floor((25 * 128) / CHUNK_SAMPLES));
    expect(chunks[0]).toHaveLength(CHUNK_SAMPLES);
    expect(chunks[0]![0]).toBe(0);
    expect(chunks[1]![0]).toBe(12); // sample 1600 is in quantum 12 (1536..1663)
  });
});
