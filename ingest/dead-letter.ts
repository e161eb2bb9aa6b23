/** A dead-letter file: one JSON object per line, with what was refused, where it came from and why. */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface DeadLetter {
  source: string;
  reason: string;
  /** e.g. the MQTT topic or the OPC UA node */
  origin?: string;
  /** the payload as text (UTF-8) or base64 when it is not text; cut at 64 KiB */
  payload?: Buffer | string;
}

const MAX_PAYLOAD = 64 * 1024;

export class DeadLetterFile {
  count = 0;
  private ready: Promise<unknown> | null = null;
  constructor(readonly file: string) {}

  async write(d: DeadLetter): Promise<void> {
    this.ready ??= mkdir(path.dirname(this.file), { recursive: true });
    await this.ready;
    let payload: string | undefined;
    let encoding: 'utf8' | 'base64' | undefined;
    if (d.payload !== undefined) {
      const buf = typeof d.payload === 'string' ? Buffer.from(d.payload) : d.payload;
      const cut = buf.subarray(0, MAX_PAYLOAD);
      const text = cut.toString('utf8');
      encoding = Buffer.from(text, 'utf8').equals(cut) ? 'utf8' : 'base64';
      payload = encoding === 'utf8' ? text : cut.toString('base64');
    }
    const entry = {
      time: new Date().toISOString(),
      source: d.source,
      ...(d.origin !== undefined ? { origin: d.origin } : {}),
      reason: d.reason,
      ...(payload !== undefined ? { payload, encoding } : {}),
    };
    await appendFile(this.file, `${JSON.stringify(entry)}\n`);
    this.count++;
  }
}
