/**
 * String formats that appear in environment config. Each one carries the phrase that ends up after
 * "expected" in a validation message, so that a user reads what to write instead.
 */
import { z } from "zod";

/** A DNS name of at least two labels, lowercase: `platform.example.com`. */
export const domainName = () =>
  z
    .string()
    .regex(
      /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
      "a lowercase domain name such as platform.example.com",
    );

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** True for an IPv4 network in CIDR notation whose address has no host bits set (`10.0.0.0/8`). */
export function isIpv4Cidr(text: string): boolean {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return false;
  const address = ipv4ToInt(match[1]);
  const bits = Number(match[2]);
  if (address === undefined || bits > 32) return false;
  const hostBits = 32 - bits;
  return hostBits === 32 ? address === 0 : address % 2 ** hostBits === 0;
}

/** An IPv4 network: `10.0.0.0/8`; a host address needs `/32`. */
export const cidr = () =>
  z.string().refine(isIpv4Cidr, "an IPv4 network in CIDR notation with no host bits set, such as 10.0.0.0/8");

export const email = () =>
  z.string().regex(/^[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/, "an e-mail address such as ops@example.com");

const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** A duration as Prometheus, Loki and Go write it: `30s`, `15d`, `1h30m`. */
export const duration = () =>
  z.string().regex(DURATION, "a duration such as 30s, 12h, 15d or 1h30m (units ms, s, m, h, d, w, y)");

/** Seconds in a duration that passed {@link duration}. */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * UNIT_SECONDS[unit];
  return total;
}

/** A Kubernetes-style quantity of bytes: `50Gi`, `500Mi`. */
export const storageSize = () =>
  z.string().regex(/^[1-9]\d*(?:Ki|Mi|Gi|Ti)$/, "a storage size such as 10Gi or 500Mi");

/** A lowercase name usable as a Kubernetes object name, a PostgreSQL role and a label value. */
export const resourceName = () =>
  z
    .string()
    .regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, "a lowercase name of letters, digits and dashes (at most 40), such as team-a");

export const gcpProjectId = () =>
  z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a Google Cloud project id such as acme-platform-prod");

export const gcpRegion = () => z.string().regex(/^[a-z]+-[a-z]+\d+$/, "a Google Cloud region such as europe-west1");

export const gcpLocation = () =>
  z.string().regex(/^[a-z]+-[a-z]+\d+(-[a-z])?$/, "a Google Cloud region or zone such as europe-west1 or europe-west1-b");

export const gcsBucketName = () =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/, "a Cloud Storage bucket name such as acme-platform-tfstate");

export const uuid = () =>
  z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID such as 00000000-0000-0000-0000-000000000000");

/** A size as Prometheus writes it for retentionSize: `45GB`. */
export const prometheusSize = () => z.string().regex(/^[1-9]\d*(?:B|KB|MB|GB|TB|PB)$/, "a size such as 45GB or 500MB (units B, KB, MB, GB, TB, PB)");

/** `host:port` */
export const hostPort = () =>
  z.string().regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?:\d{1,5}$/, "a host:port such as smtp.example.com:587");

/** A PostgreSQL identifier we create: lowercase, so that it never needs quoting (DESIGN §7). */
export const pgIdentifier = () =>
  z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lowercase PostgreSQL name of letters, digits and underscores, such as api_reader");

/** A six-field cron (seconds first), as CloudNativePG's ScheduledBackup reads it. */
export const cron6 = () =>
  z
    .string()
    .regex(/^\S+( \S+){5}$/, 'a six-field cron with seconds first, such as "0 0 2 * * *" (daily at 02:00)');

/** Barman retention: `30d`, `4w`, `3m`. */
export const retentionPolicy = () => z.string().regex(/^[1-9]\d*[dwm]$/, "a retention such as 30d, 4w or 3m");

/** A point in time with its offset: `2026-11-20T14:00:00Z`. */
export const timestamp = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, "a time with its offset such as 2026-11-20T14:00:00Z");
