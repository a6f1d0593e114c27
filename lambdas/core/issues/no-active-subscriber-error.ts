/**
 * An issue would go to nobody: no subscriber is active. Nothing is started, so its articles
 * stay candidates for the issue that goes out once someone subscribes.
 */
export class NoActiveSubscriberError extends Error {
  override name = 'NoActiveSubscriberError';

  constructor() {
    super(
      'No active subscriber: no issue was started, and the articles wait for the next one. Add a subscriber (newsletter subscribers add), then send again.',
    );
  }
}
