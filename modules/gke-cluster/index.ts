/**
 * GkeCluster: the hardened cluster of DESIGN §2, when the bootstrap stack creates it: private nodes, control plane
 * reachable from the authorized networks only, Workload Identity, shielded nodes with secure boot, a release channel,
 * Dataplane V2 (network policies enforced), the Gateway API, Identity Service (for the identityService auth mode),
 * and deletion protection. Nodes run as their own least-privilege service account; the metadata server is GKE's.
 */
import { Construct } from "constructs";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";

export interface GkeClusterProps {
  readonly project: string;
  readonly name: string;
  readonly location: string;
  readonly environment: string;
  readonly releaseChannel: string;
  readonly machineType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly masterCidr: string;
  readonly authorizedNetworks: readonly { readonly name: string; readonly cidr: string }[];
  readonly identityService: boolean;
}

/** The least roles of a node's service account (logs, metrics, image pulls). */
export const NODE_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/artifactregistry.reader"] as const;

export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const nodes = new ServiceAccount(this, "node-service-account", {
      project: props.project,
      accountId: `${props.environment}-gke-nodes`,
      displayName: `GKE nodes (${props.environment})`,
    });
    for (const role of NODE_ROLES) {
      new ProjectIamMember(this, `node-${role.split("/")[1].replace(/\./g, "-")}`, { project: props.project, role, member: `serviceAccount:${nodes.email}` });
    }
    this.cluster = new ContainerCluster(this, "cluster", {
      project: props.project,
      name: props.name,
      location: props.location,
      deletionProtection: true,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      releaseChannel: { channel: props.releaseChannel },
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: props.masterCidr },
      masterAuthorizedNetworksConfig: { cidrBlocks: props.authorizedNetworks.map((n) => ({ displayName: n.name, cidrBlock: n.cidr })) },
      ipAllocationPolicy: {},
      enableShieldedNodes: true,
      datapathProvider: "ADVANCED_DATAPATH",
      gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
      identityServiceConfig: { enabled: props.identityService },
      securityPostureConfig: { mode: "BASIC", vulnerabilityMode: "VULNERABILITY_BASIC" },
      lifecycle: { preventDestroy: true },
    });
    new ContainerNodePool(this, "nodes", {
      project: props.project,
      name: "default",
      cluster: this.cluster.name,
      location: props.location,
      autoscaling: { minNodeCount: props.minNodes, maxNodeCount: props.maxNodes },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: props.machineType,
        serviceAccount: nodes.email,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        metadata: { "disable-legacy-endpoints": "true" },
      },
    });
  }
}
