import { faultDraw } from './fault-draw.ts';

/**
 * Shares (0 to 1) of the messages the local SES delivers whose reader, it pretends, opens the
 * message (`open`) or clicks one of its links (`click`): it publishes SES's `Open` and `Click`
 * events for them, as a configuration set with open and click tracking does. The two are
 * drawn apart: a click without an open happens too (images off).
 */
export interface SesEngagement {
  open: number;
  click: number;
}

/** The variable that sets the local SES's engagement, e.g. `open=0.4,click=0.1`. */
export const SES_ENGAGEMENT_ENV = 'NEWSLETTER_LOCAL_SES_ENGAGEMENT';

export const noEngagement: SesEngagement = { open: 0, click: 0 };

/** An engagement setting that cannot be read; names the part that is wrong. */
export class SesEngagementError extends Error {
  override name = 'SesEngagementError';
}

/**
 * Reads `open=share,click=share` (either may be left out; shares from 0 to 1). An empty
 * setting means no engagement.
 * @throws SesEngagementError naming the part that is wrong
 */
export function parseSesEngagement(spec: string, source = SES_ENGAGEMENT_ENV): SesEngagement {
  const engagement = { ...noEngagement };
  for (const part of spec.split(',').map((item) => item.trim())) {
    if (part === '') continue;
    const [name, value, ...rest] = part.split('=').map((item) => item.trim());
    if (!name || !(name in engagement) || value === undefined || rest.length > 0) {
      throw new SesEngagementError(
        `${source}: "${part}" is not name=share with name one of open, click`,
      );
    }
    const share = Number(value);
    if (value === '' || !Number.isFinite(share) || share < 0 || share > 1) {
      throw new SesEngagementError(
        `${source}: the share of ${name} must be from 0 to 1, got "${value}"`,
      );
    }
    engagement[name as keyof SesEngagement] = share;
  }
  return engagement;
}

/** The engagement set by `NEWSLETTER_LOCAL_SES_ENGAGEMENT`, or none. */
export function sesEngagementFromEnv(env = process.env): SesEngagement {
  return parseSesEngagement(env[SES_ENGAGEMENT_ENV] ?? '');
}

/** What the engagement with one delivered message depends on, besides the seed. */
export interface DeliveredMessage {
  /** The `issueId` tag of the message; empty for a message of no issue. */
  issueId: string;
  /** Its recipients, in order. */
  recipients: readonly string[];
  /** The links its reader may click (see `trackedLinksOf`). */
  links: readonly string[];
}

/**
 * Whether the reader of a delivered message opens it, and which link they click if they
 * click one (none when the message has no link to click): fixed by the seed (the faults
 * seed) and the message's issue and recipients, so the same seed picks the same readers
 * whatever the order in which messages are sent, and again when events are published anew.
 */
export function engagementOf(
  engagement: SesEngagement,
  seed: string,
  message: DeliveredMessage,
): { opened: boolean; clicked?: string } {
  const identity = [message.issueId, message.recipients.join(',')];
  const opened = faultDraw(seed, 'open', ...identity) < engagement.open;
  const clicks = faultDraw(seed, 'click', ...identity) < engagement.click;
  if (!clicks || message.links.length === 0) return { opened };
  const index = Math.floor(faultDraw(seed, 'click-link', ...identity) * message.links.length);
  return { opened, clicked: message.links[index] };
}
