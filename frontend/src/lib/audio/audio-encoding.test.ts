import { chooseAudioFormat, createAudioSender, OPUS_ENCODER_CONFIG, OPUS_FORMAT, PCM_FORMAT } from './audio-encoding';

const supporting = (supported: boolean) => ({ isConfigSupported: vi.fn(async () => ({ supported })) });

describe('chooseAudioFormat', () => {
  it('sends Opus packets when the browser can encode our configuration', async () => {
    const encoder = supporting(true);
    expect(await chooseAudioFormat({ encoder, search: '' })).toEqual(OPUS_FORMAT);
    expect(encoder.isConfigSupported).toHaveBeenCalledWith(OPUS_ENCODER_CONFIG);
  });

  it('falls back to PCM without WebCodecs, without Opus support, or when the check throws', async () => {
    expect(await chooseAudioFormat({ encoder: undefined, search: '' })).toEqual(PCM_FORMAT);
    expect(await chooseAudioFormat({ encoder: supporting(false), search: '' })).toEqual(PCM_FORMAT);
    const throwing = { isConfigSupported: vi.fn(async () => Promise.reject(new TypeError('insecure'))) };
    expect(await chooseAudioFormat({ encoder: throwing, search: '' })).toEqual(PCM_FORMAT);
  });

  it('sends PCM when the page address says ?audio=pcm', async () => {
    expect(await chooseAudioFormat({ encoder: supporting(true), search: '?call=1&audio=pcm' })).toEqual(PCM_FORMAT);
  });
});

interface FakeInit {
  output: (packet: { byteLength: number; duration: number | null; copyTo: (to: Uint8Array) => void }) => void;
}

class FakeAudioEncoder {
  static last: FakeAudioEncoder | null = null;
  state = 'unconfigured';
  readonly timestamps: number[] = [];
  constructor(readonly init: FakeInit) {
    FakeAudioEncoder.last = this;
  }
  configure() {
    this.state = 'configured';
  }
  encode(data: { timestamp: number; numberOfFrames: number }) {
    this.timestamps.push(data.timestamp);
    // 100 ms in: five 20 ms packets out, each one byte: the packet's index in this call
    for (let i = 0; i < data.numberOfFrames / 320; i += 1) {
      this.init.output({ byteLength: 1, duration: 20_000, copyTo: (to) => to.set([this.timestamps.length * 10 + i]) });
    }
  }
  close() {
    this.state = 'closed';
  }
}

class FakeAudioData {
  constructor(readonly init: { timestamp: number; numberOfFrames: number }) {}
  get timestamp() {
    return this.init.timestamp;
  }
  get numberOfFrames() {
    return this.init.numberOfFrames;
  }
  close() {}
}

describe('createAudioSender', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('passes PCM chunks through unchanged', () => {
    const sent: ArrayBuffer[] = [];
    const pcm = new ArrayBuffer(3200);
    createAudioSender(PCM_FORMAT, (chunk) => sent.push(chunk)).push(pcm);
    expect(sent).toEqual([pcm]);
  });

  it('encodes each 100 ms of PCM into one framed chunk of five packets, with exact timestamps', () => {
    vi.stubGlobal('AudioEncoder', FakeAudioEncoder);
    vi.stubGlobal('AudioData', FakeAudioData);
    const sent: number[][] = [];
    const sender = createAudioSender(OPUS_FORMAT, (chunk) => sent.push([...new Uint8Array(chunk)]));
    sender.push(new ArrayBuffer(3200));
    sender.push(new ArrayBuffer(3200));
    expect(FakeAudioEncoder.last!.timestamps).toEqual([0, 100_000]);
    expect(sent).toEqual([
      [0, 1, 10, 0, 1, 11, 0, 1, 12, 0, 1, 13, 0, 1, 14],
      [0, 1, 20, 0, 1, 21, 0, 1, 22, 0, 1, 23, 0, 1, 24],
    ]);
  });

  it('sends the packets still collected when it closes, then nothing more', () => {
    vi.stubGlobal('AudioEncoder', FakeAudioEncoder);
    vi.stubGlobal('AudioData', FakeAudioData);
    const sent: number[][] = [];
    const sender = createAudioSender(OPUS_FORMAT, (chunk) => sent.push([...new Uint8Array(chunk)]));
    sender.push(new ArrayBuffer(1280)); // 40 ms: two packets, not yet a chunk
    expect(sent).toEqual([]);
    sender.close();
    sender.push(new ArrayBuffer(3200));
    expect(sent).toEqual([[0, 1, 10, 0, 1, 11]]);
    expect(FakeAudioEncoder.last!.state).toBe('closed');
  });
});
