/**
 * LocalAgreement-2 (Macháček et al., whisper_streaming): the growing audio of a turn is decoded again and again; a
 * word is committed once two consecutive hypotheses agree on it and on everything before it. Committed text is
 * append-only: it is sent as deltas and never taken back.
 */
export class LocalAgreement {
  private committed: string[] = [];
  private previous: string[] = [];

  /** Words committed so far, as decoded (punctuation and case kept). */
  get committedWords(): readonly string[] {
    return this.committed;
  }

  /** A new hypothesis of the whole turn; returns the words it commits (possibly none). */
  hypothesis(text: string): string[] {
    const words = wordsOf(text);
    const previous = this.previous;
    this.previous = words;
    // Both hypotheses must still agree with what is committed, or there is no common ground to extend.
    if (!agreesUpTo(previous, words, this.committed.length) || !agreesWith(words, this.committed)) return [];
    const fresh: string[] = [];
    for (let i = this.committed.length; i < Math.min(previous.length, words.length); i += 1) {
      if (normalize(previous[i] as string) !== normalize(words[i] as string)) break;
      fresh.push(words[i] as string);
    }
    this.committed = [...this.committed, ...fresh];
    return fresh;
  }

  /**
   * The final decode of the turn → the text to append after what is committed. When the final text still begins with
   * the committed words, that is its rest (and, when the final only adds punctuation to the last committed word, that
   * punctuation first: "country" + "."). When it does not (rare: later context changed an early word), the committed
   * words stay and only the final's words beyond their count follow. The final text itself goes out whole in `completed`.
   */
  finish(text: string): string {
    const words = wordsOf(text);
    const count = this.committed.length;
    const last = this.committed[count - 1];
    const finalLast = words[count - 1];
    const suffix = last !== undefined && finalLast !== undefined && finalLast.length > last.length && finalLast.startsWith(last) ? finalLast.slice(last.length) : '';
    const rest = words.slice(count);
    this.committed = [...this.committed, ...rest];
    this.previous = [];
    return suffix + deltaText(rest, count);
  }
}

/** Text of `words` to append after `before` committed words (a space between words, none at the very start). */
export function deltaText(words: readonly string[], before: number): string {
  if (words.length === 0) return '';
  return (before > 0 ? ' ' : '') + words.join(' ');
}

function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

/** Case and punctuation do not decide agreement ("Americans," and "Americans" are the same word). */
function normalize(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

function agreesUpTo(a: readonly string[], b: readonly string[], count: number): boolean {
  if (a.length < count || b.length < count) return false;
  for (let i = 0; i < count; i += 1) if (normalize(a[i] as string) !== normalize(b[i] as string)) return false;
  return true;
}

function agreesWith(words: readonly string[], committed: readonly string[]): boolean {
  return agreesUpTo(words, committed, committed.length);
}
