/**
 * For tests: a backup file edited as someone with a text editor (and the wit to recompute the checksum) would. The
 * end line's sha256 is computed again over the edited lines; its counts are kept.
 */
import { createHash } from 'node:crypto';

/** Applies `edit` to the lines before the end line, then seals the file again with their sha256. */
export function editBackup(text: string, edit: (lines: string[]) => string[]): string {
  const lines = text.trimEnd().split('\n');
  const end = JSON.parse(lines.pop() as string) as { sha256: string };
  const body = `${edit(lines).join('\n')}\n`;
  end.sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
  return `${body}${JSON.stringify(end)}\n`;
}

/** Edits the JSON of the one line `pick` chooses (by its parsed value), then seals the file again. */
export function editBackupLine(
  text: string,
  pick: (line: Record<string, unknown>) => boolean,
  edit: (line: Record<string, unknown>) => void,
): string {
  let found = 0;
  const out = editBackup(text, (lines) =>
    lines.map((l) => {
      const v = JSON.parse(l) as Record<string, unknown>;
      if (!pick(v)) return l;
      found++;
      edit(v);
      return JSON.stringify(v);
    }),
  );
  if (found !== 1) throw new Error(`editBackupLine: ${found} lines picked, expected 1`);
  return out;
}
