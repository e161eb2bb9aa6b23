/** A child process's CPU time and memory, from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK_HZ = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface ProcStats {
  /** when read (performance.now(), ms) */
  atMs: number;
  /** user + system CPU, seconds */
  cpuS: number;
  /** system (kernel) CPU alone, seconds */
  sysS: number;
  rssMb: number;
  /** VmHWM: the peak resident set since the process started */
  peakRssMb: number;
}

export function procStats(pid: number): ProcStats {
  const atMs = performance.now();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after "(comm) ": state is [0], utime [11], stime [12]
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return {
    atMs,
    cpuS: (utime + stime) / TICK_HZ,
    sysS: stime / TICK_HZ,
    rssMb: mb('VmRSS'),
    peakRssMb: mb('VmHWM'),
  };
}
