// What the web app sends: Opus packets from WebCodecs where the browser can encode them,
// 16 kHz PCM otherwise (or when the page URL says `?audio=pcm`).
import { OpusChunker } from './opus-framing';
import { SAMPLE_RATE } from './pcm';

export interface AudioFormatDeclaration {
  encoding: 'linear16' | 'opus_packets';
  sample_rate: number;
  channels: 1;
}

export const PCM_FORMAT: AudioFormatDeclaration = { encoding: 'linear16', sample_rate: SAMPLE_RATE, channels: 1 };
export const OPUS_FORMAT: AudioFormatDeclaration = { encoding: 'opus_packets', sample_rate: SAMPLE_RATE, channels: 1 };

/** Mono 32 kbit/s speech in 20 ms packets: about 33 kbit/s per source with the framing. */
export const OPUS_ENCODER_CONFIG: AudioEncoderConfig = {
  codec: 'opus',
  sampleRate: SAMPLE_RATE,
  numberOfChannels: 1,
  bitrate: 32_000,
  opus: { frameDuration: 20_000 },
};

export interface EncodingEnvironment {
  encoder: Pick<typeof AudioEncoder, 'isConfigSupported'> | undefined;
  search: string;
}

function browserEnvironment(): EncodingEnvironment {
  return {
    encoder: typeof AudioEncoder === 'undefined' ? undefined : AudioEncoder,
    search: typeof location === 'undefined' ? '' : location.search,
  };
}

/** Opus when the browser's encoder supports our configuration, PCM otherwise. */
export async function chooseAudioFormat(env: EncodingEnvironment = browserEnvironment()): Promise<AudioFormatDeclaration> {
  if (new URLSearchParams(env.search).get('audio') === 'pcm' || !env.encoder) return PCM_FORMAT;
  try {
    const support = await env.encoder.isConfigSupported(OPUS_ENCODER_CONFIG);
    return support.supported ? OPUS_FORMAT : PCM_FORMAT;
  } catch {
    return PCM_FORMAT; // e.g. WebCodecs outside a secure context
  }
}

/** Takes the capture's 100 ms PCM16 chunks and sends them in the call's declared encoding. */
export interface AudioSender {
  push: (pcm: ArrayBuffer) => void;
  /** Send what is still collected; the sender is unusable afterwards. */
  close: () => void;
}

export function createAudioSender(format: AudioFormatDeclaration, send: (chunk: ArrayBuffer) => void): AudioSender {
  if (format.encoding === 'linear16') return { push: send, close: () => {} };
  return createOpusSender(send);
}

function createOpusSender(send: (chunk: ArrayBuffer) => void): AudioSender {
  const chunker = new OpusChunker();
  let timestampUs = 0;
  let closed = false;
  const encoder = new AudioEncoder({
    output: (packet) => {
      if (closed) return;
      const bytes = new Uint8Array(packet.byteLength);
      packet.copyTo(bytes);
      const chunk = chunker.push(bytes, packet.duration ?? 20_000);
      if (chunk) send(chunk);
    },
    // The call declared Opus and cannot switch: the transcript shows the silence.
    error: (error) => console.error('Opus encoder failed', error.message),
  });
  encoder.configure(OPUS_ENCODER_CONFIG);
  return {
    push: (pcm) => {
      if (closed || encoder.state !== 'configured') return;
      const frames = pcm.byteLength / 2;
      const data = new AudioData({ format: 's16', sampleRate: SAMPLE_RATE, numberOfFrames: frames, numberOfChannels: 1, timestamp: timestampUs, data: pcm });
      timestampUs += (frames * 1_000_000) / SAMPLE_RATE;
      encoder.encode(data);
      data.close();
    },
    close: () => {
      if (closed) return;
      closed = true;
      const rest = chunker.flush();
      if (rest) send(rest);
      if (encoder.state !== 'closed') encoder.close();
    },
  };
}
