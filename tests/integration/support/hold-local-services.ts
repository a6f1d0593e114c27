import { withLocalServices } from '#cli/local-services.ts';
import type { Config } from '#core/common/config.ts';

/** What `holdLocalServices` started, and how to let it and the services go. */
export interface Held<T> {
  value: T;
  /** Closes what was started, then leaves the services as a command does. */
  release(): Promise<void>;
}

/**
 * Starts something on the state folder's local services in this process, as a command does
 * (`withLocalServices`: the embedded AWS, the local runtime, the record that `newsletter`
 * commands share them through), and keeps the services up until `release`. Resolves once
 * `start` has resolved; rejects if it, or starting the services, fails.
 * @param command the name other commands are told holds the services
 */
export async function holdLocalServices<T>(
  home: string,
  config: Config,
  command: string,
  start: () => Promise<{ value: T; close(): Promise<void> }>,
): Promise<Held<T>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ready!: (value: T) => void;
  let failed!: (error: unknown) => void;
  const started = new Promise<T>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const running = withLocalServices(
    home,
    config,
    async () => {
      const { value, close } = await start();
      ready(value);
      await released;
      await close();
    },
    { command },
  );
  running.catch(failed);
  const value = await started;
  return {
    value,
    release: async () => {
      release();
      await running;
    },
  };
}
