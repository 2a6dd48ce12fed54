import { readLocal, writeLocal } from '$lib/storage/local';

const SOUND_KEY = 'refinery.pokerSound';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** Whether this device plays the facilitator's sound (opt-in, off by default). */
export function soundWanted(): boolean {
	return readLocal(SOUND_KEY, isBoolean) ?? false;
}

export function setSoundWanted(on: boolean): void {
	writeLocal(SOUND_KEY, on);
}

/**
 * The facilitator's gentle cue that everyone has voted: the page title gains a mark (seen from
 * another tab), and, when this device opted in, a short soft tone through WebAudio. Nothing is
 * loaded: the tone is made on the spot.
 */
export class VotedCue {
	#on = false;
	#base = '';

	/** Show (or take back) the cue. */
	set(on: boolean, label: string): void {
		if (on === this.#on) return;
		this.#on = on;
		if (on) {
			this.#base = document.title;
			document.title = `✓ ${label} · ${this.#base}`;
			if (soundWanted()) playTone();
		} else if (document.title.startsWith('✓ ')) {
			document.title = this.#base || document.title.replace(/^✓ [^·]*· /, '');
		}
	}
}

/** A soft two-note chime, quiet and short (WebAudio); silent where audio is not allowed. */
function playTone(): void {
	try {
		const audio = new AudioContext();
		const gain = audio.createGain();
		gain.connect(audio.destination);
		gain.gain.setValueAtTime(0.0001, audio.currentTime);
		gain.gain.exponentialRampToValueAtTime(0.08, audio.currentTime + 0.02);
		gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.6);
		for (const [frequency, at] of [
			[660, 0],
			[880, 0.15]
		]) {
			const tone = audio.createOscillator();
			tone.type = 'sine';
			tone.frequency.value = frequency;
			tone.connect(gain);
			tone.start(audio.currentTime + at);
			tone.stop(audio.currentTime + 0.6);
		}
		setTimeout(() => void audio.close(), 1000);
	} catch {
		// No audio here (a policy, no device): the title is the cue.
	}
}
