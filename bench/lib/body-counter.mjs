/**
 * Counts the log records in one request body, for every format the bench's
 * clients send. Throws on a body it cannot read, so a miscount is loud.
 */

/** LTS standard (`contents: string[]`) and high-accuracy (`contents: {log}[]`) bodies. */
function countLts(text) {
  const body = JSON.parse(text);
  if (!Array.isArray(body.contents)) throw new Error('LTS body without contents');
  return body.contents.length;
}

/** Loki push JSON: `{ streams: [{ stream, values: [[ts, line], ...] }] }`. */
function countLoki(text) {
  const body = JSON.parse(text);
  let count = 0;
  for (const stream of body.streams) count += stream.values.length;
  return count;
}

/** One JSON value per non-empty line. */
function countNdjson(text) {
  let count = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') count += 1;
  return count;
}

/** Elasticsearch/logstash `_bulk`: an action line before each document. */
function countBulk(text) {
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const value = JSON.parse(line);
    if (value.index === undefined && value.create === undefined) count += 1;
  }
  return count;
}

/** A JSON array of records (winston's Http transport in batch mode), or one record. */
function countJsonArray(text) {
  const body = JSON.parse(text);
  return Array.isArray(body) ? body.length : 1;
}

const ltsPath =
  /^\/v2\/[^/]+\/lts\/groups\/[^/]+\/streams\/[^/]+\/tenant\/contents(\/high-accuracy)?\/?$/;
const axiomPath = /^\/v1\/(datasets\/[^/]+\/ingest|ingest\/[^/]+)$/;

/**
 * Which format a request carries, from its path (and content type where a
 * path is shared), with the response body its client expects.
 */
export function formatOf(path, contentType) {
  if (ltsPath.test(path)) {
    return {
      name: 'lts',
      count: countLts,
      reply: () => '{"errorCode":"SVCSTG.ALS.200.200","error_msg":"Report success.","result":null}',
    };
  }
  if (path === '/loki/api/v1/push') {
    if (!contentType.includes('json')) {
      throw new Error(`Loki push as ${contentType}: configure the client for JSON`);
    }
    return { name: 'loki', count: countLoki, reply: () => '' };
  }
  if (axiomPath.test(path)) {
    return {
      name: 'axiom',
      count: countNdjson,
      reply: (count) =>
        JSON.stringify({
          ingested: count,
          failed: 0,
          failures: [],
          processedBytes: 0,
          blocksCreated: 0,
          walLength: 0,
        }),
    };
  }
  if (path === '/_bulk') {
    return { name: 'bulk', count: countBulk, reply: () => '{"took":0,"errors":false,"items":[]}' };
  }
  if (path === '/ndjson') return { name: 'ndjson', count: countNdjson, reply: () => '{}' };
  if (path === '/json') return { name: 'json-array', count: countJsonArray, reply: () => '{}' };
  throw new Error(`no format for ${path}`);
}
