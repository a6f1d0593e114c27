/**
 * An issue would go to nobody: no subscriber is active. Nothing is started, so its articles
 * stay candidates for the issue that goes out once someone subscribes.
 */
export class NoActiveSubscriberError extends Error {
  constructor(readonly articles: number) {
    super(
      `No active subscriber: the issue of ${articles} ${articles === 1 ? 'article' : 'articles'} was not started, and its articles wait for the next one. Add a subscriber (newsletter subscribers add), then send again.`,
    );
    this.name = 'NoActiveSubscriberError';
  }
}
