// What the rep's page puts on the wire: the WebSocket frames it sends, counted as they go.
// The web app sends Opus packets where the browser can encode them; headless Chromium can,
// so the journey's call declares `opus_packets` and must stay within the bandwidth target.
import assert from 'node:assert/strict';

const TARGET_KBPS_TWO_SIDED = 64;
const WINDOW_MS = 8000;

/** Count every frame the page sends on any WebSocket from now on. */
export function watchWire(page) {
  const wire = { binaryBytes: 0, textBytes: 0, audioEvents: 0, starts: [] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        wire.textBytes += Buffer.byteLength(payload);
        if (payload.includes('"call:start"')) wire.starts.push(payload);
        if (payload.includes('"audio"')) wire.audioEvents += 1;
      } else {
        wire.binaryBytes += payload.length;
      }
    });
  });
  return wire;
}

export const wireSteps = [
  {
    name: 'the two-sided call goes out as Opus packets within 64 kbit/s',
    async run(ctx) {
      const { wire } = ctx.state;
      const start = wire.starts.at(-1) ?? '';
      assert.match(start, /"encoding":"opus_packets"/, 'call:start did not declare opus_packets');
      const before = { ...wire };
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const seconds = WINDOW_MS / 1000;
      const audioKbps = ((wire.binaryBytes - before.binaryBytes) * 8) / 1000 / seconds;
      const allKbps = ((wire.binaryBytes + wire.textBytes - before.binaryBytes - before.textBytes) * 8) / 1000 / seconds;
      const chunksPerS = (wire.audioEvents - before.audioEvents) / seconds;
      ctx.log(`two sources: ${audioKbps.toFixed(1)} kbit/s of audio, ${allKbps.toFixed(1)} kbit/s with Socket.IO events (${chunksPerS.toFixed(1)} chunks/s)`);
      assert.ok(chunksPerS >= 15, `only ${chunksPerS} audio chunks per second from two sources`);
      // The target is on the audio (PCM sent 512 kbit/s of it); the events' envelope is logged.
      assert.ok(audioKbps <= TARGET_KBPS_TWO_SIDED, `${audioKbps.toFixed(1)} kbit/s of audio`);
    },
  },
];
