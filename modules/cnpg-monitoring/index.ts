/**
 * CnpgMonitoring: what tells the platform team a database is in trouble: a PodMonitor on the instances, the
 * PrometheusRules below (routed by Alertmanager like every alert), and a Grafana dashboard provisioned as a
 * ConfigMap the Grafana sidecar loads (label grafana_dashboard=1).
 */
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { alertRule as rule, AlertsAndDashboard, dashboard, timeseriesPanel, type AlertRule } from "../alerts-and-dashboard";
import type { PlatformNamespace } from "../platform-namespace";

export type { AlertRule };

export interface CnpgMonitoringProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  /** Cluster name and instance count. */
  readonly cluster: string;
  readonly instances: number;
  /** Alert when the last base backup is older than this many hours (no base backup ran). Default 26. */
  readonly maxBackupAgeHours?: number;
  /** Whether the cluster is backed up (backup alerts only then). */
  readonly backups: boolean;
}

/** The alerting rules of one cluster. */
export function cnpgAlertRules(props: Omit<CnpgMonitoringProps, "provider" | "namespace">, namespace: string): AlertRule[] {
  const sel = `namespace="${namespace}",pod=~"${props.cluster}-[0-9]+"`;
  const rules = [
    rule(
      "CnpgInstanceDown",
      `count(cnpg_collector_up{${sel}} == 1) < ${props.instances} or absent(cnpg_collector_up{${sel}})`,
      "5m",
      "critical",
      `PostgreSQL cluster ${props.cluster} has fewer than ${props.instances} instances up`,
      "An instance is down or not scraped. kubectl -n {{ $labels.namespace }} get pods -l cnpg.io/cluster=" + props.cluster,
    ),
    rule(
      "CnpgReplicationLagHigh",
      `max by (pod) (cnpg_pg_replication_lag{${sel}}) > 300`,
      "10m",
      "warning",
      `A standby of ${props.cluster} is more than 5 minutes behind`,
      "{{ $labels.pod }} lags {{ $value | humanizeDuration }} behind its primary.",
    ),
    rule(
      "CnpgStorageAlmostFull",
      `min by (persistentvolumeclaim) (kubelet_volume_stats_available_bytes{namespace="${namespace}",persistentvolumeclaim=~"${props.cluster}-[0-9]+"} / kubelet_volume_stats_capacity_bytes{namespace="${namespace}",persistentvolumeclaim=~"${props.cluster}-[0-9]+"}) < 0.15`,
      "10m",
      "warning",
      `A volume of ${props.cluster} is more than 85% full`,
      "{{ $labels.persistentvolumeclaim }}: resize it (docs/cnpg.md, Resize storage) before PostgreSQL stops.",
    ),
  ];
  if (props.backups) {
    const hours = props.maxBackupAgeHours ?? 26;
    rules.push(
      rule(
        "CnpgWalArchivingFailing",
        `max(cnpg_pg_stat_archiver_last_failed_time{${sel}}) > max(cnpg_pg_stat_archiver_last_archived_time{${sel}})`,
        "5m",
        "critical",
        `WAL archiving of ${props.cluster} is failing`,
        "The last WAL archive attempt failed: point-in-time recovery is at risk and WAL piles up on the volume.",
      ),
      rule(
        "CnpgLastBackupFailed",
        `max(barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp{${sel}}) > max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}})`,
        "5m",
        "critical",
        `The last base backup of ${props.cluster} failed`,
        "kubectl -n {{ $labels.namespace }} get backups -l cnpg.io/cluster=" + props.cluster,
      ),
      rule(
        "CnpgBackupTooOld",
        `time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}}) > ${hours * 3600} or absent(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}})`,
        "30m",
        "warning",
        `${props.cluster} has no base backup younger than ${hours}h`,
        "The scheduled backup did not produce a backup in time.",
      ),
    );
  }
  return rules;
}

/** A Grafana dashboard of one cluster. */
export function cnpgDashboard(cluster: string, namespace: string): object {
  const sel = `namespace="${namespace}",pod=~"${cluster}-[0-9]+"`;
  const pvc = `namespace="${namespace}",persistentvolumeclaim=~"${cluster}-[0-9]+"`;
  return dashboard(`cnpg-${namespace}-${cluster}`, `PostgreSQL ${cluster}`, ["cloudnative-pg"], [
    timeseriesPanel(1, "Instances up", `cnpg_collector_up{${sel}}`, "short"),
    timeseriesPanel(2, "Replication lag", `cnpg_pg_replication_lag{${sel}}`, "s"),
    timeseriesPanel(3, "Connections", `sum by (pod) (cnpg_backends_total{${sel}})`, "short"),
    timeseriesPanel(4, "Transactions per second", `sum by (pod) (rate(cnpg_pg_stat_database_xact_commit{${sel}}[5m]))`, "ops"),
    timeseriesPanel(5, "Age of the last base backup", `time() - barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${sel}}`, "s"),
    timeseriesPanel(6, "Seconds since the last archived WAL", `cnpg_pg_stat_archiver_seconds_since_last_archival{${sel}}`, "s"),
    timeseriesPanel(7, "Volume used", `1 - kubelet_volume_stats_available_bytes{${pvc}} / kubelet_volume_stats_capacity_bytes{${pvc}}`, "percentunit", "{{persistentvolumeclaim}}"),
  ]);
}

export class CnpgMonitoring extends Construct {
  constructor(scope: Construct, id: string, props: CnpgMonitoringProps) {
    super(scope, id);
    const ns = props.namespace.name;
    new Manifest(this, "pod-monitor", {
      provider: props.provider,
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: props.cluster, namespace: ns },
        spec: {
          selector: { matchLabels: { "cnpg.io/cluster": props.cluster, "cnpg.io/podRole": "instance" } },
          podMetricsEndpoints: [{ port: "metrics" }],
        },
      },
      dependsOn: [props.namespace.resource],
    });
    new AlertsAndDashboard(this, "monitoring", {
      provider: props.provider,
      namespace: props.namespace,
      name: props.cluster,
      rules: cnpgAlertRules(props, ns),
      dashboard: cnpgDashboard(props.cluster, ns),
    });
  }
}
