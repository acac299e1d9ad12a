import { readdirSync, readFileSync } from 'node:fs';

/** One line of the process table, read from /proc (Linux). */
export interface ProcessEntry {
  readonly pid: number;
  readonly parentPid: number;
  /** Kernel state letter: R running, S sleeping, Z zombie (exited, not yet reaped by its parent)... */
  readonly state: string;
  /** Executable name as the kernel keeps it (15 characters at most). */
  readonly command: string;
}

/** Direct children of `pid`, zombies included, so tests can spot an ffmpeg nobody waited for. */
export function childProcesses(pid: number): ProcessEntry[] {
  const children: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const process = readEntry(Number(entry));
    if (process?.parentPid === pid) children.push(process);
  }
  return children;
}

/** Resident set size (VmRSS) of a process in MiB, or undefined once it has gone. */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command sits in parentheses and may itself hold spaces or parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const [state = '?', parent = '-1'] = stat.slice(close + 2).split(' ');
    return { pid, parentPid: Number(parent), state, command };
  } catch {
    return undefined; // it ended while we looked
  }
}
