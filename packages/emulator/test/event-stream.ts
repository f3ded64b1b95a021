/** A server-sent event: its name and parsed JSON data. */
export interface StreamEvent {
  name: string;
  data: unknown;
}

/** An open `text/event-stream` response, read event by event. */
export interface EventStreamReader {
  status: number;
  contentType: string | null;
  /** Resolves with the next event named `name` (skipping others); rejects after `timeoutMs`. */
  next<Data = unknown>(name: string, timeoutMs?: number): Promise<Data>;
  /** Resolves when the server ends the stream; rejects after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens an event stream with fetch and parses its events as they come. */
export async function openEventStream(url: string): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const events: StreamEvent[] = [];
  const listeners = new Set<() => void>();
  let done = false;
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name !== undefined && data !== undefined) {
            events.push({ name, data: JSON.parse(data) });
          }
          end = buffer.indexOf('\n\n');
        }
        notify();
      }
    } catch {
      // Aborted by close().
    }
    done = true;
    notify();
  })();
  const wait = <Value>(check: () => Value | undefined, what: string, timeoutMs: number) =>
    new Promise<Value>((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value !== undefined) {
          settle();
          resolve(value);
        } else if (done) {
          settle();
          reject(new Error(`the stream ended before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      listeners.add(listener);
      listener();
    });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next: <Data>(name: string, timeoutMs = 5000) =>
      wait(
        () => {
          const index = events.findIndex((event) => event.name === name);
          if (index === -1) return undefined;
          return { data: events.splice(0, index + 1).at(-1)!.data as Data };
        },
        `"${name}" event`,
        timeoutMs,
      ).then((found) => found.data),
    ended: (timeoutMs = 5000) =>
      wait(() => (done ? true : undefined), 'end of the stream', timeoutMs).then(() => undefined),
    close: () => controller.abort(),
  };
}
