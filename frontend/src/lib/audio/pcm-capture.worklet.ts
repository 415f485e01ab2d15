// AudioWorklet: turns the 16 kHz Float32 input into 100 ms Int16 chunks plus a level.
import { ChunkAccumulator, floatTo16BitPCM, rmsLevel } from './pcm';

declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  abstract process(inputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

class PcmCaptureProcessor extends AudioWorkletProcessor {
  private readonly accumulator = new ChunkAccumulator();
  private levelSum = 0;
  private levelBlocks = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    this.levelSum += rmsLevel(channel);
    this.levelBlocks += 1;
    for (const chunk of this.accumulator.push(floatTo16BitPCM(channel))) {
      const level = this.levelSum / Math.max(1, this.levelBlocks);
      this.levelSum = 0;
      this.levelBlocks = 0;
      this.port.postMessage({ pcm: chunk.buffer, level }, [chunk.buffer]);
    }
    return true;
  }
}

registerProcessor('pcm-capture', PcmCaptureProcessor);
