import { cpus, release, totalmem, type } from 'node:os';

/** What the numbers were measured on. */
export function machineDetails() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}
