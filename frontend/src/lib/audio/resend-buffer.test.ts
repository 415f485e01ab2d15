import { ResendBuffer } from './resend-buffer';

const chunk = (n: number) => new Uint8Array([n]).buffer;

describe('ResendBuffer', () => {
  it('numbers chunks from 0 upwards per buffer', () => {
    const buffer = new ResendBuffer(10);
    expect([buffer.add(chunk(1)).seq, buffer.add(chunk(2)).seq, buffer.add(chunk(3)).seq]).toEqual([0, 1, 2]);
  });

  it('forgets acknowledged chunks and keeps the rest', () => {
    const buffer = new ResendBuffer(10);
    [0, 1, 2, 3].forEach((n) => buffer.add(chunk(n)));
    buffer.ack(0);
    buffer.ack(2);
    expect(buffer.unacked().map((c) => c.seq)).toEqual([1, 3]);
  });

  it('resends unacknowledged chunks in seq order with their original data', () => {
    const buffer = new ResendBuffer(10);
    [10, 11, 12].forEach((n) => buffer.add(chunk(n)));
    buffer.ack(1);
    const resend = buffer.unacked();
    expect(resend.map((c) => c.seq)).toEqual([0, 2]);
    expect(resend.map((c) => new Uint8Array(c.data)[0])).toEqual([10, 12]);
  });

  it('is bounded: drops the oldest unacked chunks beyond capacity and counts them', () => {
    const buffer = new ResendBuffer(3);
    for (let n = 0; n < 5; n += 1) buffer.add(chunk(n));
    expect(buffer.size).toBe(3);
    expect(buffer.dropped).toBe(2);
    expect(buffer.unacked().map((c) => c.seq)).toEqual([2, 3, 4]);
    expect(buffer.add(chunk(5)).seq).toBe(5);
  });

  it('ignores acks for unknown or repeated seqs', () => {
    const buffer = new ResendBuffer(3);
    buffer.add(chunk(0));
    buffer.ack(7);
    buffer.ack(0);
    buffer.ack(0);
    expect(buffer.size).toBe(0);
  });

  it('resumes from the oldest unacknowledged chunk, or the next one when all were acked', () => {
    const buffer = new ResendBuffer(10);
    [0, 1, 2].forEach((i) => buffer.add(chunk(i)));
    buffer.ack(0);
    expect(buffer.resumeFrom).toBe(1);
    buffer.ack(1);
    buffer.ack(2);
    expect(buffer.resumeFrom).toBe(3);
  });
});
