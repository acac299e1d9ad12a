/**
 * Words into at most `maxLines` lines of at most `maxWidth` characters, balanced: the narrowest width that still
 * fits in the fewest lines, so two lines come out about equally long (as broadcast guidelines ask) instead of a
 * full line over a stub. Undefined when the words do not fit. Words are never broken here (see splitLongWords).
 */
export function wrapLines(words: readonly string[], maxWidth: number, maxLines: number): string[][] | undefined {
  const fewest = greedyWrap(words, maxWidth);
  if (!fewest || fewest.length > maxLines) return undefined;
  let narrow = Math.max(0, ...words.map(width));
  let wide = maxWidth;
  // The smallest width at which greedy wrapping still needs no more lines than at the full width.
  while (narrow < wide) {
    const middle = Math.floor((narrow + wide) / 2);
    const lines = greedyWrap(words, middle);
    if (lines && lines.length <= fewest.length) wide = middle;
    else narrow = middle + 1;
  }
  return greedyWrap(words, wide) ?? fewest;
}

/** Characters as a viewer counts them (code points, so an emoji or an accented letter is one). */
export function width(text: string): number {
  return [...text].length;
}

function greedyWrap(words: readonly string[], maxWidth: number): string[][] | undefined {
  const lines: string[][] = [];
  let current: string[] = [];
  let currentWidth = 0;
  for (const word of words) {
    const wordWidth = width(word);
    if (wordWidth > maxWidth) return undefined;
    if (current.length > 0 && currentWidth + 1 + wordWidth <= maxWidth) {
      current.push(word);
      currentWidth += 1 + wordWidth;
    } else {
      if (current.length > 0) lines.push(current);
      current = [word];
      currentWidth = wordWidth;
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}
