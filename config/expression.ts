/**
 * Virtual meter expressions: a linear combination of signals, e.g. `E-MAIN - E-SUB1 - 0.5 * E-SHARED`.
 * Operators (+, -, *) stand between spaces, since ids may contain '-'.
 */
export interface Term {
  signal: string;
  coefficient: number;
}

export function parseExpression(text: string): Term[] {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) throw new Error('empty expression');
  const terms: Term[] = [];
  let i = 0;
  let sign = 1;
  if (tokens[0] === '-' || tokens[0] === '+') {
    sign = tokens[0] === '-' ? -1 : 1;
    i = 1;
  }
  for (;;) {
    const { term, next } = parseTerm(tokens, i);
    terms.push({ signal: term.signal, coefficient: sign * term.coefficient });
    i = next;
    if (i >= tokens.length) break;
    const op = tokens[i];
    if (op !== '+' && op !== '-') throw new Error(`expected + or - at '${op}' (put spaces around operators)`);
    sign = op === '-' ? -1 : 1;
    i += 1;
    if (i >= tokens.length) throw new Error(`expression ends with '${op}'`);
  }
  return terms;
}

function parseTerm(tokens: string[], start: number): { term: Term; next: number } {
  const a = tokens[start]!;
  if (isNumber(a)) {
    if (tokens[start + 1] !== '*' || tokens[start + 2] === undefined) {
      throw new Error(`expected 'NUMBER * SIGNAL' at '${a}'`);
    }
    return { term: { signal: checkId(tokens[start + 2]!), coefficient: Number(a) }, next: start + 3 };
  }
  if (tokens[start + 1] === '*') {
    const b = tokens[start + 2];
    if (b === undefined || !isNumber(b)) throw new Error(`expected a number after '${a} *'`);
    return { term: { signal: checkId(a), coefficient: Number(b) }, next: start + 3 };
  }
  return { term: { signal: checkId(a), coefficient: 1 }, next: start + 1 };
}

function isNumber(t: string): boolean {
  return /^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t);
}

function checkId(t: string): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(t) || /^[-+*]$/.test(t)) throw new Error(`'${t}' is not a signal id`);
  return t;
}
