/**
 * LocalAgreement-2 (Macháček et al., whisper_streaming): the growing audio of a turn is decoded again and again; text
 * is committed once two hypotheses agree on it and on everything before it. Committed text is append-only: it is sent
 * as deltas and never taken back.
 *
 * Agreement is on spelling, not on how Whisper split it into words: on a second or so of speech it often writes a
 * half-heard word in pieces ("Pass word in, correct." then "password incorrect", "Agent-law." then "Agent Log"), and
 * word-by-word agreement then waited for a third and fourth decode: the latest first deltas of bench/realtime.ts
 * (1.6 s after speech start, one session, 34 turns). So a hypothesis is compared as pieces (words, and hyphenated
 * words at their hyphens), and a run of pieces on one side agrees with a run on the other when both spell the same
 * letters ("pass"+"word" = "password"). A decode that comes back empty is no hypothesis at all: Whisper gave up on
 * that window, it did not hear silence in the middle of a turn.
 */
export class LocalAgreement {
  private committed: Piece[] = [];
  /** The spelling (keys) of the committed pieces, joined: what every later hypothesis must begin with. */
  private committedKey = '';
  private previous: Piece[] = [];

  /** Pieces committed so far, as decoded (punctuation and case kept). */
  get committedWords(): readonly string[] {
    return this.committed.map((piece) => piece.text);
  }

  /** A new hypothesis of the whole turn; returns the text it commits, as a delta to append ('' when none). */
  hypothesis(text: string): string {
    const pieces = piecesOf(text);
    if (pieces.length === 0) return '';
    const previous = this.previous;
    this.previous = pieces;
    const from = [afterKey(previous, this.committedKey), afterKey(pieces, this.committedKey)] as const;
    // Both hypotheses must still agree with what is committed, or there is no common ground to extend.
    if (from[0] === null || from[1] === null) return '';
    const fresh = agreedRuns(previous, from[0], pieces, from[1]).flat();
    return this.append(fresh);
  }

  /**
   * The final decode of the turn → the text to append after what is committed. When the final text still spells the
   * committed text first, that is its rest (and when the committed text ends inside one of its words, the rest of
   * that word comes first, without a space: "country" + "."). When it does not (rare: later context changed an early
   * word), the committed text stays and only the final's pieces beyond their count follow. The final text itself goes
   * out whole in `completed`.
   */
  finish(text: string): string {
    const pieces = piecesOf(text);
    const at = afterKeyWithin(pieces, this.committedKey);
    this.previous = [];
    if (at === null) return this.append(pieces.slice(this.committed.length));
    const { index, within } = at;
    if (within === 0) return punctuationAdded(this.committed.at(-1)?.text, pieces[index - 1]?.text) + this.append(pieces.slice(index));
    const split = pieces[index] as Piece;
    const tail = surfaceAfter(split.text, within);
    const rest = this.append(pieces.slice(index + 1));
    return tail + rest;
  }

  /** Commits `pieces` and returns them as delta text after what was committed before. */
  private append(pieces: readonly Piece[]): string {
    let text = '';
    for (const piece of pieces) {
      const last = this.committed.at(-1)?.text;
      const joined = last === undefined || last.endsWith('-');
      text += (joined ? '' : ' ') + piece.text;
      this.committed.push(piece);
      this.committedKey += piece.key;
    }
    return text;
  }
}

interface Piece {
  /** As decoded, punctuation and case kept; a hyphenated word's first part keeps its hyphen ("Call-"). */
  readonly text: string;
  /** What agreement compares: lower case, letters, digits and apostrophes only. */
  readonly key: string;
}

/** At most this many pieces on either side of one agreeing run: "in, correct" = "incorrect" is 2. */
const MAX_RUN_PIECES = 4;

function piecesOf(text: string): Piece[] {
  return text
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .flatMap((word) => word.split(/(?<=\p{L}-)(?=[\p{L}\p{N}])/u))
    .map((piece) => ({ text: piece, key: keyOf(piece) }));
}

/** Case and punctuation do not decide agreement ("Americans," and "Americans" are the same word). */
function keyOf(piece: string): string {
  return piece.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

/** Index of the first piece after the ones that spell `key` exactly, or null when the pieces do not begin so. */
function afterKey(pieces: readonly Piece[], key: string): number | null {
  const at = afterKeyWithin(pieces, key);
  return at !== null && at.within === 0 ? at.index : null;
}

/**
 * Where `key` ends in the pieces' spelling: after piece `index − 1` (within 0), or `within` key characters into
 * piece `index`. Null when the pieces do not spell `key` first.
 */
function afterKeyWithin(pieces: readonly Piece[], key: string): { index: number; within: number } | null {
  let spelled = 0;
  for (let index = 0; index < pieces.length; index += 1) {
    if (spelled === key.length) return { index, within: 0 };
    const pieceKey = (pieces[index] as Piece).key;
    const rest = key.slice(spelled);
    if (pieceKey.length > rest.length) return pieceKey.startsWith(rest) ? { index, within: rest.length } : null;
    if (!rest.startsWith(pieceKey)) return null;
    spelled += pieceKey.length;
  }
  return spelled === key.length ? { index: pieces.length, within: 0 } : null;
}

/**
 * The runs the two hypotheses agree on, in order, from `i` in `older` and `j` in `newer`, until they differ: each run
 * is the same spelling on both sides, given as the side that wrote it in fewer pieces (the newer one on a tie).
 */
function agreedRuns(older: readonly Piece[], i: number, newer: readonly Piece[], j: number): Piece[][] {
  const runs: Piece[][] = [];
  while (i < older.length && j < newer.length) {
    let [oldEnd, newEnd] = [i + 1, j + 1];
    let [oldKey, newKey] = [(older[i] as Piece).key, (newer[j] as Piece).key];
    while (oldKey !== newKey) {
      if (oldKey.startsWith(newKey) && newEnd < newer.length && newEnd - j < MAX_RUN_PIECES) newKey += (newer[newEnd++] as Piece).key;
      else if (newKey.startsWith(oldKey) && oldEnd < older.length && oldEnd - i < MAX_RUN_PIECES) oldKey += (older[oldEnd++] as Piece).key;
      else return runs;
    }
    runs.push(oldEnd - i < newEnd - j ? older.slice(i, oldEnd) : newer.slice(j, newEnd));
    [i, j] = [oldEnd, newEnd];
  }
  return runs;
}

/** What the final adds to the end of the last committed piece it spells alike ("country" → "country."), or ''. */
function punctuationAdded(committed: string | undefined, final: string | undefined): string {
  return committed !== undefined && final !== undefined && final.length > committed.length && final.startsWith(committed) ? final.slice(committed.length) : '';
}

/** `text` after its first `keyChars` key characters (the letters, digits and apostrophes keyOf keeps). */
function surfaceAfter(text: string, keyChars: number): string {
  const characters = Array.from(text);
  let seen = 0;
  for (let at = 0; at < characters.length; at += 1) {
    if (seen === keyChars) return characters.slice(at).join('');
    seen += keyOf(characters[at] as string).length;
  }
  return '';
}
