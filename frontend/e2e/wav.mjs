// Test audio for Chromium's fake microphone (which loops the file): speech synthesised by
// espeak-ng and resampled by sox to 16 kHz mono PCM16. The first sentence is a price objection;
// the others each carry one keyword, so the order of the keywords in a transcript shows whether
// any stretch of audio went missing (the no-gap check after a server restart).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const SENTENCES = [
  { text: 'I think your price is too expensive for us.', keyword: 'expensive' },
  { text: 'Let us talk about apples today.', keyword: 'apple' },
  { text: 'We saw an elephant at the zoo.', keyword: 'elephant' },
  { text: 'The garden is full of flowers.', keyword: 'garden' },
  { text: 'My brother plays the guitar.', keyword: 'guitar' },
  { text: 'We drove up to the mountains.', keyword: 'mountain' },
  { text: 'The ocean was very calm.', keyword: 'ocean' },
  { text: 'She is reading the newspaper.', keyword: 'reading' },
  { text: 'The coffee is still hot.', keyword: 'coffee' },
];
const LEAD_SILENCE_S = 0.6;
const GAP_SILENCE_S = 1.3;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw new Error(`${cmd} failed: ${result.error.message} (apt-get install espeak-ng sox)`);
  if (result.status !== 0) throw new Error(`${cmd} exited ${result.status}: ${result.stderr.slice(-300)}`);
  return result.stdout;
}

/** Write the looped test speech to dir/speech.wav; returns its path and length in seconds. */
export function writeSpeechWav(dir) {
  const parts = SENTENCES.map((sentence, index) => {
    const raw = join(dir, `s${index}-raw.wav`);
    const part = join(dir, `s${index}.wav`);
    run('espeak-ng', ['-v', 'en-us+f2', '-s', '150', '-w', raw, sentence.text]);
    const lead = index === 0 ? LEAD_SILENCE_S : 0;
    run('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', part, 'pad', String(lead), String(GAP_SILENCE_S)]);
    return part;
  });
  const wav = join(dir, 'speech.wav');
  run('sox', [...parts, wav]);
  const seconds = Number(run('soxi', ['-D', wav]).trim());
  return { wav, seconds };
}

/** Indexes (into SENTENCES) of the keywords found in the texts, in order. */
export function keywordSequence(texts) {
  const found = [];
  for (const text of texts) {
    const lower = text.toLowerCase();
    SENTENCES.forEach((sentence, index) => {
      if (lower.includes(sentence.keyword)) found.push(index);
    });
  }
  return found;
}

/** Sentences missing between consecutive keywords of the looped audio, and repeats. A
 * sentence whose keyword the recognizer never wrote in the whole call (misheard on every
 * loop) is no sign of lost audio and is not counted; it is reported as `unheard`. */
export function gapsIn(sequence) {
  const heard = new Set(sequence);
  const unheard = SENTENCES.map((_, index) => index).filter((index) => !heard.has(index));
  let missing = 0;
  let repeated = 0;
  for (let i = 1; i < sequence.length; i += 1) {
    const step = (sequence[i] - sequence[i - 1] + SENTENCES.length) % SENTENCES.length;
    if (step === 0) repeated += 1;
    for (let k = 1; k < step; k += 1) {
      if (heard.has((sequence[i - 1] + k) % SENTENCES.length)) missing += 1;
    }
  }
  return { missing, repeated, unheard };
}
