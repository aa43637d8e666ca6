/**
 * Line breaking for Chinese text mixed with Latin words and numbers: a line may break between any two
 * Chinese characters, never inside a Latin word or number, never before closing punctuation and never
 * after opening punctuation (the 行首/行尾禁则 of Chinese typesetting).
 */

const NOT_AT_LINE_START = new Set('，。、；：？！）》」』】〕〉’”…—·%‰,.;:?!)]}');
const NOT_AT_LINE_END = new Set('（《「『【〔〈‘“([{');
/** Runs that must stay together: Latin words, numbers, codes and the ASCII punctuation inside them. */
const UNBREAKABLE_RUN = /^[A-Za-z0-9@#&+\-_.,:/'"]+$/;

export type MeasureText = (text: string) => number;

/** Splits `text` into lines no wider than `maxWidth`; `\n` starts a new line. */
export function wrapText(text: string, maxWidth: number, measure: MeasureText): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, maxWidth, measure));
}

function wrapParagraph(paragraph: string, maxWidth: number, measure: MeasureText): string[] {
  const lines: string[] = [];
  let line = '';
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens(paragraph)) {
    const candidate = line === '' ? token.trimStart() : line + token;
    if (candidate === '') continue;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') flush();
    const rest = token.trimStart();
    if (measure(rest) <= maxWidth) {
      line = rest;
      continue;
    }
    // A token wider than the whole line (a very long code) is broken between characters.
    for (const character of rest) {
      if (line !== '' && measure(line + character) > maxWidth) flush();
      line += character;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

const BRACKET_PAIRS: Readonly<Record<string, string>> = { '（': '）', '(': ')', '《': '》', '【': '】' };
const SHORT_GROUP = 8;

/** A short bracketed aside, such as （负责人） in 法定代表人（负责人）, moves to the next line whole. */
function groupShortBrackets(units: readonly string[]): string[] {
  const grouped: string[] = [];
  for (let i = 0; i < units.length; i++) {
    const close = BRACKET_PAIRS[units[i]!];
    const end = close === undefined ? -1 : units.indexOf(close, i + 1);
    if (end > i && end - i <= SHORT_GROUP) {
      grouped.push(units.slice(i, end + 1).join(''));
      i = end;
    } else {
      grouped.push(units[i]!);
    }
  }
  return grouped;
}

/** The units a line may not break inside, with 禁则 punctuation glued to its neighbour. */
function tokens(paragraph: string): string[] {
  const units: string[] = [];
  for (const character of paragraph) {
    const previous = units.at(-1);
    if (previous !== undefined && UNBREAKABLE_RUN.test(previous) && UNBREAKABLE_RUN.test(character)) {
      units[units.length - 1] = previous + character;
    } else if (previous !== undefined && /^\s+$/.test(previous) && /\s/.test(character)) {
      units[units.length - 1] = previous + character;
    } else {
      units.push(character);
    }
  }
  const glued: string[] = [];
  let pendingOpen = '';
  for (const unit of groupShortBrackets(units)) {
    const last = glued.length - 1;
    if (pendingOpen === '' && last >= 0 && NOT_AT_LINE_START.has(unit[0]!)) {
      glued[last] += unit;
    } else if (NOT_AT_LINE_END.has(unit.at(-1)!)) {
      pendingOpen += unit;
    } else {
      glued.push(pendingOpen + unit);
      pendingOpen = '';
    }
  }
  if (pendingOpen !== '') glued.push(pendingOpen);
  return glued;
}
