/**
 * Pod Security Standards of the namespaces the platform creates (DESIGN §10). Every namespace enforces
 * `restricted` unless it is listed here, with the reason it needs more.
 */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface PodSecurityException {
  readonly level: Exclude<PodSecurityLevel, "restricted">;
  /** Why the workloads of this namespace cannot run under `restricted`. */
  readonly reason: string;
}

export const POD_SECURITY_EXCEPTIONS: Readonly<Record<string, PodSecurityException>> = {
  logging: {
    level: "privileged",
    reason: "Grafana Alloy runs on every node and reads the container log files under /var/log/pods through a hostPath volume",
  },
  "node-exporter": {
    level: "privileged",
    reason: "the Prometheus node exporter reads the node's /proc, /sys and root filesystem (hostPath, hostPID, hostNetwork)",
  },
};

/** The level a namespace enforces. */
export function podSecurityLevel(namespace: string): PodSecurityLevel {
  return POD_SECURITY_EXCEPTIONS[namespace]?.level ?? "restricted";
}
