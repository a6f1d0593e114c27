import type { LiveServices } from './services-record.ts';

/**
 * Thrown to a command that must run the local services of a state folder itself
 * (`newsletter serve`) while another live process runs and shares them. Other commands
 * never see it: they use that process's services.
 */
export class LocalServicesOwnedError extends Error {
  override readonly name = 'LocalServicesOwnedError';

  constructor(
    readonly stateDir: string,
    /** Who runs the services now. */
    readonly services: LiveServices,
  ) {
    super(
      `The local services of ${stateDir} are run by process ${services.owner.pid}` +
        `${services.command ? ` (${services.command})` : ''}.`,
    );
  }
}
