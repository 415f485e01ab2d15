// Launch Debian's Chromium through playwright-core (no browser download needed).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function chromiumArgs(fakeAudioWav) {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
  ];
  if (fakeAudioWav) args.push(`--use-file-for-fake-audio-capture=${fakeAudioWav}`);
  return args;
}

export function launchBrowser(fakeAudioWav) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(fakeAudioWav) });
}
