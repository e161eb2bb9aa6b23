/** The new password: asked twice on a terminal, one line from a script; empty, short or mismatched ones refused. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../config/errors.ts';
import { MIN_PASSWORD_CHARS, newPassword, type SecretSource } from './secret-input.ts';

/** a terminal answering each prompt in turn, or a pipe holding `line` */
function tty(...answers: string[]): SecretSource & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    isTTY: true,
    prompts,
    readHidden: async (p) => {
      prompts.push(p);
      const a = answers.shift();
      if (a === undefined) throw new Error('asked once too often');
      return a;
    },
    readLine: async () => {
      throw new Error('a terminal is not read by line');
    },
  };
}
const pipe = (line: string): SecretSource => ({
  isTTY: false,
  readHidden: async () => {
    throw new Error('a pipe is not prompted');
  },
  readLine: async () => line,
});

async function refused(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
}

describe('newPassword', () => {
  it('on a terminal: asked twice (密码 Password, 再次输入 Again), the same twice is taken', async () => {
    const t = tty('correct horse', 'correct horse');
    expect(await newPassword(t, 'wang.sj')).toBe('correct horse');
    expect(t.prompts).toEqual(['wang.sj 的密码 Password: ', '再次输入 Again: ']);
  });

  it('on a terminal: two entries that differ are refused', async () => {
    expect(await refused(newPassword(tty('correct horse', 'correct hose'), 'u'))).toMatch(
      /^两次输入的密码不一致 the two passwords differ/,
    );
  });

  it('a short one is refused at once, before it is asked again', async () => {
    const t = tty('short', 'short');
    expect(await refused(newPassword(t, 'u'))).toBe(
      `密码太短 the password is too short: 5 characters, at least ${MIN_PASSWORD_CHARS}; nothing was changed`,
    );
    expect(t.prompts).toHaveLength(1);
  });

  it('from a pipe: the line is the password; empty and short ones refused', async () => {
    expect(await newPassword(pipe(' spaces kept '), 'u')).toBe(' spaces kept ');
    expect(await refused(newPassword(pipe(''), 'u'))).toMatch(/^密码为空 the password is empty/);
    expect(await refused(newPassword(pipe('1234567'), 'u'))).toMatch(/too short: 7 characters, at least 8/);
    // characters, not bytes: eight CJK characters are enough, seven are not
    expect(await newPassword(pipe('密码密码密码密码'), 'u')).toBe('密码密码密码密码');
    expect(await refused(newPassword(pipe('密码密码密码密'), 'u'))).toMatch(/7 characters/);
  });
});
