/**
 * JSON for values that plain JSON.stringify chokes on or mangles: circular
 * references, BigInt, Errors (message, stack, cause and own fields kept),
 * Symbols, Maps and Sets, getters and toJSON methods that throw. It never
 * throws. Adapters use it to turn a framework's record object into a line.
 */
export function safeJsonStringify(value: unknown, options: { maxDepth?: number } = {}): string {
  try {
    return JSON.stringify(toJsonValue(value, [], options.maxDepth ?? 20)) ?? 'null';
  } catch (error) {
    return JSON.stringify(`[unserializable: ${describeError(error)}]`);
  }
}

type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue }
  | undefined;

function toJsonValue(value: unknown, ancestors: object[], depthLeft: number): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'undefined':
    case 'function':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.includes(object)) return '[Circular]';
  if (depthLeft <= 0) return '[Object]';
  ancestors.push(object);
  try {
    return objectToJsonValue(object, ancestors, depthLeft - 1);
  } finally {
    ancestors.pop();
  }
}

function objectToJsonValue(object: object, ancestors: object[], depthLeft: number): JsonValue {
  // Boxed primitives read as their value, as JSON.stringify has them.
  if (object instanceof Number || object instanceof String || object instanceof Boolean) {
    return toJsonValue(object.valueOf(), ancestors, depthLeft);
  }
  if (object instanceof Error) return errorToJsonValue(object, ancestors, depthLeft);
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    let json: unknown;
    try {
      json = (object as { toJSON: () => unknown }).toJSON();
    } catch (error) {
      return `[toJSON threw: ${describeError(error)}]`;
    }
    return json === object ? '[Circular]' : toJsonValue(json, ancestors, depthLeft);
  }
  if (Array.isArray(object)) {
    return object.map((item) => toJsonValue(item, ancestors, depthLeft) ?? null);
  }
  if (object instanceof Map) {
    const result: Record<string, JsonValue> = Object.create(null);
    for (const [key, item] of object) result[String(key)] = toJsonValue(item, ancestors, depthLeft);
    return result;
  }
  if (object instanceof Set) {
    return [...object].map((item) => toJsonValue(item, ancestors, depthLeft) ?? null);
  }
  // A prototype-less result: a `__proto__` key (JSON.parse makes those) stays a field.
  return ownFields(object, ancestors, depthLeft, Object.create(null));
}

function errorToJsonValue(error: Error, ancestors: object[], depthLeft: number): JsonValue {
  const result: Record<string, JsonValue> = Object.create(null);
  result.name = read(error, 'name', ancestors, depthLeft);
  result.message = read(error, 'message', ancestors, depthLeft);
  result.stack = read(error, 'stack', ancestors, depthLeft);
  if ('cause' in error) result.cause = read(error, 'cause', ancestors, depthLeft);
  if (error instanceof AggregateError) result.errors = read(error, 'errors', ancestors, depthLeft);
  return ownFields(error, ancestors, depthLeft, result);
}

function ownFields(
  object: object,
  ancestors: object[],
  depthLeft: number,
  result: Record<string, JsonValue>,
): Record<string, JsonValue> {
  let keys: string[];
  try {
    keys = Object.keys(object);
  } catch (error) {
    return { '[keys threw]': describeError(error) };
  }
  for (const key of keys) {
    const item = read(object, key, ancestors, depthLeft);
    if (item !== undefined) result[key] = item;
  }
  return result;
}

function read(object: object, key: string, ancestors: object[], depthLeft: number): JsonValue {
  let item: unknown;
  try {
    item = (object as Record<string, unknown>)[key];
  } catch (error) {
    return `[getter threw: ${describeError(error)}]`;
  }
  return toJsonValue(item, ancestors, depthLeft);
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}
