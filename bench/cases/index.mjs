import { log4jsCases } from './log4js-cases.mjs';
import { pinoCases } from './pino-cases.mjs';
import { winstonCases } from './winston-cases.mjs';

/** Every case, in report order. */
export const allCases = [...pinoCases, ...winstonCases, ...log4jsCases];

/**
 * Whether a case posts to the sink. Floors write to /dev/null and ceilings
 * discard: they are timed until their documented shutdown returns.
 */
export function deliversToSink(benchCase) {
  return benchCase.role === 'ours' || benchCase.role === 'peer';
}

/** The case named `name`; throws on a typo. */
export function caseNamed(name) {
  const found = allCases.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no case named ${name}`);
  return found;
}
