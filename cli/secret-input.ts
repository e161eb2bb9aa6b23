/**
 * A password from the person at the terminal, or from a script: on a terminal it is typed twice with echo off (the
 * prompts on stderr), and two entries that differ are refused; otherwise one line is read from stdin (for scripts
 * and tests: `printf '%s\n' "$PW" | plantkpi user passwd NAME ...`). Nothing here prints the password.
 */
import { CliError, UsageError } from '../config/errors.ts';

/** the fewest characters (code points) a portal password may have */
export const MIN_PASSWORD_CHARS = 8;

/** Where a secret comes from: the process's stdin, or a stand-in in tests. */
export interface SecretSource {
  /** stdin is a terminal: ask twice, echo off */
  isTTY: boolean;
  /** one line typed with echo off, after `prompt` on stderr (a terminal only) */
  readHidden(prompt: string): Promise<string>;
  /** the first line of stdin (without its \n or \r\n); '' for an empty stdin */
  readLine(): Promise<string>;
}

/** The process's stdin (and stderr for the prompts). */
export function stdinSecrets(input: NodeJS.ReadStream = process.stdin): SecretSource {
  return {
    isTTY: input.isTTY === true,
    readHidden: (prompt) => readHidden(input, prompt),
    readLine: () => readLine(input),
  };
}

/**
 * The new password: asked twice on a terminal (a mismatch refused), else one line from stdin; an empty one, or one
 * shorter than MIN_PASSWORD_CHARS, refused (UsageError, exit 2) with what is wrong. `who` names the user it is for.
 */
export async function newPassword(source: SecretSource, who: string): Promise<string> {
  let password: string;
  if (source.isTTY) {
    password = await source.readHidden(`${who} 的密码 Password: `);
    checkPassword(password);
    const again = await source.readHidden('再次输入 Again: ');
    if (again !== password)
      throw new UsageError('两次输入的密码不一致 the two passwords differ; nothing was changed, try again');
  } else {
    password = await source.readLine();
    checkPassword(password);
  }
  return password;
}

function checkPassword(password: string): void {
  if (password.length === 0)
    throw new UsageError(
      '密码为空 the password is empty (on a terminal, type it; from a script, give it as one line on stdin); nothing was changed',
    );
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS)
    throw new UsageError(
      `密码太短 the password is too short: ${chars} characters, at least ${MIN_PASSWORD_CHARS}; nothing was changed`,
    );
}

async function readLine(input: NodeJS.ReadStream): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  for await (const chunk of input) {
    text += chunk as string;
    if (text.includes('\n')) break; // the rest of stdin is not read
  }
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

/** One line from a terminal in raw mode, nothing echoed; Ctrl-C cancels (exit 1), backspace and Ctrl-U edit. */
function readHidden(input: NodeJS.ReadStream, prompt: string): Promise<string> {
  // echo off before the prompt shows: what is typed as soon as it shows is not echoed
  input.setRawMode(true);
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(text));
        if (ch === '\u0003')
          return finish(() => reject(new CliError('已取消 cancelled; nothing was changed')));
        if (ch === '\u0004') {
          if (text === '') return finish(() => resolve(''));
        } else if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch === '\u0015') text = '';
        else if (ch >= ' ') text += ch;
      }
    };
    input.on('data', onData);
  });
}
