/**
 * Process figures from Linux's /proc, for benchmarks that report the CPU and memory of other processes
 * (the Temporal dev server, worker processes) without instrumenting them. proc(5):
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html (utime, stime in clock ticks, fields 14
 * and 15) and https://man7.org/linux/man-pages/man5/proc_pid_status.5.html (VmRSS, VmHWM in kB).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`), the unit of utime/stime; 100 on every common Linux. */
export const CLOCK_TICKS_PER_SECOND: number = (() => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time the process has used, in ms; undefined once it has exited (or off Linux). */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** A `Vm…` line of /proc/<pid>/status (VmRSS: resident now, VmHWM: peak resident) in MiB, 1 decimal. */
export function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

function cmdline(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/**
 * The pid of the `temporal server start-dev` process listening on `address` (host:port), as
 * @temporalio/testing's TestWorkflowEnvironment.createLocal spawns it (from the SDK's native core, so
 * it is not a ChildProcess this script holds); undefined if none is found.
 */
export function findDevServerPid(address: string): number | undefined {
  const port = address.slice(address.lastIndexOf(':') + 1);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    const args = cmdline(pid);
    if (!args.includes('start-dev')) continue;
    const portArg = args.findIndex((a) => a === '--port' || a === '-p');
    if ((portArg >= 0 && args[portArg + 1] === port) || args.includes(`--port=${port}`)) return Number(pid);
  }
  return undefined;
}
