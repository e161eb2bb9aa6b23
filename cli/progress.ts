/**
 * Progress as it suits where it goes. The demo's steps report progress as a terminal would draw it: "\rtext" redraws
 * the current line, "\n" ends it. On a terminal that is passed through; into a log or a pipe (Io.isTTY not set) a
 * redrawn line is held back and only its last state is written, once, as a plain line: one line per bar, never a
 * run of \r updates in a file.
 */
import type { Io } from './args.ts';

export interface Progress {
  (text: string): void;
  /** writes a bar still held back (a step that ended without its "\n") */
  flush(): void;
}

export function progressTo(io: Io, write: (text: string) => void = io.out): Progress {
  if (io.isTTY) return Object.assign((t: string) => write(t), { flush: () => {} });
  let held: string | undefined;
  const flush = () => {
    if (held !== undefined && held !== '') write(`${held}\n`);
    held = undefined;
  };
  const progress = (text: string) => {
    // each piece: a redraw (after a \r), a line end, or plain text
    for (const part of text.split(/(\r|\n)/)) {
      if (part === '\r') held = '';
      else if (part === '\n') {
        if (held === undefined) write('\n');
        else flush();
      } else if (part !== '') {
        // text after a redraw continues that line, as on a terminal
        if (held === undefined) write(part);
        else held += part;
      }
    }
  };
  return Object.assign(progress, { flush });
}
