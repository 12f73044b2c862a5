/**
 * AlertsAndDashboard: monitoring as code for one component: its PrometheusRule (routed by Alertmanager like every
 * alert) and its Grafana dashboard, a ConfigMap the Grafana sidecar loads (label grafana_dashboard=1).
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { PlatformNamespace } from "../platform-namespace";

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { severity: "critical" | "warning" };
  readonly annotations: { summary: string; description: string };
}

export function alertRule(alert: string, expr: string, forTime: string, severity: "critical" | "warning", summary: string, description: string): AlertRule {
  return { alert, expr, for: forTime, labels: { severity }, annotations: { summary, description } };
}

/** A Prometheus time-series panel of a 2-column grid. */
export function timeseriesPanel(id: number, title: string, expr: string, unit: string, legend = "{{pod}}") {
  return {
    id,
    title,
    type: "timeseries",
    datasource: { type: "prometheus", uid: "prometheus" },
    gridPos: { h: 8, w: 12, x: ((id - 1) % 2) * 12, y: Math.floor((id - 1) / 2) * 8 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: "A", expr, legendFormat: legend }],
  };
}

export function dashboard(uid: string, title: string, tags: string[], panels: object[]): object {
  return { uid, title, tags: [...tags, "platform-bootstrap"], timezone: "browser", schemaVersion: 39, refresh: "1m", time: { from: "now-6h", to: "now" }, panels };
}

export interface AlertsAndDashboardProps {
  readonly provider: KubernetesProvider;
  readonly namespace: PlatformNamespace;
  /** Name of the PrometheusRule, the rule group and the dashboard ConfigMap (`<name>-dashboard`). */
  readonly name: string;
  readonly rules: readonly AlertRule[];
  readonly dashboard: object;
}

export class AlertsAndDashboard extends Construct {
  constructor(scope: Construct, id: string, props: AlertsAndDashboardProps) {
    super(scope, id);
    const ns = props.namespace.name;
    new Manifest(this, "rules", {
      provider: props.provider,
      manifest: {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: props.name, namespace: ns },
        spec: { groups: [{ name: props.name, rules: props.rules }] },
      },
      dependsOn: [props.namespace.resource],
    });
    new ConfigMapV1(this, "dashboard", {
      provider: props.provider,
      metadata: { name: `${props.name}-dashboard`, namespace: ns, labels: { grafana_dashboard: "1" } },
      data: { [`${props.name}.json`]: JSON.stringify(props.dashboard) },
      dependsOn: [props.namespace.resource],
    });
  }
}
