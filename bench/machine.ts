import os from 'node:os';

/** The machine a benchmark part ran on: these machines are shared, so its load is part of every figure. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the part started and when it ended. */
  loadAverage: number[];
  loadAverageAtEnd: number[];
}

/** The machine as a part records it when it ends, given the load averages read when it started. */
export function machineAtEnd(loadAverage: number[]): Machine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage,
    loadAverageAtEnd: os.loadavg(),
  };
}

const loads = (values: number[]) => values.map((n) => n.toFixed(2)).join(' ');

/** The report's line about the machine: its CPUs and the load averages at the start and at the end. */
export function machineLine(machine: Machine): string {
  return `machine: ${machine.cpus} × ${machine.cpuModel}, load average ${loads(machine.loadAverage)} at the start, ${loads(machine.loadAverageAtEnd)} at the end`;
}

/** The value below which `p` per cent of the sorted values lie (nearest rank); 0 when there are none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
