import * as z from 'zod';
import {
  defaultCompatibilityClients,
  isCompatibilityClient,
} from '../checks/compatibility-clients.ts';
import { parseScheduleExpression } from '../schedule/parse-schedule-expression.ts';
import { ScheduleExpressionError } from '../schedule/schedule-expression-error.ts';
import { hasControlCharacter } from './control-characters.ts';

const headerText = z
  .string()
  .min(1)
  .refine((value) => !hasControlCharacter(value), 'must not contain control characters');

function isPublicBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    // Plain http is only for the local server on loopback.
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The newsletter's configuration: `newsletter.config.json`, overridable by `NEWSLETTER_*`. */
export const configSchema = z
  .object({
    /** Display name of the list, shown in the From name and the footer. */
    listName: headerText,
    /** RFC 2919 list identifier, e.g. `weekly.example.com`, used in `List-Id`. */
    listId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]+$/, 'must look like a domain'),
    /** The sender address, verified in SES. */
    fromEmail: z.email(),
    /** Language of the digest, for `lang` on `<html>`. */
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag'),
    /** The publisher's postal address, printed in every footer. */
    postalAddress: headerText,
    /** Where unsubscribe, confirm and archive links point (`https:`, or `http:` on loopback). */
    publicBaseUrl: z
      .string()
      .refine(isPublicBaseUrl, 'must be an https: URL (http: only on 127.0.0.1 or localhost)')
      .transform((value) => value.replace(/\/+$/, '')),
    /**
     * Where the photos that imports store are served from (`https:`, or `http:` on loopback),
     * without a trailing slash: on AWS the media distribution's address, a stack output.
     * Absent: `publicBaseUrl` + `/media`, which the public app serves.
     */
    mediaBaseUrl: z
      .string()
      .refine(isPublicBaseUrl, 'must be an https: URL (http: only on 127.0.0.1 or localhost)')
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
    /** Subject line of an issue, a Handlebars template over `{ listName, headline }`. */
    subjectTemplate: z.string().min(1),
    /** EventBridge Scheduler expression for scheduled issues, e.g. `cron(0 8 ? * FRI *)`. */
    scheduleExpression: z.string().superRefine((expression, context) => {
      try {
        parseScheduleExpression(expression);
      } catch (error) {
        if (!(error instanceof ScheduleExpressionError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    }),
    /** IANA time zone of the schedule. */
    scheduleTimeZone: z.string().refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/London'),
    /**
     * When true, the recurring schedule sends only a scheduled issue or the approved draft
     * (`issues approve`), and never plans one itself. Default: false.
     */
    requireApproval: z.boolean().default(false),
    /** Messages per second when SES's own quota cannot be read. */
    sendRate: z.number().positive(),
    /** How many senders run at once (Lambda maximum concurrency). */
    sendConcurrency: z.number().int().min(2).max(1000),
    /** Subscribers per send-queue message (a page); smaller when the rate is low (committed: 100). */
    sendPageSize: z.number().int().min(1).max(1000),
    /**
     * Seconds after which a send whose outcome is unknown (a broken connection, a timeout, a
     * crash inside the SES call) may be sent again, when SES published no `Send` event for it
     * and the event consumer has no backlog (committed: 600). Must exceed the SES call's
     * timeout (5 s) by far.
     */
    sendUnknownWindowSeconds: z.number().int().min(10).max(86_400),
    /** The same window for the local runtime, whose SES publishes its events at once (committed: 10). */
    localSendUnknownWindowSeconds: z.number().int().min(10).max(86_400),
    /** SES configuration set that publishes send, bounce and complaint events. */
    configurationSet: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -'),
    /** Most articles one issue carries (the newest first); the rest wait (committed: 10). */
    maxArticlesPerIssue: z.number().int().min(1).max(100),
    /** Most slides of one article an issue shows; a longer one links to all its slides (committed: 8). */
    maxSlidesPerArticle: z.number().int().min(1).max(200),
    /**
     * Days (by `publishedAt`) that an article left out of an issue for lack of room stays a
     * candidate for later issues (committed: 14).
     */
    maxArticleWaitDays: z.number().int().min(1).max(3650),
    /**
     * Largest minified HTML of an issue, in bytes (UTF-8): Gmail clips
     * a message whose HTML passes about 102 KB. Committed: 92160 (90 KB).
     */
    htmlBudgetBytes: z.number().int().min(20_480).max(102_400),
    /**
     * The mail clients whose support the compatibility check judges an issue's HTML by, as
     * caniemail names them: a family (`gmail`, `outlook`, `apple-mail`, `yahoo`…: all its
     * platforms) or one platform of it (`outlook.windows`, `gmail.ios`…). In the environment,
     * separated by commas. Default: `gmail`, `outlook.windows`, `apple-mail`, `yahoo`.
     */
    compatibilityClients: z
      .preprocess(
        (value) =>
          typeof value === 'string' ? value.split(',').map((name) => name.trim()) : value,
        z
          .array(
            z.string().refine(isCompatibilityClient, {
              error: (issue) =>
                `unknown mail client "${String(issue.input)}": use a caniemail family such as gmail, or family.platform such as outlook.windows`,
            }),
          )
          .min(1),
      )
      .default([...defaultCompatibilityClients]),
    /** Hours a confirmation link (double opt-in) works after it is sent. */
    confirmLinkHours: z.number().int().min(1).max(720),
    /**
     * Sign-ups that one network may make in an hour (`POST /subscribe`, counted per source
     * IPv4 address or IPv6 /64, across every instance); past it, 429. Default: 10.
     */
    subscribeIpPerHour: z.number().int().min(1).max(100_000).default(10),
    /**
     * Confirmation emails the whole list sends in an hour; past it, sign-ups are stored and
     * their confirmations wait their turn. Default: 500.
     */
    confirmationsPerHour: z.number().int().min(1).max(1_000_000).default(500),
    /**
     * Days after its last request that a sign-up never confirmed is erased, address
     * included (a daily job; DynamoDB's time to live a few days later as a backstop).
     * Default: 30.
     */
    pendingDays: z.number().int().min(1).max(3650).default(30),
    /**
     * Transient bounces (mailbox full, server unavailable…) after which an address is
     * suppressed; a delivery to it starts the count again.
     */
    transientBounceLimit: z.number().int().min(1).max(100),
    /**
     * Whether SES tracks opens and clicks (the configuration set's open and click tracking,
     * and its `Open` and `Click` events), so that an issue counts the recipients who opened it,
     * clicked in it, and each link's clicks. Off by default: opens overstate readers (Apple
     * Mail's privacy protection fetches every image of every message), and the tracking
     * rewrites every link through SES; clicks are the honest figure.
     */
    trackEngagement: z.boolean().default(false),
    /**
     * Messages an issue must have sent (since it started, or since its last resume) before
     * its bounce rate may pause it; also the smallest canary. Default: 100.
     */
    pauseMinOutcomes: z.number().int().min(1).max(1_000_000).default(100),
    /**
     * Permanent bounces ÷ messages sent above which an issue pauses itself (SES starts
     * reviewing an account at 5 %). Default: 0.05.
     */
    pauseBounceRate: z.number().gt(0).max(1).default(0.05),
    /**
     * Complaints ÷ messages sent above which an issue pauses itself, judged once 1,000 were
     * sent (SES starts reviewing an account at 0.1 %). Default: 0.001.
     */
    pauseComplaintRate: z.number().gt(0).max(1).default(0.001),
    /**
     * Percent of the recipients, chosen at random and at least `pauseMinOutcomes`, who get an
     * issue first; the rest wait `canaryWaitMinutes`. 0 (the default): no canary.
     */
    canaryPercent: z.number().min(0).max(100).default(0),
    /** Minutes between the canary's start and the rest of the send. Default: 30. */
    canaryWaitMinutes: z.number().int().min(1).max(1440).default(30),
    /**
     * Hours an issue may stay paused before the minute tick reports it
     * (`IssuePausedTooLong`, which an alarm watches): a paused issue holds up every schedule
     * run until someone resumes or cancels it. Default: 24.
     */
    pausedAlarmHours: z.number().int().min(1).max(720).default(24),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** A configuration value that is missing or wrong; names the key and where it came from. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The schema of a key of the configuration, without its default. */
function schemaOf(key: string): z.ZodType {
  const schema = configSchema.shape[key as keyof Config];
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

/** `publicBaseUrl` → `NEWSLETTER_PUBLIC_BASE_URL`. */
export function envNameOf(key: string): string {
  return `NEWSLETTER_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * Validates the configuration file's content with environment overrides applied.
 * @param file the parsed JSON of the configuration file
 * @param env environment variables; `NEWSLETTER_<KEY>` replaces a key (numbers are parsed)
 * @param source the file's name, for error messages
 */
export function parseConfig(
  file: unknown,
  env: Record<string, string | undefined>,
  source = 'newsletter.config.json',
): Config {
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new ConfigError(`${source}: must be a JSON object`);
  }
  const merged: Record<string, unknown> = { ...file };
  const origin = new Map<string, string>();
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[envNameOf(key)];
    if (value === undefined) continue;
    const isNumber = schemaOf(key) instanceof z.ZodNumber;
    merged[key] = isNumber && value.trim() !== '' ? Number(value) : value;
    // `true` or `false` for a switch; anything else is left for the schema to refuse.
    if (schemaOf(key) instanceof z.ZodBoolean && /^(true|false)$/.test(value.trim()))
      merged[key] = value.trim() === 'true';
    origin.set(key, envNameOf(key));
  }
  const result = configSchema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.join('.') ?? '';
  const where = origin.get(key) ?? `${source}: ${key}`;
  throw new ConfigError(`${where || source}: ${issue?.message ?? 'invalid'}`);
}
