import { createContext } from 'svelte';
import { createSubscriber, SvelteMap } from 'svelte/reactivity';
import { getMeta, getRounds } from '$shared/doc';
import { setDeck, setSetting, type RoomSettings } from '$shared/meta';
import { DECKS, type Deck } from '$shared/poker/decks';
import { FACILITATOR_AWAY_MS, facilitatorChange, facilitatorKey, handOver, registerFacilitatorKey, takeOver, type FacilitatorChange } from '$shared/poker/facilitator';
import { activeRoundForItem, getRound, isSuperseded, roundsForItem } from '$shared/poker/history';
import { openRound, type OpenedRound } from '$shared/poker/opened';
import { allHaveVoted, autoRevealer, canReveal, votedCount, type PokerRole } from '$shared/poker/permissions';
import { revealStatement, signStatement, verifyStatement } from '$shared/poker/proof';
import { nextInQueue } from '$shared/poker/queue';
import { judgeReveal, type RevealVerdict } from '$shared/poker/revealVerdict';
import { readRound, type Round } from '$shared/poker/round';
import { acceptEstimate, cancelRound, revealRound, revote, startRound, startRounds } from '$shared/poker/rounds';
import { sealCard } from '$shared/poker/seal';
import { clearTable, presentRound, tableRoundId } from '$shared/poker/table';
import { castSealedVote, publishVoteKey, retractVote } from '$shared/poker/votes';
import { nextKeyStep } from '$shared/poker/keySteps';
import { readLocal, writeLocal } from '$lib/storage/local';
import type { RoomSession } from '$lib/room/RoomSession.svelte';
import { SigningKeys } from './SigningKeys';
import { VoteKeys } from './VoteKeys';

/** Someone present, as poker sees them (from awareness: untrusted, like all presence). */
export interface PokerPerson {
	userId: string;
	clientId: number;
	name: string;
	self: boolean;
	role: PokerRole;
	/** False for a view-only link: such a person cannot vote, so nobody waits for them. */
	canWrite: boolean;
	/** Their presence colour (a CSS colour from awareness; shown only as a border). */
	color: string | null;
	/** False while they count as present only because they left less than PRESENCE_GRACE_MS ago. */
	here: boolean;
}

const isRole = (value: unknown): value is PokerRole => value === 'voter' || value === 'spectator';

/**
 * How long someone who drops out of awareness is still counted as present (and waited for):
 * a reload, a network blip or a presence state that timed out (y-protocols drops states not
 * renewed for 30 s) must not let the round reveal without them.
 */
export const PRESENCE_GRACE_MS = 35_000;

/** What makes an opened round stale: the votes the revealer saw and the keys published. */
const openedKey = (round: Round) => `${round.id}\u0000${JSON.stringify(round.revealedVotes)}\u0000${JSON.stringify(round.keys)}`;

/**
 * Planning poker for one person in one room: reads rounds, the table and who is here through
 * subscribers (nothing of the document is copied into `$state`), opens revealed rounds
 * (decryption is async, so results are cached by what they depend on), and offers the actions
 * the panel calls. The duties that run without anyone clicking (publishing keys after a
 * reveal, auto-reveal, the timer) are in `duties.ts`, run by `PokerHost.svelte`.
 */
export class PokerView {
	readonly session: RoomSession;
	readonly keys: VoteKeys;
	readonly signing: SigningKeys;
	/** A round this person opened to pre-vote on; null follows the room's table. */
	picked = $state<string | null>(null);
	/** The table round this person closed for themselves (back to the backlog); null shows the table. */
	closed = $state<string | null>(null);
	/** This person's part, kept on this device per room and told to the others by awareness. */
	role = $state<PokerRole>('voter');
	/** The clock, ticked once a second by the host while a timer runs. */
	now = $state(Date.now());
	/** Why the last vote failed, for the panel to show; '' when none. */
	error = $state('');
	readonly #subscribeRounds: () => void;
	readonly #subscribeAwareness: () => void;
	readonly #opened = new SvelteMap<string, OpenedRound>();
	readonly #opening = new Set<string>();
	readonly #roleKey: string;
	/** People seen in this room, and since when they are gone (null while present). Plain data, read through `#presence`. */
	readonly #seen = new Map<string, { person: PokerPerson; goneSince: number | null }>();
	#presence = $state(0);
	/** When this app opened the room: someone never seen here has been away at least since then. */
	readonly #since = Date.now();
	/** Verdicts on reveals (judgeReveal), made once when this app first sees each reveal. */
	readonly #verdicts = new SvelteMap<string, RevealVerdict>();
	readonly #judging = new Set<string>();
	/** Rounds whose reveal was allowed: once allowed, always (keys may be out already). */
	readonly #allowed = new Set<string>();
	/** Rounds this app is revealing (signing is async): one reveal per round from here. */
	readonly #revealing = new Set<string>();

	constructor(session: RoomSession) {
		this.session = session;
		this.keys = new VoteKeys(session.link.roomId, session.origin.userId);
		this.signing = new SigningKeys(session.link.roomId, session.origin.userId);
		this.#roleKey = `refinery.pokerRole.${session.link.roomId}`;
		this.role = session.canEdit ? (readLocal(this.#roleKey, isRole) ?? 'voter') : 'spectator';
		this.#announceRole();
		const doc = session.doc;
		this.#subscribeRounds = createSubscriber((update) => {
			const rounds = getRounds(doc);
			const meta = getMeta(doc);
			rounds.observeDeep(update);
			meta.observe(update);
			return () => {
				rounds.unobserveDeep(update);
				meta.unobserve(update);
			};
		});
		const awareness = session.provider.awareness;
		this.#subscribeAwareness = createSubscriber((update) => {
			awareness.on('change', update);
			return () => awareness.off('change', update);
		});
		awareness.on('change', this.#remember);
		this.#remember();
	}

	/** Note who is here and who just left; wake readers when someone's grace runs out. */
	#remember = (): void => {
		const now = Date.now();
		const present = new Map(this.#present().map((p) => [p.userId, p]));
		for (const [id, person] of present) this.#seen.set(id, { person, goneSince: null });
		for (const [id, seen] of this.#seen) {
			if (present.has(id)) continue;
			seen.goneSince ??= now;
			const left = seen.goneSince + PRESENCE_GRACE_MS - now;
			if (left <= 0) this.#seen.delete(id);
			else setTimeout(this.#remember, left + 50);
		}
		this.#presence++;
	};

	get userId(): string {
		return this.session.origin.userId;
	}

	#announceRole(): void {
		this.session.provider.awareness.setLocalStateField('poker', { role: this.role, canWrite: this.session.canEdit });
	}

	/** Vote or watch; remembered on this device for this room. */
	setRole(role: PokerRole): void {
		this.role = this.session.canEdit ? role : 'spectator';
		writeLocal(this.#roleKey, this.role);
		this.#announceRole();
	}

	get settings(): RoomSettings {
		return this.session.meta.meta.settings;
	}

	get deck(): Deck {
		return this.session.meta.meta.deck ?? DECKS.fibonacci;
	}

	/** Every round of the room. */
	get rounds(): Round[] {
		this.#subscribeRounds();
		return [...getRounds(this.session.doc).values()].map(readRound);
	}

	/** The round on the room's table, following re-votes to the newest. */
	get tableRound(): Round | null {
		this.#subscribeRounds();
		const id = tableRoundId(this.session.doc);
		return id ? this.#latest(id) : null;
	}

	/** The round the panel shows: the one picked for pre-voting while it is open, else the table's. */
	get current(): Round | null {
		this.#subscribeRounds();
		const picked = this.picked ? this.#latest(this.picked) : null;
		return picked && (picked.status === 'voting' || picked.status === 'revealed') ? picked : this.tableRound;
	}

	/** A round, or the open round that re-voted it. */
	#latest(id: string): Round | null {
		const round = getRound(this.session.doc, id);
		if (!round) return null;
		if (!isSuperseded(roundsForItem(this.session.doc, round.itemId), round)) return round;
		return activeRoundForItem(this.session.doc, round.itemId) ?? round;
	}

	/** Open rounds, one per item (the one its table shows), oldest first. */
	get openRounds(): Round[] {
		const seen = new Set<string>();
		const open: Round[] = [];
		for (const round of this.rounds.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))) {
			if (seen.has(round.itemId)) continue;
			const active = activeRoundForItem(this.session.doc, round.itemId);
			if (active) {
				seen.add(round.itemId);
				open.push(active);
			}
		}
		return open;
	}

	/**
	 * Everyone present, each person once (this device first), including anyone who dropped out
	 * of presence less than PRESENCE_GRACE_MS ago.
	 */
	get people(): PokerPerson[] {
		this.#subscribeAwareness();
		void this.#presence;
		const present = this.#present();
		const gone = [...this.#seen.values()]
			.filter((s) => s.goneSince !== null && !present.some((p) => p.userId === s.person.userId))
			.map((s) => ({ ...s.person, self: false, here: false }));
		return [...present, ...gone].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
	}

	/** The people in awareness right now, each person once. */
	#present(): PokerPerson[] {
		const awareness = this.session.provider.awareness;
		const byUser = new Map<string, PokerPerson>();
		for (const [clientId, state] of awareness.getStates()) {
			const user = state.user as { id?: unknown; name?: unknown } | undefined;
			if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
			const poker = state.poker as { role?: unknown; canWrite?: unknown } | undefined;
			const self = clientId === awareness.clientID;
			const color = (user as { color?: unknown }).color;
			const person: PokerPerson = {
				userId: user.id,
				clientId,
				name: user.name.slice(0, 40),
				self,
				role: isRole(poker?.role) ? poker.role : 'voter',
				canWrite: poker?.canWrite === true,
				// Only a plain colour: the value comes from another client and goes into a style.
				color: typeof color === 'string' && /^#[0-9a-f]{3,8}$/i.test(color) ? color : null,
				here: true
			};
			const known = byUser.get(user.id);
			if (!known || self || (person.role === 'voter' && known.role !== 'voter' && !known.self)) byUser.set(user.id, person);
		}
		return [...byUser.values()];
	}

	/** The people a round waits for: present, able to write, and voting. */
	get voterIds(): string[] {
		return this.people.filter((p) => p.canWrite && p.role === 'voter').map((p) => p.userId);
	}

	/** A name for a user id: present people first, then the name stored with a vote. */
	nameOf(userId: string, round?: Round): string | null {
		return this.people.find((p) => p.userId === userId)?.name ?? round?.votes[userId]?.name ?? null;
	}

	votedCount(round: Round): number {
		return votedCount(round, this.voterIds);
	}

	get mayReveal(): boolean {
		return this.session.canEdit && canReveal(this.settings, this.userId);
	}

	get isFacilitator(): boolean {
		return this.settings.facilitator === this.userId;
	}

	/** Who may change the deck, the timer, anonymity and who reveals: the same people who may reveal. */
	get mayChangeRules(): boolean {
		return this.mayReveal;
	}

	/** The facilitator's name: present people first, then the name recorded when they got the role. */
	get facilitatorName(): string | null {
		const id = this.settings.facilitator;
		if (id === null) return null;
		this.#subscribeRounds();
		const change = facilitatorChange(this.session.doc);
		return this.nameOf(id) ?? (change?.to === id ? change.name : null);
	}

	/** The last change of facilitator (for the note in the room), or null. */
	get facilitatorChange(): FacilitatorChange | null {
		this.#subscribeRounds();
		return facilitatorChange(this.session.doc);
	}

	/**
	 * How long the facilitator has been away (ms), or 0 while here. Someone this app never saw has
	 * been away at least since it opened the room. Ticks with `now`.
	 */
	get facilitatorAwayFor(): number {
		const id = this.settings.facilitator;
		if (id === null) return 0;
		const person = this.people.find((p) => p.userId === id);
		if (person?.here) return 0;
		const since = this.#seen.get(id)?.goneSince ?? this.#since;
		return Math.max(0, this.now - since);
	}

	/** True when the facilitator has been away long enough that anyone present may take over. */
	get mayTakeOver(): boolean {
		return this.session.canEdit && !this.isFacilitator && this.settings.facilitator !== null && this.facilitatorAwayFor >= FACILITATOR_AWAY_MS;
	}

	/** Become the facilitator in place of one who is away (the UI asks for confirmation first). */
	async takeOver(): Promise<void> {
		const keys = await this.signing.ensure();
		const name = this.people.find((p) => p.self)?.name ?? '';
		takeOver(this.session.doc, { userId: this.userId, publicKey: keys.publicKey }, name, this.session.origin);
	}

	/** Hand the role to someone present (the UI asks for confirmation first). */
	handOver(userId: string): void {
		const name = this.nameOf(userId) ?? '';
		handOver(this.session.doc, { userId, name }, this.session.origin);
	}

	/** As the facilitator, make sure the room has this device's key, so others can check its reveals. */
	async registerKey(): Promise<void> {
		if (!this.isFacilitator || !this.session.canEdit) return;
		const keys = await this.signing.ensure();
		if (facilitatorKey(this.session.doc)?.publicKey === keys.publicKey || !this.isFacilitator) return;
		registerFacilitatorKey(this.session.doc, { userId: this.userId, publicKey: keys.publicKey }, this.session.origin);
	}

	/** How many reveals this app has judged; read by the duty that publishes keys, so it runs again when a verdict lands. */
	get judged(): number {
		return this.#verdicts.size;
	}

	/**
	 * Whether a revealed round's reveal was allowed by the room's rules, judged once when this app
	 * first sees it (null while judging, or while voting). Honest apps publish keys only for allowed
	 * reveals; a refused one is shown as such to everyone.
	 */
	verdict(round: Round): RevealVerdict | null {
		if (round.revealedVotes === null) return null;
		if (this.#allowed.has(round.id)) return { allowed: true };
		this.#subscribeRounds();
		const key = facilitatorKey(this.session.doc);
		const settings = this.settings;
		// A refusal is judged again only if the rules change (a key registered late, say): presence
		// is not part of it, so a voter leaving later does not turn an early reveal into an allowed one.
		const cacheKey = [round.id, round.revealedBy, round.revealProof, key?.publicKey, settings.revealPolicy, settings.facilitator].join('\u0000');
		const done = this.#verdicts.get(cacheKey);
		if (done) return done;
		if (!this.#judging.has(cacheKey)) {
			this.#judging.add(cacheKey);
			const presentVoters = this.voterIds;
			const now = Date.now();
			const proven =
				key && round.revealProof && (round.revealedBy === key.userId || round.revealedBy === 'auto')
					? verifyStatement(key.publicKey, revealStatement(round.id, round.revealedBy), round.revealProof)
					: Promise.resolve(false);
			void proven.then((proofValid) => {
				const verdict = judgeReveal(round, { settings, proofValid, presentVoters, now });
				if (verdict.allowed) this.#allowed.add(round.id);
				this.#verdicts.set(cacheKey, verdict);
			});
		}
		return null;
	}

	/** The card this person voted in a round, if this device sealed it ('' when voted elsewhere). */
	myCard(round: Round): string | null {
		const vote = round.votes[this.userId];
		if (!vote) return null;
		if (vote.kind === 'open') return vote.card;
		return this.keys.find(round.id, vote.commitment)?.card ?? '';
	}

	/** A revealed round opened, or null while it is being opened (or still voting). */
	opened(round: Round): OpenedRound | null {
		if (round.revealedVotes === null) return null;
		const key = openedKey(round);
		const done = this.#opened.get(key);
		if (done) return done;
		if (!this.#opening.has(key)) {
			this.#opening.add(key);
			void openRound(round).then(
				(opened) => this.#opened.set(key, opened),
				() => this.#opening.delete(key)
			);
		}
		return null;
	}

	// Actions: each is one transaction through a shared/ writer, with this session's origin.

	/** Start a round on an item and put it on the table (or show its open round). */
	start(itemId: string): void {
		const { doc, origin } = this.session;
		const active = activeRoundForItem(doc, itemId);
		doc.transact(() => {
			const id = active?.id ?? startRound(doc, { itemId, deck: this.deck, by: this.userId, anonymous: this.settings.anonymousRounds }, origin);
			presentRound(doc, id, origin);
		}, origin);
		this.picked = null;
		this.closed = null;
	}

	/** Start rounds on these items for pre-voting (the table does not change). */
	queue(itemIds: readonly string[]): number {
		return startRounds(this.session.doc, itemIds, { deck: this.deck, by: this.userId, anonymous: this.settings.anonymousRounds }, this.session.origin).length;
	}

	present(roundId: string): void {
		presentRound(this.session.doc, roundId, this.session.origin);
		this.picked = null;
		this.closed = null;
	}

	/** The round shown on this person's table: the picked or table round, unless they closed the table for themselves. */
	get shown(): Round | null {
		const round = this.current;
		if (!round || (round.status !== 'voting' && round.status !== 'revealed')) return null;
		return this.closed === round.id ? null : round;
	}

	/**
	 * Seal a card and cast it. The key is stored on this device before the vote goes out, so
	 * a vote never exists without its key.
	 */
	async vote(round: Round, card: string): Promise<void> {
		this.error = '';
		const { sealed, key } = await sealCard(card, { roundId: round.id, voterId: this.userId });
		if (!this.keys.keep(round.id, sealed.commitment, { key, card })) throw new Error('this device could not store the vote’s key');
		// An anonymous round stores no name with the vote.
		const name = round.anonymous ? undefined : this.people.find((p) => p.self)?.name;
		castSealedVote(this.session.doc, round.id, this.userId, sealed, this.session.origin, { name });
	}

	retract(round: Round): void {
		retractVote(this.session.doc, round.id, this.userId, this.session.origin);
	}

	/**
	 * Reveal a round. The facilitator's device signs the reveal, so every honest app can tell it
	 * from a forged one (revealVerdict.ts); the voters waited for are recorded, so one who did not
	 * vote shows as such.
	 */
	async reveal(round: Round, by: string = this.userId): Promise<void> {
		// Only the table's round waits for the people here (not those away); a pre-voted round never did.
		const here = this.people.filter((p) => p.here && p.canWrite && p.role === 'voter').map((p) => p.userId);
		const waitedFor = this.tableRound?.id === round.id ? here : undefined;
		if (this.#revealing.has(round.id)) return;
		this.#revealing.add(round.id);
		try {
			await this.#reveal(round, by, waitedFor);
		} catch (error) {
			this.#revealing.delete(round.id);
			throw error;
		}
	}

	async #reveal(round: Round, by: string, waitedFor: string[] | undefined): Promise<void> {
		const { doc, origin } = this.session;
		let proof: string | undefined;
		let publicKey: string | undefined;
		if (this.isFacilitator && this.session.canEdit) {
			const keys = await this.signing.ensure();
			proof = await signStatement(keys.privateKey, revealStatement(round.id, by));
			publicKey = keys.publicKey;
		}
		doc.transact(() => {
			if (publicKey && this.isFacilitator && facilitatorKey(doc)?.publicKey !== publicKey) {
				registerFacilitatorKey(doc, { userId: this.userId, publicKey }, origin);
			}
			// Someone else revealed while this device signed: theirs stands.
			if (getRound(doc, round.id)?.status !== 'voting') return;
			revealRound(doc, round.id, origin, Date.now(), by, { proof, waitedFor });
		}, origin);
	}

	revote(round: Round): void {
		const { doc, origin } = this.session;
		doc.transact(() => {
			const id = revote(doc, round.id, { by: this.userId }, origin);
			if (tableRoundId(doc) === round.id || this.tableRound?.itemId === round.itemId) presentRound(doc, id, origin);
		}, origin);
	}

	accept(round: Round, card: string): void {
		acceptEstimate(this.session.doc, round.id, card, this.session.origin);
	}

	/** The open round after this one in the queue (backlog order), or null. */
	nextAfter(round: Round): Round | null {
		return nextInQueue(
			this.session.backlog.rows.map((row) => row.id),
			this.openRounds.filter((r) => r.id !== round.id),
			round.itemId
		);
	}

	/** Accept the estimate and put the next queued round on the table (or clear it), in one transaction. */
	acceptAndNext(round: Round, card: string): void {
		const { doc, origin } = this.session;
		const next = this.nextAfter(round);
		doc.transact(() => {
			acceptEstimate(doc, round.id, card, origin);
			if (next) presentRound(doc, next.id, origin);
			else if (tableRoundId(doc) === round.id || this.tableRound?.id === round.id) clearTable(doc, origin);
		}, origin);
		this.picked = null;
		this.closed = null;
	}

	cancel(round: Round): void {
		cancelRound(this.session.doc, round.id, this.session.origin);
	}

	setSetting<K extends keyof RoomSettings>(key: K, value: RoomSettings[K]): void {
		setSetting(this.session.doc, key, value, this.session.origin);
	}

	setDeck(deck: Deck): void {
		setDeck(this.session.doc, deck, this.session.origin);
	}

	// Duties, called by the host's effects.

	/** Publish the keys of this person's votes in revealed rounds; forget keys no longer needed. */
	publishKeys(): void {
		if (!this.session.canEdit) return;
		const rounds = new Map(this.rounds.map((round) => [round.id, round]));
		for (const roundId of this.keys.rounds()) {
			const round = rounds.get(roundId);
			// Not synced yet (a round made offline elsewhere), or still voting: keep the keys.
			if (!round || round.status === 'voting') continue;
			// A reveal the room's rules did not allow (or one not judged yet): the key stays here.
			if (round.status !== 'cancelled' && this.verdict(round)?.allowed !== true) continue;
			const step = nextKeyStep(round, this.userId, (commitment) => this.keys.find(roundId, commitment), Date.now());
			if (step.kind === 'publish') publishVoteKey(this.session.doc, roundId, this.userId, step.key, this.session.origin);
			else if (step.kind === 'forget') this.keys.forget(roundId);
		}
	}

	/** Reveal the table's round when the room says so and this client is the one to do it. */
	autoReveal(): void {
		const round = this.tableRound;
		if (!round || round.status !== 'voting' || !this.session.canEdit) return;
		const me = this.session.provider.awareness.clientID;
		const revealer = autoRevealer(
			this.people.map((p) => ({ clientId: p.clientId, userId: p.userId, canWrite: p.canWrite })),
			this.settings.facilitator
		);
		if (revealer !== me) return;
		const timeUp = round.timerEndsAt !== null && this.now >= round.timerEndsAt;
		const allVoted = this.settings.revealPolicy === 'auto' && allHaveVoted(round, this.voterIds);
		if (timeUp || allVoted) void this.reveal(round, 'auto');
	}
}

export const [getPoker, setPoker] = createContext<PokerView>();
