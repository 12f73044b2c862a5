/**
 * mock-data-api: PostgreSQL as REST (PostgREST) behind the HAProxy JWT gateway, Swagger UI, pgAdmin and the
 * data loader (docs/mock-data-api.md). Providers: google, kubernetes, helm.
 * The database cluster and the API's roles come from the cnpg stack; this stack finds them by name.
 */
import { Construct } from "constructs";
import { publicHostnames } from "../lib/hostnames";
import { objectsSql } from "../lib/mock-data-api/sql";
import { POSTGRES_IMAGES } from "../lib/versions";
import { ApiGateway } from "../modules/api-gateway";
import { ApiObservability } from "../modules/api-observability";
import { ApiSchema } from "../modules/api-schema";
import { DataLoader } from "../modules/data-loader";
import { PgAdmin } from "../modules/pgadmin";
import { SwaggerUi } from "../modules/swagger-ui";
import type { ClusterAccess } from "../modules/cluster-access";
import { ApiNetworkPolicies } from "../modules/network-policies";
import { PlatformNamespace } from "../modules/platform-namespace";
import { Postgrest } from "../modules/postgrest";
import { SecretVariable } from "../modules/secret-variable";
import { GATEWAY_ACCESS_LABEL } from "../modules/shared-gateway";
import { DATABASES_NAMESPACE } from "./cnpg";
import { PlatformStack, type PlatformStackProps } from "./platform-stack";

export class MockDataApiStack extends PlatformStack {
  readonly cluster: ClusterAccess;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "mock-data-api", props);
    const google = this.addGoogleProvider();
    this.cluster = this.addClusterAccess(google);
    const c = this.config;
    const api = c.mockDataApi;
    const kubernetes = this.cluster.kubernetes;
    const db = c.cnpg.cluster;

    const namespace = new PlatformNamespace(this, "namespace", { name: api.namespace, provider: kubernetes, labels: { ...GATEWAY_ACCESS_LABEL } });
    new ApiNetworkPolicies(this, "network-policies", { provider: kubernetes, namespace, databaseNamespace: DATABASES_NAMESPACE });

    new ApiSchema(this, "schema", {
      provider: kubernetes,
      namespace: DATABASES_NAMESPACE,
      ownerSecret: `${db.name}-app`,
      sql: objectsSql(c),
      image: POSTGRES_IMAGES[db.postgresVersion],
    });

    const authenticator = new SecretVariable(this, "cnpg_authenticator_password", {
      description: "Password of the PostgreSQL role authenticator (the cnpg stack sets it on the role, PostgREST logs in with it)",
      minLength: 24,
    });
    const jwtSecret = new SecretVariable(this, "postgrest_jwt_secret", {
      description: "HS256 secret of PostgREST: the backend tokens the gateway swaps in are signed with it",
      minLength: 32,
    });
    new Postgrest(this, "postgrest", {
      provider: kubernetes,
      namespace,
      replicas: api.postgrest.replicas,
      databaseHost: `${db.name}-rw.${DATABASES_NAMESPACE}.svc.cluster.local`,
      database: db.database,
      authenticatorPassword: authenticator.value,
      jwtSecret: jwtSecret.value,
      audience: api.postgrest.audience,
      maxRows: api.postgrest.maxRows,
      pool: api.postgrest.pool,
      publicUrl: `https://${publicHostnames(c).api}`,
    });
    new ApiObservability(this, "observability", { provider: kubernetes, namespace });
    new SwaggerUi(this, "swagger-ui", { provider: kubernetes, namespace, hostname: publicHostnames(c).swagger, apiUrl: `https://${publicHostnames(c).api}/` });
    new PgAdmin(this, "pgadmin", {
      helm: this.cluster.helm,
      kubernetes,
      namespace,
      email: `pgadmin@${c.dns.domain}`,
      server: { name: `${db.name} (${this.environmentName})`, host: `${db.name}-rw.${DATABASES_NAMESPACE}.svc.cluster.local`, database: db.database, username: db.database },
    });
    new DataLoader(this, "data-loader", {
      provider: kubernetes,
      namespace: DATABASES_NAMESPACE,
      project: c.gcp.project,
      region: c.gcp.region,
      environment: this.environmentName,
      targetCluster: api.loader.target === "old-data" ? c.cnpg.oldData.name : db.name,
      object: api.loader.object,
      scratch: api.loader.scratch,
      postgresImage: POSTGRES_IMAGES[db.postgresVersion],
    });
    new ApiGateway(this, "gateway", {
      helm: this.cluster.helm,
      kubernetes,
      namespace,
      environment: props.environment,
      root: this.root,
      hostname: publicHostnames(c).api,
    });
  }
}
