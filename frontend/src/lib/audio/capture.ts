import { SAMPLE_RATE } from './pcm';
import workletUrl from './pcm-capture.worklet.ts?worker&url';

export interface CaptureHandlers {
  /** One 100 ms chunk of PCM16LE mono at 16 kHz. */
  onChunk: (pcm: ArrayBuffer) => void;
  /** Mean RMS level (0..1) of that chunk. */
  onLevel: (level: number) => void;
  /** The track ended (device unplugged, tab sharing stopped). */
  onEnded?: () => void;
}

export interface Capture {
  stop: () => void;
}

/** Ask for the microphone; the deviceId comes from the mic picker. */
export function openMicrophone(deviceId?: string): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: {
      deviceId: deviceId ? { exact: deviceId } : undefined,
      channelCount: 1,
      echoCancellation: true,
      noiseSuppression: true,
    },
  });
}

/** Ask to share a meeting tab with its audio: the prospect's side of the call. */
export async function openTabAudio(): Promise<MediaStream> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ audio: true, video: true });
  stream.getVideoTracks().forEach((track) => track.stop());
  if (stream.getAudioTracks().length === 0) {
    throw new Error('The shared tab has no audio. Tick "Share tab audio" when choosing it.');
  }
  return new MediaStream(stream.getAudioTracks());
}

export async function listMicrophones(): Promise<MediaDeviceInfo[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'audioinput');
}

/** Run a stream through a 16 kHz AudioContext and the PCM worklet. */
export async function startCapture(stream: MediaStream, handlers: CaptureHandlers): Promise<Capture> {
  const context = new AudioContext({ sampleRate: SAMPLE_RATE });
  await context.audioWorklet.addModule(workletUrl);
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'pcm-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  node.port.onmessage = (event: MessageEvent<{ pcm: ArrayBuffer; level: number }>) => {
    handlers.onChunk(event.data.pcm);
    handlers.onLevel(event.data.level);
  };
  source.connect(node);
  const ended = () => handlers.onEnded?.();
  stream.getAudioTracks().forEach((track) => track.addEventListener('ended', ended));
  return {
    stop: () => {
      node.port.onmessage = null;
      source.disconnect();
      node.disconnect();
      stream.getTracks().forEach((track) => track.stop());
      void context.close();
    },
  };
}
