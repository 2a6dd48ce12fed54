/** Small helpers for benchmarks: medians and a timer. Our machines are noisy, so we quote medians. */

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at a quantile (0..1) of the values, nearest-rank. */
export function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Run `fn` `runs` times and return each run's milliseconds. */
export function timeRuns(runs: number, fn: () => void): number[] {
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		fn();
		out.push(performance.now() - start);
	}
	return out;
}

export function fmt(value: number, digits = 1): string {
	return value.toFixed(digits);
}
