import { frameOpusPackets, OpusChunker } from './opus-framing';

const packet = (...bytes: number[]) => new Uint8Array(bytes);

describe('frameOpusPackets', () => {
  it('writes each packet as a big-endian length then its bytes', () => {
    const chunk = frameOpusPackets([packet(0x48, 0x01), packet(0xfc)]);
    expect([...new Uint8Array(chunk)]).toEqual([0, 2, 0x48, 0x01, 0, 1, 0xfc]);
  });

  it('writes lengths over 255 in two bytes', () => {
    const chunk = new Uint8Array(frameOpusPackets([new Uint8Array(300).fill(7)]));
    expect([chunk[0], chunk[1], chunk.byteLength]).toEqual([1, 44, 302]);
  });

  it('refuses packets the server could not read', () => {
    expect(() => frameOpusPackets([new Uint8Array(0)])).toThrow(RangeError);
    expect(() => frameOpusPackets([new Uint8Array(1276)])).toThrow(RangeError);
  });
});

describe('OpusChunker', () => {
  it('gives a chunk once 100 ms of packets are collected, not before', () => {
    const chunker = new OpusChunker();
    const results = [1, 2, 3, 4, 5].map((n) => chunker.push(packet(n), 20_000));
    expect(results.slice(0, 4)).toEqual([null, null, null, null]);
    expect([...new Uint8Array(results[4]!)]).toEqual([0, 1, 1, 0, 1, 2, 0, 1, 3, 0, 1, 4, 0, 1, 5]);
  });

  it('starts the next chunk empty and flushes what is left at the end', () => {
    const chunker = new OpusChunker();
    [1, 2, 3, 4, 5, 6, 7].forEach((n) => chunker.push(packet(n), 20_000));
    expect([...new Uint8Array(chunker.flush()!)]).toEqual([0, 1, 6, 0, 1, 7]);
    expect(chunker.flush()).toBeNull();
  });
});
