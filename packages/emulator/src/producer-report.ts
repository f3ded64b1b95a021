import { errorCodes, Refusal } from './responses.ts';
import { scanLogTimes } from './time-scan.ts';
import {
  parseJsonObject,
  type TimeWindow,
  type ValidReport,
  validateLabels,
  validateTimedEntries,
} from './validate.ts';

/** Nesting depth of `log_items[i].contents[j].log_time_ns`: body, log_items, item, contents, entry. */
const entryDepth = 5;

/**
 * Validates a producer body (`…/tenant/batch-contents`, already
 * decompressed), as Huawei's Go producer writes it:
 * `{"log_items":[{"contents":[{"log_time_ns":…,"log":"…"}],"labels":"{…}","tenant_project_id":"…"}]}`.
 * Returns one report per log item (each item has its own labels); throws a
 * {@link Refusal} naming the field.
 */
export function validateProducerReport(
  text: string,
  projectId: string,
  window: TimeWindow,
): ValidReport[] {
  const body = parseJsonObject(text);
  const items = body.log_items;
  if (!Array.isArray(items)) {
    throw new Refusal(
      400,
      errorCodes.logItems,
      'log_items is required and must be an array of {contents, labels} objects.',
    );
  }
  if (items.length === 0) {
    throw new Refusal(400, errorCodes.logItems, 'log_items must not be empty.');
  }
  const sources = scanLogTimes(text, entryDepth, false);
  const total = items.reduce<number>(
    (sum, item) => sum + (Array.isArray(item?.contents) ? item.contents.length : 0),
    0,
  );
  // The times' texts line up with the entries only when each entry has exactly one.
  const aligned = sources.length === total;
  let offset = 0;
  return items.map((item: unknown, index) => {
    const field = `log_items[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Refusal(400, errorCodes.logItems, `${field} must be an object {contents, labels}.`);
    }
    const { contents, labels, tenant_project_id: tenant } = item as Record<string, unknown>;
    const count = Array.isArray(contents) ? contents.length : 0;
    const itemSources = aligned ? sources.slice(offset, offset + count) : undefined;
    offset += count;
    const entries = validateTimedEntries(contents, itemSources, `${field}.contents`, window);
    if (tenant !== undefined && tenant !== projectId) {
      throw new Refusal(
        400,
        errorCodes.tenantProjectId,
        `${field}.tenant_project_id must be the project_id of the path (${projectId}) when present.`,
      );
    }
    return { ...entries, labels: parseLabels(labels, `${field}.labels`) };
  });
}

/** The producer sends labels as a JSON string of an object of strings (`"{}"` for none). */
function parseLabels(value: unknown, field: string): Record<string, string> {
  if (typeof value !== 'string') {
    throw new Refusal(
      400,
      errorCodes.labels,
      `${field} is required and must be a string holding a JSON object of strings, e.g. "{}".`,
    );
  }
  let labels: unknown;
  try {
    labels = JSON.parse(value);
  } catch (error) {
    throw new Refusal(
      400,
      errorCodes.labels,
      `${field} is not valid JSON: ${(error as Error).message}`,
    );
  }
  return validateLabels(labels, field);
}
